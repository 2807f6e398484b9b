import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { SESSION_COOKIE, validateSessionToken } from '../auth/session';
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

/** Who is asking, in which language, with which CSP nonce and CSRF token: set before any route runs. */
export function registerRequestContext(app: FastifyInstance): void {
  app.decorateRequest('user', null);
  app.decorateRequest('session', null);
  app.decorateRequest('lang', 'en');
  app.decorateRequest('nonce', '');
  app.decorateRequest('csrfToken', '');

  app.addHook('onRequest', async (req, reply) => {
    req.nonce = randomBytes(16).toString('base64');
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const session = validateSessionToken(app.db, token, app.clock());
      const user = session && currentUserById(app.db, session.userId);
      if (session && user) {
        req.session = session;
        req.user = user;
      } else {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }
    const cookieLang = req.cookies[LANG_COOKIE];
    req.lang = req.user?.lang ?? (cookieLang === 'ru' || cookieLang === 'en' ? cookieLang : pickLang(req.headers['accept-language']));
    let seed = req.cookies[CSRF_COOKIE];
    if (!seed) {
      seed = newCsrfSeed();
      req.cookies[CSRF_COOKIE] = seed;
      reply.setCookie(CSRF_COOKIE, seed, cookieOptions(app));
    }
    req.csrfToken = csrfTokenFor(app.config.secret, seed);
  });
}

/** A fresh CSRF seed at login and logout, so a token planted before login is worthless after it. */
export function rotateCsrf(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply): void {
  const seed = newCsrfSeed();
  req.cookies[CSRF_COOKIE] = seed;
  reply.setCookie(CSRF_COOKIE, seed, cookieOptions(app));
  req.csrfToken = csrfTokenFor(app.config.secret, seed);
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
    today: dateInZone(app.clock(), app.config.universityTz),
    unread: req.user ? unreadCount(app.db, noticeFilter(req.user.id)) : 0,
  };
}

export type { Lang };
