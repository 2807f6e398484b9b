// The login limiter shared through Redis (issue 12 item 5): three limiters, each on its own connection,
// stand for three app processes. Failures spread over them count together, under the same rules as the
// in-memory limiter (tests/login-limiter.test.ts); delays are whole seconds here, on Redis's own clock.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Redis } from 'ioredis';
import { startRedis, type TestRedis } from './helpers/redis';
import { RedisLoginLimiter } from '../server/auth/login-limiter-redis';
import { DEFAULT_LIMITS, type LimiterOptions, type LoginAttempt } from '../server/auth/login-limiter';

let redis: TestRedis;
const clients: Redis[] = [];
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await redis?.stop();
});

let run = 0;
/** Three "processes" sharing one Redis; each test gets its own key prefix. */
function nodes(opts: Partial<LimiterOptions> = {}): RedisLoginLimiter[] {
  const prefix = `t${++run}`;
  return [0, 1, 2].map(() => {
    const c = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    c.on('error', () => {});
    clients.push(c);
    return new RedisLoginLimiter(c, opts, Date.now, prefix);
  });
}
const ready = async () => {
  for (const c of clients) if (c.status !== 'ready') await new Promise((r) => c.once('ready', r));
};
const untrusted = (account: string, address = '203.0.113.7'): LoginAttempt => ({ account, address, device: null });
const waitOf = async (l: RedisLoginLimiter, a: LoginAttempt) => {
  const v = await l.admit(a);
  return v.allowed ? 0 : v.retryAt - Date.now();
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the login limiter shared through Redis', () => {
  it('failures of one account spread over three nodes count together: the sixth waits, refused ones do not count', async () => {
    const ns = nodes();
    await ready();
    const a = untrusted('dean@demo.test');
    for (let i = 0; i < 5; i++) expect(await waitOf(ns[i % 3], a)).toBe(0);
    const first = await waitOf(ns[2], a);
    expect(first).toBeGreaterThan(DEFAULT_LIMITS.baseDelayMs - 2000);
    expect(first).toBeLessThanOrEqual(DEFAULT_LIMITS.baseDelayMs);
    for (let i = 0; i < 20; i++) expect(await waitOf(ns[i % 3], a)).toBeGreaterThan(DEFAULT_LIMITS.baseDelayMs - 3000);
    // Another account is untouched.
    expect(await waitOf(ns[0], untrusted('other@demo.test'))).toBe(0);
  });

  it('a parallel burst on three nodes gets the free attempts and no more', async () => {
    const ns = nodes();
    await ready();
    const a = untrusted('burst@demo.test');
    const verdicts = await Promise.all(Array.from({ length: 30 }, (_, i) => ns[i % 3].admit(a)));
    const allowed = verdicts.filter((v) => v.allowed).length;
    // Five free ones; a race at the edge may let one more through, never a burst.
    expect(allowed).toBeGreaterThanOrEqual(5);
    expect(allowed).toBeLessThanOrEqual(6);
  });

  it('each further failure waits twice as long, up to the cap, on Redis time', async () => {
    const ns = nodes({ perAccount: 2, baseDelayMs: 1000, maxDelayMs: 2000, windowMs: 60_000 });
    await ready();
    const a = untrusted('slow@demo.test');
    expect(await waitOf(ns[0], a)).toBe(0);
    expect(await waitOf(ns[1], a)).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const w = await waitOf(ns[i % 3], a);
      waits.push(Math.round(w / 1000));
      await sleep(w + 50);
      expect(await waitOf(ns[(i + 1) % 3], a)).toBe(0);
    }
    expect(waits).toEqual([1, 2, 2]);
  });

  it('an address counts failures only, over all nodes; a good login gives its reservation back', async () => {
    const ns = nodes({ perAddress: 6 });
    await ready();
    for (let i = 0; i < 20; i++) {
      const a = untrusted(`student${i}@demo.test`, '192.0.2.1');
      expect(await ns[i % 3].admit(a)).toEqual({ allowed: true });
      await ns[(i + 1) % 3].succeeded(a);
    }
    for (let i = 0; i < 6; i++) expect(await waitOf(ns[i % 3], untrusted(`victim${i}@demo.test`, '192.0.2.1'))).toBe(0);
    expect(await ns[1].admit(untrusted('fresh@demo.test', '192.0.2.1'))).toMatchObject({ allowed: false, reason: 'address' });
    expect(await ns[2].admit(untrusted('fresh@demo.test', '192.0.2.2'))).toEqual({ allowed: true });
  });

  it('a trusted device is admitted while the account is under attack, and locks only itself', async () => {
    const ns = nodes();
    await ready();
    for (let i = 0; i < 30; i++) await ns[i % 3].admit(untrusted('dean@demo.test', `198.51.100.${i}`));
    const mine: LoginAttempt = { account: 'dean@demo.test', address: '10.0.0.1', device: 'my-device' };
    expect(await ns[0].admit(mine)).toEqual({ allowed: true });
    await ns[1].succeeded(mine);
    for (let i = 0; i < DEFAULT_LIMITS.perDevice; i++) expect(await waitOf(ns[i % 3], mine)).toBe(0);
    expect(await ns[2].admit(mine)).toMatchObject({ allowed: false, reason: 'account' });
    expect(await ns[0].admit({ ...mine, device: 'other-device' })).toEqual({ allowed: true });
  });

  it('while Redis is down each node still throttles on its own, and logins go on', async () => {
    const ns = nodes();
    await ready();
    await redis.stop();
    try {
      const a = untrusted('outage@demo.test');
      for (let i = 0; i < 5; i++) expect(await waitOf(ns[0], a)).toBe(0);
      expect(await waitOf(ns[0], a)).toBeGreaterThan(0);
    } finally {
      await redis.start();
    }
  });
});
