// Browsers without the login form: a session and a CSRF pair minted directly (no argon2 per user),
// for tests that need many users many times (attacks, route matrix, fuzz).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/store';
import { createSession, generateSessionToken, SESSION_COOKIE } from '../../server/auth/session';
import { CSRF_COOKIE, csrfTokenFor, newCsrfSeed } from '../../server/auth/csrf';
import { cookieName } from '../../server/plugins/request-context';

export type Client = {
  email: string | null;
  cookie: string;
  csrf: string;
  get: (url: string, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
  post: (url: string, form: Record<string, unknown> | string, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
};

/** email null = an anonymous browser (it still has a CSRF cookie and token, as after visiting /login). */
export async function clientFor(app: FastifyInstance, s: Queryable, email: string | null): Promise<Client> {
  const seed = newCsrfSeed();
  let cookie = `${cookieName(app, CSRF_COOKIE)}=${seed}`;
  let sessionId: string | null = null;
  if (email) {
    const row = await s.get<{ id: number }>(sql`SELECT id FROM users WHERE email = ${email}`);
    if (!row) throw new Error(`no user ${email}`);
    const token = generateSessionToken();
    sessionId = (await createSession(s, token, row.id, app.clock())).id;
    cookie = `${cookieName(app, SESSION_COOKIE)}=${token}; ${cookie}`;
  }
  const csrf = csrfTokenFor(app.config.secret, seed, sessionId); // bound to the session, as the app mints it
  return {
    email, cookie, csrf,
    get: (url, headers = {}) => app.inject({ method: 'GET', url, headers: { cookie, ...headers } }),
    post: (url, form, headers = {}) => {
      const payload = typeof form === 'string' ? form : new URLSearchParams(Object.entries({ _csrf: csrf, ...form }).map(([k, v]) => [k, String(v)])).toString();
      return app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...headers } });
    },
  };
}
