// CSRF: a random seed in an HttpOnly SameSite cookie; forms and htmx requests send a token that is
// HMAC(secret, session + seed) once logged in, HMAC(secret, seed) before. A cross-site page can neither
// read the cookie nor compute the token, and a seed and token from the attacker's own browser (planted
// as a cookie through a sibling subdomain or plain http) do not pass with the victim's session.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const CSRF_COOKIE = 'zcsrf';
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

export function newCsrfSeed(): string {
  return randomBytes(18).toString('base64url');
}

/** sessionId: the session row's id (the token's hash), or null for an anonymous browser (the login form). */
export function csrfTokenFor(secret: string, seed: string, sessionId: string | null): string {
  // The prefixes keep the two kinds apart: an anonymous token is never a session's token.
  return createHmac('sha256', secret).update(sessionId ? `session:${sessionId}:${seed}` : `anonymous:${seed}`).digest('base64url');
}

export function csrfTokenValid(secret: string, seed: string | undefined, sessionId: string | null, token: unknown): boolean {
  if (!seed || typeof token !== 'string' || token.length === 0) return false;
  const expected = Buffer.from(csrfTokenFor(secret, seed, sessionId));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
