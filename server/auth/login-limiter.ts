// Login throttling after OWASP's "Slow Down Online Guessing Attacks with Device Cookies" (issue 10.6).
// The old limiter locked an account for everyone after five failures from anywhere, and counted every
// login, good ones too, against the address: a stranger could keep a dean's office out, and a lecture
// hall behind the university's one NAT address locked itself out. Now:
//  - a browser that logged in to the account before (a valid device cookie, server/auth/device-cookie.ts)
//    is counted in its own bucket and locked only by its own failures, not by the account's or the address's;
//  - every other client shares the account's "untrusted" bucket: after a few failures each further
//    attempt has to wait an interval that doubles with every failure, up to a cap — slow for a guesser,
//    never a long lock for an owner who mistyped;
//  - an address is limited by its failures only, at a level a whole university behind one NAT stays under.
// Each attempt is reserved as a failure before the password is checked (so a parallel burst cannot slip
// through during the hash) and refunded when it succeeds. The interface is async so that a shared store
// (Redis through rate-limiter-flexible, for the cluster) can replace the in-memory one.
import { isIPv6 } from 'node:net';

export type LimiterOptions = {
  /** Window of the address and device counters; also how long a quiet account bucket is remembered. */
  windowMs: number;
  /** Failures of untrusted clients per account before delays start. */
  perAccount: number;
  /** The first delay; it doubles with every further failure, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures of one trusted device per window before that device is locked for the rest of the window. */
  perDevice: number;
  /** Failures per client address (an IPv6 /64 counts as one address) per window. */
  perAddress: number;
  /** Bound on remembered buckets; expired ones are swept first, then the least recently used. */
  maxEntries: number;
};

export const DEFAULT_LIMITS: LimiterOptions = {
  windowMs: 15 * 60_000,
  perAccount: 5,
  baseDelayMs: 60_000,
  maxDelayMs: 15 * 60_000,
  perDevice: 10,
  perAddress: 500,
  maxEntries: 100_000,
};

/** device: the id of a device cookie already verified for this account (server/auth/device-cookie.ts), else null. */
export type LoginAttempt = { account: string; address: string; device: string | null };

export type LoginVerdict =
  | { allowed: true }
  /** retryAt: the first instant an attempt of this kind is admitted again (epoch ms). */
  | { allowed: false; reason: 'account' | 'address'; retryAt: number };

export interface LoginThrottle {
  /** Admits or refuses an attempt; an admitted one is counted as a failure until succeeded() refunds it. */
  admit(attempt: LoginAttempt): Promise<LoginVerdict>;
  /** The password was right: the reservation is refunded and a trusted device's failures forgotten. */
  succeeded(attempt: LoginAttempt): Promise<void>;
}

/** Fixed-window counter (address, device) or failure streak with growing delays (untrusted account). */
type Bucket = { failures: number; startedAt: number; lastAt: number };

export class LoginLimiter implements LoginThrottle {
  private readonly opts: LimiterOptions;
  private readonly buckets = new Map<string, Bucket>();
  private writes = 0;

  constructor(opts: Partial<LimiterOptions> = {}, private readonly now: () => number = Date.now) {
    this.opts = { ...DEFAULT_LIMITS, ...opts };
  }

  async admit(a: LoginAttempt): Promise<LoginVerdict> {
    const t = this.now();
    if (a.device !== null) {
      const key = deviceKey(a);
      const retryAt = this.windowRetryAt(key, this.opts.perDevice, t);
      if (retryAt) return { allowed: false, reason: 'account', retryAt };
      this.reserve(key, t);
      return { allowed: true };
    }
    const addr = addressKey(a.address);
    const addrRetry = this.windowRetryAt(addr, this.opts.perAddress, t);
    if (addrRetry) return { allowed: false, reason: 'address', retryAt: addrRetry };
    const acct = accountKey(a);
    const acctRetry = this.delayRetryAt(acct, t);
    if (acctRetry) return { allowed: false, reason: 'account', retryAt: acctRetry };
    this.reserve(addr, t);
    this.reserve(acct, t);
    return { allowed: true };
  }

  async succeeded(a: LoginAttempt): Promise<void> {
    if (a.device !== null) {
      this.buckets.delete(deviceKey(a));
      return;
    }
    // Only the reservation is refunded: an owner's success must not hand a guesser a fresh set of free tries.
    this.refund(addressKey(a.address));
    this.refund(accountKey(a));
  }

  /** For tests and monitoring. */
  get size(): number {
    return this.buckets.size;
  }

  private live(key: string, t: number): Bucket | undefined {
    const b = this.buckets.get(key);
    if (b && this.expiresAt(key, b) <= t) {
      this.buckets.delete(key);
      return undefined;
    }
    return b;
  }

  private windowRetryAt(key: string, limit: number, t: number): number {
    const b = this.live(key, t);
    return b && b.failures >= limit ? b.startedAt + this.opts.windowMs : 0;
  }

  private delayRetryAt(key: string, t: number): number {
    const b = this.live(key, t);
    if (!b) return 0;
    const at = b.lastAt + this.delay(b.failures);
    return at > t ? at : 0;
  }

  private delay(failures: number): number {
    return accountDelay(this.opts, failures);
  }

  /** Window buckets end with their window; an account's streak is forgotten after a quiet window past its delay. */
  private expiresAt(key: string, b: Bucket): number {
    return key.startsWith('u:') ? b.lastAt + this.delay(b.failures) + this.opts.windowMs : b.startedAt + this.opts.windowMs;
  }

  private reserve(key: string, t: number): void {
    const b = this.buckets.get(key) ?? { failures: 0, startedAt: t, lastAt: t };
    b.failures++;
    b.lastAt = t;
    // Re-inserted so the map's order is least recently used first, for eviction.
    this.buckets.delete(key);
    this.buckets.set(key, b);
    if (++this.writes % 1000 === 0 || this.buckets.size > this.opts.maxEntries) this.sweep(t);
  }

  private refund(key: string): void {
    const b = this.buckets.get(key);
    if (b && b.failures > 0) b.failures--;
  }

  private sweep(t: number): void {
    for (const [k, b] of this.buckets) if (this.expiresAt(k, b) <= t) this.buckets.delete(k);
    if (this.buckets.size <= this.opts.maxEntries) return;
    const excess = this.buckets.size - Math.floor(this.opts.maxEntries * 0.9);
    let n = 0;
    for (const k of this.buckets.keys()) {
      if (n++ >= excess) break;
      this.buckets.delete(k);
    }
  }
}

/** How long an untrusted client waits after the account's `failures`-th failure (0: no wait). */
export function accountDelay(o: LimiterOptions, failures: number): number {
  const over = failures - o.perAccount;
  return over < 0 ? 0 : Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.min(over, 30));
}

export function deviceKey(a: LoginAttempt): string {
  return `d:${a.account}\n${a.device}`;
}

export function accountKey(a: LoginAttempt): string {
  return `u:${a.account}`;
}

/** One key per IPv4 address and per IPv6 /64: one subscriber line holds a whole /64. */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return `ip:${mapped[1]}`;
  if (!isIPv6(ip)) return `ip:${ip}`;
  const [head, tail = ''] = ip.split('%')[0].split('::');
  const h = head ? head.split(':') : [];
  const tl = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - tl.length).fill('0'), ...tl] : h;
  return `ip6:${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
