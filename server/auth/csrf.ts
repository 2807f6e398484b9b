// CSRF: a random value in an HttpOnly SameSite cookie; forms and htmx requests send
// HMAC(secret, value). A cross-site page can neither read the cookie nor compute the token.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const CSRF_COOKIE = 'zcsrf';
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

export function newCsrfSeed(): string {
  return randomBytes(18).toString('base64url');
}

export function csrfTokenFor(secret: string, seed: string): string {
  return createHmac('sha256', secret).update(seed).digest('base64url');
}

export function csrfTokenValid(secret: string, seed: string | undefined, token: unknown): boolean {
  if (!seed || typeof token !== 'string' || token.length === 0) return false;
  const expected = Buffer.from(csrfTokenFor(secret, seed));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
