// What several app processes share besides the database (DESIGN.md §5): with REDIS_URL, the bell between
// their change publishers and the login limiter live in Redis; without it, in memory, as on one process.
import type { Config } from './config';
import type { Bus } from './realtime/bus';
import { RedisBus, backoff } from './realtime/redis-bus';
import type { LoginThrottle } from './auth/login-limiter';
import { RedisLoginLimiter } from './auth/login-limiter-redis';
import { Redis } from 'ioredis';

export type SharedState = {
  bus?: Bus;
  loginThrottle?: LoginThrottle;
  /** One line for the start banner. */
  describe: string;
  close(): Promise<void>;
};

export class SharedStateError extends Error {}

export async function openSharedState(config: Config, onError: (err: Error) => void): Promise<SharedState> {
  if (!config.redisUrl) return { describe: 'in this process (no REDIS_URL)', close: async () => {} };
  const shown = redact(config.redisUrl);
  const bus = new RedisBus(config.redisUrl, { onError });
  try {
    await bus.ready();
  } catch (e) {
    await bus.close();
    throw new SharedStateError(`REDIS_URL: cannot reach Redis at ${shown}: ${(e as Error).message}`);
  }
  // Its own connection: a limiter's command that cannot go now fails at once (and the in-memory
  // insurance limiter answers) instead of waiting in a queue while a login hangs.
  const limiterClient = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: backoff });
  limiterClient.on('error', () => {}); // the bus reports the outage once
  return {
    bus,
    loginThrottle: new RedisLoginLimiter(limiterClient),
    describe: `Redis at ${shown} (change bell, login limiter)`,
    close: async () => {
      limiterClient.disconnect();
      await bus.close();
    },
  };
}

/** The URL without its password, for logs and the banner. */
export function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
