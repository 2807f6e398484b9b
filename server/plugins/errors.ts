import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http-error';
import { viewCtx } from './request-context';
import { errorMessage, errorPage, csrfMessage } from '../../views/errors';
import { msg } from '../../views/messages';
import { translateKey } from '../../views/translate';

/**
 * One error handler and one not-found handler for the whole app: messages in the user's language,
 * 5xx details only in the log, never to the client.
 */
export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    let status = err instanceof HttpError ? err.statusCode : err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    // A malformed upload fails inside the multipart parser, before any route code: the client's fault.
    if (status === 500 && /multipart|boundary|unexpected end of form/i.test(`${(err as { code?: string }).code ?? ''} ${err.message}`)) status = 400;
    let text: string | undefined;
    const ctx = viewCtx(req);
    if (err instanceof HttpError && err.messageKey) {
      text = err.messageKey === 'csrf' ? csrfMessage(ctx) : translateKey(ctx.lang, err.messageKey, err.params);
    } else if (status === 400 || status === 415 || status === 413) {
      text = msg(ctx.lang, 'invalidInput', { fields: '—' });
      status = status === 413 ? 413 : 400;
    }
    if (status >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ status, key: err instanceof HttpError ? err.messageKey : err.message }, 'request refused');
    sendError(req, reply, status, text);
  });

  app.setNotFoundHandler((req, reply) => sendError(req, reply, 404));
}

export function sendError(req: FastifyRequest, reply: FastifyReply, status: number, text?: string) {
  const ctx = viewCtx(req);
  reply.code(status).type('text/html; charset=utf-8');
  // htmx swaps every status in v4: give it the small message, not a whole page inside a cell.
  return reply.send(req.headers['hx-request'] ? errorMessage(ctx, status, text).value : errorPage(ctx, status, text).value);
}
