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
const confirmWhat = (userId: number, address: string) => `mail-confirm|${userId}|${address.toLowerCase()}`;

export const unsubscribeToken = (secret: string, userId: number, kinds: readonly string[]) => sign(secret, unsubscribeWhat(userId, kinds));
export const unsubscribeTokenValid = (secret: string, userId: number, kinds: readonly string[], token: string) =>
  same(unsubscribeToken(secret, userId, kinds), token);

export const confirmToken = (secret: string, userId: number, address: string) => sign(secret, confirmWhat(userId, address));
export const confirmTokenValid = (secret: string, userId: number, address: string, token: string) =>
  same(confirmToken(secret, userId, address), token);

export function unsubscribeUrl(base: string, secret: string, userId: number, kinds: readonly string[]): string {
  const q = new URLSearchParams({ u: String(userId), k: [...kinds].sort().join(','), t: unsubscribeToken(secret, userId, kinds) });
  return `${base}/mail/unsubscribe?${q}`;
}

export function confirmUrl(base: string, secret: string, userId: number, address: string): string {
  const q = new URLSearchParams({ u: String(userId), t: confirmToken(secret, userId, address) });
  return `${base}/mail/confirm?${q}`;
}
