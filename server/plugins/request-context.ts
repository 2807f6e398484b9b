import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import {
  createSession, generateSessionToken, hashToken, SESSION_COOKIE, SESSION_LIFETIME, validateSessionToken,
} from '../auth/session';
import { CSRF_COOKIE, csrfTokenFor, newCsrfSeed } from '../auth/csrf';
import { currentUserById } from '../../db/queries/users';
import { pickLang, type Lang } from '../../views/i18n';
import type { ViewCtx } from '../../views/context';
import { dateInZone } from '../../views/format';
import { unreadCount } from '../../db/queries/notifications';
import { noticeFilter } from '../policy';

export const LANG_COOKIE = 'zlang';

export function cookieOptions(app: FastifyInstance, maxAgeSeconds?: number) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: app.config.cookieSecure, maxAge: maxAgeSeconds };
}

/**
 * The session and CSRF cookies' names. Over https they carry the __Host- prefix: a browser then keeps them
 * only when Secure, for Path=/ and without Domain (cookieOptions), so neither a sibling subdomain nor a
 * plain-http answer can plant or overwrite them.
 */
export function cookieName(app: FastifyInstance, base: typeof SESSION_COOKIE | typeof CSRF_COOKIE): string {
  return app.config.cookieSecure ? `__Host-${base}` : base;
}

// The header's unread count, read once per request before the route runs, so that viewCtx stays a plain
// function of the request (views and error pages call it anywhere). Static files render no header.
const unread = new WeakMap<FastifyRequest, number>();
const STATIC = /^\/(public|vendor)\//;

/** Who is asking, in which language, with which CSP nonce and CSRF token: set before any route runs. */
export function registerRequestContext(app: FastifyInstance): void {
  app.decorateRequest('user', null);
  app.decorateRequest('session', null);
  app.decorateRequest('lang', 'en');
  app.decorateRequest('nonce', '');
  app.decorateRequest('csrfToken', '');

  app.addHook('onRequest', async (req, reply) => {
    // 122 random bits from Node's pooled CSPRNG buffer (randomBytes asks OpenSSL on every request).
    req.nonce = randomUUID().replaceAll('-', '');
    const token = req.cookies[cookieName(app, SESSION_COOKIE)];
    if (token) {
      const now = app.clock();
      const cached = app.sessions.get(hashToken(token), now);
      const ticket = cached ? -1 : app.sessions.ticket();
      const session = cached ? cached.session : await validateSessionToken(app.store, token, now);
      const user = cached ? cached.user : session && (await currentUserById(app.store, session.userId));
      if (session && user) {
        if (!cached) app.sessions.put(session, user, ticket);
        req.session = session;
        req.user = user;
      } else {
        clearSessionCookie(app, reply);
      }
    }
    const cookieLang = req.cookies[LANG_COOKIE];
    req.lang = req.user?.lang ?? (cookieLang === 'ru' || cookieLang === 'en' ? cookieLang : pickLang(req.headers['accept-language']));
    const csrfCookie = cookieName(app, CSRF_COOKIE);
    let seed = req.cookies[csrfCookie];
    if (!seed) {
      seed = newCsrfSeed();
      req.cookies[csrfCookie] = seed;
      reply.setCookie(csrfCookie, seed, cookieOptions(app));
    }
    req.csrfToken = csrfTokenFor(app.config.secret, seed, req.session?.id ?? null);
    if (req.user && !STATIC.test(req.url)) unread.set(req, await unreadCount(app.store, noticeFilter(req.user.id)));
  });
}

/**
 * A fresh CSRF seed at login and logout, so a token planted before login is worthless after it; the token
 * is bound to the session that starts (or to none, after logout).
 */
export function rotateCsrf(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, sessionId: string | null): void {
  const seed = newCsrfSeed();
  const name = cookieName(app, CSRF_COOKIE);
  req.cookies[name] = seed;
  reply.setCookie(name, seed, cookieOptions(app));
  req.csrfToken = csrfTokenFor(app.config.secret, seed, sessionId);
}

/** A new session for this browser (login, password change): a new token in the cookie, a new CSRF seed bound to it. */
export async function startSession(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, userId: number): Promise<void> {
  const token = generateSessionToken();
  const session = await createSession(app.store, token, userId, app.clock());
  reply.setCookie(cookieName(app, SESSION_COOKIE), token, cookieOptions(app, SESSION_LIFETIME / 1000));
  rotateCsrf(app, req, reply, session.id);
}

/** With the same attributes it was set with: a browser ignores a __Host- cookie's removal without Secure. */
export function clearSessionCookie(app: FastifyInstance, reply: FastifyReply): void {
  reply.clearCookie(cookieName(app, SESSION_COOKIE), cookieOptions(app));
}

export function viewCtx(req: FastifyRequest): ViewCtx {
  const app = req.server;
  const tz = req.user?.timeZone ?? app.config.universityTz;
  return {
    lang: req.lang,
    tz,
    user: req.user,
    csrf: req.csrfToken,
    nonce: req.nonce,
    path: req.url.split('?')[0],
    here: req.method === 'GET' ? req.url : formPage(req) ?? req.url.split('?')[0],
    today: dateInZone(app.clock(), app.config.universityTz),
    unread: req.user ? (unread.get(req) ?? 0) : 0,
    repeated: req.method === 'GET' && (req.query as Record<string, unknown> | undefined)?.again === '1',
  };
}

/**
 * A form's answer (a refusal re-rendered on the POST's address) switches language back to the page the form
 * was on: the Referer's path on this site, else nothing. POST /lang checks the target again (safeRedirect).
 */
function formPage(req: FastifyRequest): string | null {
  const ref = req.headers.referer;
  if (typeof ref !== 'string') return null;
  try {
    const u = new URL(ref);
    const own = new URL(req.server.config.publicUrl);
    return u.origin === own.origin ? u.pathname + u.search : null;
  } catch {
    return null;
  }
}

export type { Lang };
