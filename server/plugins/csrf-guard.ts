import type { FastifyInstance } from 'fastify';
import { CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, csrfTokenValid } from '../auth/csrf';
import { HttpError } from '../http-error';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every state-changing request needs the token (header for htmx and fetch, hidden field for plain
 * forms). Runs after body parsing so the form field is visible. Browsers that say the request is
 * cross-site are refused outright.
 */
export function registerCsrfGuard(app: FastifyInstance): void {
  app.addHook('preHandler', async (req) => {
    if (SAFE.has(req.method)) return;
    if (req.headers['sec-fetch-site'] === 'cross-site') throw new HttpError(403, 'csrf');
    const body = req.body as Record<string, unknown> | undefined;
    const fromBody = body && typeof body === 'object' ? body[CSRF_FIELD] : undefined;
    const token = req.headers[CSRF_HEADER] ?? (typeof fromBody === 'object' && fromBody && 'value' in fromBody ? (fromBody as { value: unknown }).value : fromBody);
    if (!csrfTokenValid(app.config.secret, req.cookies[CSRF_COOKIE], token)) throw new HttpError(403, 'csrf');
  });
}
