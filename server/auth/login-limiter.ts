// Login is rate-limited per account and per client address (issue 2): guessing one account's
// password and spraying many accounts from one address are both slowed down.
export type LimiterOptions = { windowMs: number; perAccount: number; perAddress: number };

export const DEFAULT_LIMITS: LimiterOptions = { windowMs: 15 * 60 * 1000, perAccount: 5, perAddress: 30 };

type Bucket = { count: number; resetAt: number };

export class LoginLimiter {
  private buckets = new Map<string, Bucket>();
  constructor(private readonly opts: LimiterOptions = DEFAULT_LIMITS, private readonly now: () => number = Date.now) {}

  /** True when this attempt may proceed; counts the attempt against the address. */
  allow(account: string, address: string): boolean {
    if (this.count(`a:${account}`) >= this.opts.perAccount) return false;
    return this.hit(`ip:${address}`) <= this.opts.perAddress;
  }

  recordFailure(account: string): void {
    this.hit(`a:${account}`);
  }

  recordSuccess(account: string): void {
    this.buckets.delete(`a:${account}`);
  }

  private count(key: string): number {
    const b = this.buckets.get(key);
    return b && b.resetAt > this.now() ? b.count : 0;
  }

  private hit(key: string): number {
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b || b.resetAt <= t) {
      b = { count: 0, resetAt: t + this.opts.windowMs };
      this.buckets.set(key, b);
      if (this.buckets.size > 100_000) this.sweep(t);
    }
    return ++b.count;
  }

  private sweep(t: number): void {
    for (const [k, b] of this.buckets) if (b.resetAt <= t) this.buckets.delete(k);
  }
}
