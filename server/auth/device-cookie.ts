// Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a browser that logged
// in to an account gets a signed token naming the account, so its later attempts are throttled on their
// own and an attack on the account from elsewhere does not keep the owner out (server/auth/login-limiter.ts).
// A token is <account>.<nonce>.<issued>.<mac>: account = keyed hash of the e-mail (the cookie never carries
// the address), nonce = random device id, issued = base-36 epoch seconds. One cookie holds the tokens of the
// last few accounts used in that browser (a shared office computer), newest first.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cookieOptions } from '../plugins/request-context';

export const DEVICE_COOKIE = 'zdevice';
export const DEVICE_LIFETIME_S = 365 * 24 * 3600;
/** Only the login form needs it: not sent with every other request. */
export const DEVICE_COOKIE_PATH = '/login';

/** Over https the name carries `__Secure-` (Path=/login rules out `__Host-`): no plain-http page can set it. */
export function deviceCookieName(app: FastifyInstance): string {
  return app.config.cookieSecure ? `__Secure-${DEVICE_COOKIE}` : DEVICE_COOKIE;
}
const MAX_TOKENS = 4;
const TOKEN = /^([\w-]{22})\.([\w-]{16})\.([0-9a-z]{1,10})\.([\w-]{43})$/;

/**
 * A key of its own, derived with the secret as data: the CSRF token is HMAC(secret, seed) over a seed the
 * client chooses, so signing device tokens with HMAC(secret, …) directly would let anyone mint them.
 */
function deviceKey(secret: string): Buffer {
  return createHash('sha256').update('zachetka device cookie v1\0').update(secret).digest();
}

function accountTag(key: Buffer, email: string): string {
  return createHmac('sha256', key).update(`account\0${email}`).digest('base64url').slice(0, 22);
}

function mac(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(`token\0${body}`).digest('base64url');
}

/** The genuine, unexpired tokens of the cookie; anything else in it is dropped. */
function tokens(key: Buffer, cookie: string | undefined, now: number): { tok: string; acct: string; nonce: string }[] {
  const out: { tok: string; acct: string; nonce: string }[] = [];
  for (const tok of (cookie ?? '').split('~').slice(0, MAX_TOKENS)) {
    const m = TOKEN.exec(tok);
    if (!m) continue;
    const [, acct, nonce, issued, sig] = m;
    if (!timingSafeEqual(Buffer.from(mac(key, `${acct}.${nonce}.${issued}`)), Buffer.from(sig))) continue;
    const age = now - parseInt(issued, 36) * 1000;
    if (age < -60_000 || age > DEVICE_LIFETIME_S * 1000) continue;
    out.push({ tok, acct, nonce });
  }
  return out;
}

/** The device id when the cookie carries a genuine, unexpired token for this e-mail; else null. */
export function deviceFor(secret: string, cookie: string | undefined, email: string, now: number): string | null {
  const key = deviceKey(secret);
  const tag = accountTag(key, email);
  return tokens(key, cookie, now).find((x) => x.acct === tag)?.nonce ?? null;
}

/** The cookie value after a successful login: this account's token (same device id if it had one) first, renewed. */
export function cookieAfterLogin(secret: string, cookie: string | undefined, email: string, now: number): string {
  const key = deviceKey(secret);
  const tag = accountTag(key, email);
  const valid = tokens(key, cookie, now);
  const nonce = valid.find((x) => x.acct === tag)?.nonce ?? randomBytes(12).toString('base64url');
  const body = `${tag}.${nonce}.${Math.floor(now / 1000).toString(36)}`;
  const others = valid.filter((x) => x.acct !== tag).map((x) => x.tok);
  return [`${body}.${mac(key, body)}`, ...others].slice(0, MAX_TOKENS).join('~');
}

/** The verified device id this login request carries for the e-mail, if any. */
export function deviceOf(app: FastifyInstance, req: FastifyRequest, email: string): string | null {
  return deviceFor(app.config.secret, req.cookies[deviceCookieName(app)], email, app.clock());
}

export function issueDeviceCookie(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, email: string): void {
  const value = cookieAfterLogin(app.config.secret, req.cookies[deviceCookieName(app)], email, app.clock());
  reply.setCookie(deviceCookieName(app), value, { ...cookieOptions(app, DEVICE_LIFETIME_S), path: DEVICE_COOKIE_PATH });
}
