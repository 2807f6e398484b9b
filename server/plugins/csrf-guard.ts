import type { FastifyInstance } from 'fastify';
import { CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, csrfTokenValid } from '../auth/csrf';
import { HttpError } from '../http-error';
import { cookieName } from './request-context';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every state-changing request needs the token (header for htmx and fetch, hidden field for plain
 * forms). Runs after body parsing so the form field is visible. Browsers that say the request is
 * cross-site are refused outright.
 */
export function registerCsrfGuard(app: FastifyInstance): void {
  app.addHook('preHandler', async (req) => {
    if (SAFE.has(req.method)) return;
    // A route that proves its caller by a signed token in its URL (the links in e-mail) opts out.
    if (req.routeOptions.config.csrf === false) return;
    if (req.headers['sec-fetch-site'] === 'cross-site') throw new HttpError(403, 'csrf');
    const body = req.body as Record<string, unknown> | undefined;
    const fromBody = body && typeof body === 'object' ? body[CSRF_FIELD] : undefined;
    const token = req.headers[CSRF_HEADER] ?? (typeof fromBody === 'object' && fromBody && 'value' in fromBody ? (fromBody as { value: unknown }).value : fromBody);
    // Bound to the session the request carries: the victim's session with the attacker's seed and token fails.
    const seed = req.cookies[cookieName(app, CSRF_COOKIE)];
    if (!csrfTokenValid(app.config.secret, seed, req.session?.id ?? null, token)) throw new HttpError(403, 'csrf');
  });
}
