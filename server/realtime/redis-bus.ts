// The bell between several app processes over Redis pub/sub (DESIGN.md §5). Pub/sub is fire-and-forget:
// a process that is disconnected when a bell rings never hears it. That is fine by design: the message
// only says "committed up to id N", each process reads the audit log itself, and on reconnecting the bus
// tells its listeners to read the log (null) instead of waiting for the next bell or the 1 s timer.
import { Redis } from 'ioredis';
import type { Bus, BusListener } from './bus';

export type RedisBusOptions = {
  /** The pub/sub channel; deployments sharing one Redis give each register its own. */
  channel?: string;
  onError?: (err: Error) => void;
};

export const DEFAULT_CHANNEL = 'zachetka:audit-committed';

export class RedisBus implements Bus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channel: string;
  private readonly listeners = new Set<BusListener>();
  private wasReady = false;
  private down = false;

  constructor(url: string, opts: RedisBusOptions = {}) {
    this.channel = opts.channel ?? DEFAULT_CHANNEL;
    // ioredis reports every failed reconnect attempt: the log hears of an outage once, not every 2 s.
    const report = opts.onError ?? (() => {});
    const onError = (err: Error) => {
      if (!this.down) report(err);
      this.down = true;
    };
    // A bell that cannot go now is dropped, not queued: the others' timers cover it, and a queue
    // replayed after an outage would only ring for ids they have long read.
    this.pub = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: backoff });
    this.sub = new Redis(url, { retryStrategy: backoff, maxRetriesPerRequest: null });
    this.pub.on('error', onError);
    this.sub.on('error', onError);
    this.sub.on('message', (_channel: string, message: string) => {
      const id = Number(message);
      if (Number.isSafeInteger(id) && id > 0) this.emit(id);
    });
    // ioredis resubscribes by itself after a reconnect; whatever rang while it was away is read from the log.
    this.pub.on('ready', () => { this.down = false; });
    this.sub.on('ready', () => {
      this.down = false;
      if (this.wasReady) this.emit(null);
      this.wasReady = true;
    });
  }

  /** Resolves once both connections are up and the channel subscribed; rejects after timeoutMs. */
  async ready(timeoutMs = 5000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Redis within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([Promise.all([connected(this.pub), this.sub.subscribe(this.channel)]), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  announce(lastId: number): void {
    if (this.pub.status !== 'ready') return;
    this.pub.publish(this.channel, String(lastId)).catch(() => {});
  }

  subscribe(fn: BusListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.pub.disconnect();
    this.sub.disconnect();
  }

  private emit(lastId: number | null): void {
    for (const fn of [...this.listeners]) fn(lastId);
  }
}

/** Reconnect quickly at first, then every second, for ever: an outage ends soon after Redis is back. */
export function backoff(times: number): number {
  return Math.min(50 * 2 ** Math.min(times, 5), 1000);
}

function connected(r: Redis): Promise<void> {
  if (r.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => r.once('ready', () => resolve()));
}
