// Signed links in e-mail (issue 15): the unsubscribe and confirmation links work without logging in, so
// the link itself is the proof. An HMAC of what the link does, under the server's secret: changing the
// user, the kinds or the address breaks it, and nobody without the secret can make one.
import { createHmac, timingSafeEqual } from 'node:crypto';

const sign = (secret: string, what: string) => createHmac('sha256', secret).update(what).digest('base64url');

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const unsubscribeWhat = (userId: number, kinds: readonly string[]) => `mail-unsubscribe|${userId}|${[...kinds].sort().join(',')}`;
const confirmWhat = (userId: number, address: string, expires: number) => `mail-confirm|${userId}|${address.toLowerCase()}|${expires}`;

/** How long a confirmation link works: a week, as a link sitting in an inbox that others read should not work forever. */
export const CONFIRM_LINK_MS = 7 * 24 * 3600_000;

export const unsubscribeToken = (secret: string, userId: number, kinds: readonly string[]) => sign(secret, unsubscribeWhat(userId, kinds));
export const unsubscribeTokenValid = (secret: string, userId: number, kinds: readonly string[], token: string) =>
  same(unsubscribeToken(secret, userId, kinds), token);

export const confirmToken = (secret: string, userId: number, address: string, expires: number) =>
  sign(secret, confirmWhat(userId, address, expires));
/** 'expired' only for a link that is genuine (signed with its expiry), so a forged one never learns more than 'bad'. */
export function confirmTokenCheck(
  secret: string, userId: number, address: string, expires: number, token: string, now: number,
): 'ok' | 'bad' | 'expired' {
  if (!same(confirmToken(secret, userId, address, expires), token)) return 'bad';
  return now > expires ? 'expired' : 'ok';
}

export function unsubscribeUrl(base: string, secret: string, userId: number, kinds: readonly string[]): string {
  const q = new URLSearchParams({ u: String(userId), k: [...kinds].sort().join(','), t: unsubscribeToken(secret, userId, kinds) });
  return `${base}/mail/unsubscribe?${q}`;
}

/** `expires`: epoch ms after which the link stops working (the sender gives it now + CONFIRM_LINK_MS). */
export function confirmUrl(base: string, secret: string, userId: number, address: string, expires: number): string {
  const q = new URLSearchParams({ u: String(userId), e: String(expires), t: confirmToken(secret, userId, address, expires) });
  return `${base}/mail/confirm?${q}`;
}
