// The login limiter of server/auth/login-limiter.ts, shared by every app process through Redis
// (rate-limiter-flexible's RateLimiterRedis): failures spread over nodes count together. Same rules,
// same verdicts, so the same messages:
//  - address and trusted device: fixed-window counters (the Redis key lives for the window);
//  - untrusted account: a failure streak (its key lives a quiet window past its current delay) and a
//    gate (a key that lives for the current delay); an attempt after the free ones must take the gate.
// Every counter is incremented first and checked after (Redis INCRBY is atomic), so a parallel burst on
// several nodes cannot slip through between a check and a reservation; a refused attempt is given back.
// When Redis cannot answer, each process falls back to an in-memory limiter of the same shape (the
// library's insurance limiter): logins go on, throttled per process, until Redis is back.
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import {
  DEFAULT_LIMITS, accountDelay, accountKey, addressKey, deviceKey,
  type LimiterOptions, type LoginAttempt, type LoginThrottle, type LoginVerdict,
} from './login-limiter';

export class RedisLoginLimiter implements LoginThrottle {
  private readonly opts: LimiterOptions;
  private readonly address: RateLimiterRedis;
  private readonly device: RateLimiterRedis;
  private readonly streak: RateLimiterRedis;
  private readonly gate: RateLimiterRedis;

  constructor(
    private readonly redis: Redis, opts: Partial<LimiterOptions> = {},
    private readonly now: () => number = Date.now, prefix = 'zachetka:login',
  ) {
    this.opts = { ...DEFAULT_LIMITS, ...opts };
    const o = this.opts;
    for (const [name, ms] of [['windowMs', o.windowMs], ['baseDelayMs', o.baseDelayMs], ['maxDelayMs', o.maxDelayMs]] as const) {
      // Redis keys expire in whole seconds here.
      if (ms % 1000 !== 0 || ms <= 0) throw new Error(`${name} must be a positive whole number of seconds`);
    }
    const make = (name: string, points: number, ms: number) => new RateLimiterRedis({
      storeClient: redis, keyPrefix: `${prefix}:${name}`, points, duration: ms / 1000, rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${prefix}:${name}`, points, duration: ms / 1000 }),
    });
    this.address = make('ip', o.perAddress, o.windowMs);
    this.device = make('device', o.perDevice, o.windowMs);
    this.streak = make('account', o.perAccount, o.windowMs + o.maxDelayMs);
    this.gate = make('wait', 1, o.baseDelayMs);
  }

  async admit(a: LoginAttempt): Promise<LoginVerdict> {
    if (a.device !== null) {
      const key = deviceKey(a);
      const d = await this.device.penalty(key);
      if (d.consumedPoints > this.opts.perDevice) {
        await this.device.reward(key);
        return this.refuse('account', d.msBeforeNext);
      }
      return { allowed: true };
    }
    const addr = addressKey(a.address);
    const r = await this.address.penalty(addr);
    if (r.consumedPoints > this.opts.perAddress) {
      await this.address.reward(addr);
      return this.refuse('address', r.msBeforeNext);
    }
    const acct = accountKey(a);
    const failures = (await this.streak.penalty(acct)).consumedPoints;
    // The streak is forgotten only after a quiet window past its delay: each failure moves that end on.
    await this.extend(this.streak, acct, accountDelay(this.opts, failures) + this.opts.windowMs);
    const delay = accountDelay(this.opts, failures);
    if (accountDelay(this.opts, failures - 1) === 0) {
      if (delay > 0) await this.gate.set(acct, 1, delay / 1000);
      return { allowed: true };
    }
    try {
      // Taken only if the previous failure's wait is over; taking it closes it for this failure's wait.
      await this.gate.consume(acct, 1, { customDuration: delay / 1000 });
      return { allowed: true };
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      await this.streak.reward(acct);
      await this.address.reward(addr);
      return this.refuse('account', e.msBeforeNext);
    }
  }

  async succeeded(a: LoginAttempt): Promise<void> {
    if (a.device !== null) {
      await this.device.delete(deviceKey(a));
      return;
    }
    // Only the reservation is refunded: an owner's success must not hand a guesser a fresh set of free tries.
    await this.refund(this.address, addressKey(a.address));
    const acct = accountKey(a);
    const failures = await this.refund(this.streak, acct);
    // The gate was closed for the refunded failure's wait; the streak now owes the previous failure's.
    const shorter = accountDelay(this.opts, failures + 1) - accountDelay(this.opts, failures);
    if (shorter <= 0) return;
    const left = (await this.gate.get(acct))?.msBeforeNext ?? 0;
    if (accountDelay(this.opts, failures) === 0 || left - shorter <= 0) await this.gate.delete(acct);
    else await this.gate.set(acct, 1, Math.ceil((left - shorter) / 1000));
  }

  /** Gives one reservation back; a counter that expired meanwhile is not taken below zero. */
  private async refund(limiter: RateLimiterRedis, key: string): Promise<number> {
    const r = await limiter.reward(key);
    if (r.consumedPoints >= 0) return r.consumedPoints;
    await limiter.delete(key);
    return 0;
  }

  private refuse(reason: 'account' | 'address', msBeforeNext: number): LoginVerdict {
    return { allowed: false, reason, retryAt: this.now() + Math.max(0, msBeforeNext) };
  }

  private async extend(limiter: RateLimiterRedis, key: string, ms: number): Promise<void> {
    if (this.redis.status !== 'ready') return; // the insurance limiter keeps its own fixed window
    await this.redis.pexpire(limiter.getKey(key), ms).catch(() => {});
  }
}

