import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../params';
import { viewCtx } from '../plugins/request-context';
import { NOTIFY_KINDS, type NotifyKind } from '../../db/queries/notify-settings';
import { confirmAddress, recipientOf, unsubscribeKind } from '../../db/queries/mail';
import { confirmTokenCheck, unsubscribeTokenValid } from '../mail/tokens';
import { confirmPage, unsubscribePage } from '../../views/mail/pages';

// The links in e-mail (issue 15). They work without logging in: the signed token is the proof, checked
// against exactly what the link does (server/mail/tokens.ts). Opening a link changes nothing (mail
// scanners open links); the button, or a mail client's one-click POST (RFC 8058), does. A POST carries no
// CSRF token: it needs the link's own signature, which an attacker able to forge would not need CSRF for.

const Kinds = z.string().max(100).transform((v, ctx) => {
  const kinds = [...new Set(v.split(','))];
  if (kinds.length === 0 || !kinds.every((k) => (NOTIFY_KINDS as readonly string[]).includes(k))) {
    ctx.addIssue({ code: 'custom', message: 'unknown kind' });
    return z.NEVER;
  }
  return kinds as NotifyKind[];
});
const Token = z.string().min(10).max(100);
const UnsubQuery = z.object({ u: Id, k: Kinds, t: Token });
const ConfirmQuery = z.object({ u: Id, e: z.coerce.number().int().min(0).max(8.64e15), t: Token });

const selfUrl = (req: FastifyRequest) => req.url;

export default async function mailRoutes(app: FastifyInstance) {
  const secret = app.config.secret;

  const unsubscribed = (req: FastifyRequest) => {
    const q = UnsubQuery.safeParse(req.query ?? {});
    return q.success && unsubscribeTokenValid(secret, q.data.u, q.data.k, q.data.t) ? q.data : null;
  };
  const refuse = (req: FastifyRequest, reply: FastifyReply, what: 'unsubscribe' | 'confirm' | 'expired') =>
    reply.code(what === 'expired' ? 410 : 403).type('text/html').send((what === 'unsubscribe'
      ? unsubscribePage(viewCtx(req), { action: '', kinds: [], bad: true })
      : confirmPage(viewCtx(req), { action: '', address: '', bad: what === 'expired' ? 'expired' : true })).value);

  app.get('/mail/unsubscribe', async (req, reply) => {
    const q = unsubscribed(req);
    if (!q) return refuse(req, reply, 'unsubscribe');
    return reply.type('text/html').send(unsubscribePage(viewCtx(req), { action: selfUrl(req), kinds: q.k }).value);
  });

  app.post('/mail/unsubscribe', { config: { csrf: false } }, async (req, reply) => {
    const q = unsubscribed(req);
    if (!q) return refuse(req, reply, 'unsubscribe');
    for (const k of q.k) await unsubscribeKind(app.store, q.u, k, req.ip, app.clock());
    return reply.type('text/html').send(unsubscribePage(viewCtx(req), { action: '', kinds: q.k, done: true }).value);
  });

  /** The address the link confirms: the recipient's current one, which the token must have been made for. */
  const confirming = async (req: FastifyRequest) => {
    const q = ConfirmQuery.safeParse(req.query ?? {});
    if (!q.success) return 'bad' as const;
    const r = await recipientOf(app.store, q.data.u);
    if (!r) return 'bad' as const;
    const check = confirmTokenCheck(secret, q.data.u, r.address, q.data.e, q.data.t, app.clock());
    return check === 'ok' ? { userId: q.data.u, recipient: r } : check;
  };

  app.get('/mail/confirm', async (req, reply) => {
    const c = await confirming(req);
    if (typeof c === 'string') return refuse(req, reply, c === 'expired' ? 'expired' : 'confirm');
    const done = c.recipient.confirmedAt !== null;
    return reply.type('text/html').send(confirmPage(viewCtx(req), { action: selfUrl(req), address: c.recipient.address, done }).value);
  });

  app.post('/mail/confirm', { config: { csrf: false } }, async (req, reply) => {
    const c = await confirming(req);
    if (typeof c === 'string') return refuse(req, reply, c === 'expired' ? 'expired' : 'confirm');
    await confirmAddress(app.store, c.userId, c.recipient.address, req.ip, app.clock());
    return reply.type('text/html').send(confirmPage(viewCtx(req), { action: '', address: c.recipient.address, done: true }).value);
  });
}
