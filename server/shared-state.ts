// What several app processes share besides the database (DESIGN.md §5): with REDIS_URL, the bell between
// their change publishers and the login limiter live in Redis; without it, in memory, as on one process.
import type { Config } from './config';
import type { Bus } from './realtime/bus';
import { RedisBus } from './realtime/redis-bus';
import type { LoginThrottle } from './auth/login-limiter';

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
  return { bus, describe: `Redis at ${shown}`, close: () => bus.close() };
}

/** The URL without its password, for logs and the banner. */
export function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
