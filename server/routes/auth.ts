import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isPlainText } from '../domain/text';
import { invalidateSession, type Session } from '../auth/session';
import { verifyPassword } from '../auth/password';
import { deviceOf, issueDeviceCookie } from '../auth/device-cookie';
import { userByEmail, setUserLang } from '../../db/queries/users';
import { appendAudit } from '../../db/queries/audit';
import { clearSessionCookie, cookieOptions, rotateCsrf, startSession, viewCtx, LANG_COOKIE } from '../plugins/request-context';
import { loginPage, type LoginError } from '../../views/auth/login';
import { demoAccountsFor } from '../demo-accounts';
import { safeRedirect } from '../auth/safe-redirect';

const LoginBody = z.object({
  email: z.string().trim().max(254).refine(isPlainText).default(''), // a NUL or a control: no account has it
  password: z.string().max(200).default(''),
  next: z.string().max(500).optional(),
});

const LangBody = z.object({ lang: z.enum(['en', 'ru']), back: z.string().max(500).optional() });

/**
 * A session ends with an audit row: the row reaches every process's session cache through the change
 * stream, so the ended token is refused everywhere, not only here.
 */
async function endSession(req: FastifyRequest, session: Session): Promise<void> {
  const app = req.server;
  app.sessions.dropSession(session.id);
  await app.store.tx(async (tx) => {
    await invalidateSession(tx, session.id);
    await appendAudit(tx, {
      actorId: session.userId, actorRole: null, ip: req.ip, action: 'user.logout', entity: 'user', entityId: session.userId,
    });
  });
}

export default async function authRoutes(app: FastifyInstance) {
  app.get('/login', async (req, reply) => {
    if (req.user) return reply.redirect('/', 303);
    const next = typeof (req.query as { next?: unknown }).next === 'string' ? (req.query as { next: string }).next : undefined;
    return reply.type('text/html').send(loginPage(viewCtx(req), { next, demoAccounts: await demoAccountsFor(app, req.lang) }).value);
  });

  app.post('/login', async (req, reply) => {
    const body = LoginBody.safeParse(req.body ?? {});
    const email = body.success ? body.data.email.toLowerCase() : '';
    const next = body.success ? body.data.next : undefined;
    const ctx = viewCtx(req);
    const render = async (code: number, error: LoginError, retry?: { at: number; now: number }) =>
      reply.code(code).type('text/html').send(loginPage(ctx, { email, error, retry, next, demoAccounts: await demoAccountsFor(app, req.lang) }).value);

    // A browser that logged in to this account before is throttled on its own (server/auth/login-limiter.ts).
    const attempt = { account: email, address: req.ip, device: deviceOf(app, req, email) };
    const verdict = await app.loginLimiter.admit(attempt);
    if (!verdict.allowed) {
      const now = app.clock();
      reply.header('retry-after', String(Math.max(1, Math.ceil((verdict.retryAt - now) / 1000))));
      return render(429, verdict.reason === 'address' ? 'tooManyAddress' : 'tooMany', { at: verdict.retryAt, now });
    }
    const user = body.success && email ? await userByEmail(app.store, email) : undefined;
    const ok = body.success && (await verifyPassword(user?.passwordHash ?? null, body.data.password)) && !!user && !user.disabled;
    if (!ok || !user) {
      // The attempt stays counted against the throttle (admit() reserved it as a failure).
      // Failed logins are part of the audit trail (DESIGN.md §2); the message never says which part was wrong.
      await app.store.tx((tx) => appendAudit(tx, { actorId: null, actorRole: null, ip: req.ip, action: 'login.failed', entity: 'user', entityId: user?.id ?? null, after: { email: email.slice(0, 254) } }));
      return render(401, 'failed');
    }
    await app.loginLimiter.succeeded(attempt);
    issueDeviceCookie(app, req, reply, email);
    // A new session on every login: a token planted before login (session fixation) is never promoted.
    // The session it replaces ends only when it is this user's own: someone else's token planted in (or left
    // in) this browser must not log that person out. This browser gets a new token either way.
    if (req.session && req.session.userId === user.id) await endSession(req, req.session);
    await startSession(app, req, reply, user.id);
    return reply.redirect(safeRedirect(next), 303);
  });

  app.post('/logout', async (req, reply) => {
    if (req.session) await endSession(req, req.session);
    clearSessionCookie(app, reply);
    rotateCsrf(app, req, reply, null);
    return reply.redirect('/login', 303);
  });

  app.post('/lang', async (req, reply) => {
    const body = LangBody.safeParse(req.body ?? {});
    if (!body.success) return reply.redirect('/', 303);
    const { lang } = body.data;
    reply.setCookie(LANG_COOKIE, lang, { ...cookieOptions(app, 365 * 24 * 3600), httpOnly: false });
    if (req.user && req.user.lang !== lang) {
      const userId = req.user.id;
      await app.store.tx(async (tx) => {
        const before = await setUserLang(tx, userId, lang, app.clock());
        await appendAudit(tx, { actorId: userId, actorRole: null, ip: req.ip, action: 'user.update', entity: 'user', entityId: userId, before: { lang: before }, after: { lang } });
      });
    }
    return reply.redirect(safeRedirect(body.data.back), 303);
  });
}
