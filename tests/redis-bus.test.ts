// The bell between processes over Redis (DESIGN.md §5, issue 12 item 4): two stores on one database
// (one SQLite file, or under test:pg one PostgreSQL database) stand for two processes, each with its own publisher and its own connections to a private redis-server.
// The publishers' timers are set to a minute, so only the bell (or the reconnect) can deliver in time.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeTestApp, type TestApp } from './helpers/app';
import { startRedis, type TestRedis } from './helpers/redis';
import { RedisBus } from '../server/realtime/redis-bus';
import { ChangePublisher } from '../server/realtime/publisher';
import { ChangeFeed } from '../server/realtime/changes';
import { appendAudit } from '../db/queries/audit';
import type { Store } from '../db/store';

let t: TestApp;
let redis: TestRedis;
beforeAll(async () => {
  t = await makeTestApp();
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
  await t?.close();
});

const until = async (ok: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

type Node = { store: Store; bus: RedisBus; publisher: ChangePublisher; seen: number[]; bells: (number | null)[] };

async function node(): Promise<Node> {
  const store = await t.openAnother();
  const bus = new RedisBus(redis.url);
  await bus.ready();
  const feed = new ChangeFeed();
  const seen: number[] = [];
  const bells: (number | null)[] = [];
  bus.subscribe((id) => bells.push(id));
  feed.subscribe((c) => { if (c.entity.startsWith('audit:')) seen.push(c.auditId); });
  const publisher = new ChangePublisher({ store, bus, feed, intervalMs: 60_000, onError: (e) => { throw e; } });
  await publisher.start();
  return { store, bus, publisher, seen, bells };
}

const close = async (n: Node) => {
  await n.publisher.stop();
  await n.bus.close();
  await n.store.close();
};

const ping = async (n: Node) =>
  (await n.store.tx((tx) => appendAudit(tx, { actorId: null, actorRole: null, ip: null, action: 'test.ping', entity: 'test' }))).id;

describe('the Redis bus between two processes', () => {
  it('a commit on one is read by the other on its bell, once, in order; the writer rings once per commit', async () => {
    const [a, b] = [await node(), await node()];
    try {
      const ids: number[] = [];
      for (let i = 0; i < 20; i++) ids.push(await ping(a));
      await until(() => b.seen.length >= 20);
      expect(b.seen).toEqual(ids);
      expect(a.seen).toEqual(ids);
      // B only read because of A's bells: it rang none of its own (A hears nothing but its own echo).
      await new Promise((r) => setTimeout(r, 100));
      expect(a.bells.every((id) => id !== null && ids.includes(id))).toBe(true);
      expect(a.bells.length).toBeLessThanOrEqual(20);
    } finally {
      await close(a);
      await close(b);
    }
  });

  it('writes while Redis is down reach the other process when it reconnects, none twice', async () => {
    const [a, b] = [await node(), await node()];
    try {
      await redis.stop();
      const ids: number[] = [];
      for (let i = 0; i < 10; i++) ids.push(await ping(a)); // the bells are dropped: nobody to ring
      await new Promise((r) => setTimeout(r, 200));
      expect(b.seen).toEqual([]);
      await redis.start();
      // ioredis reconnects on its own backoff, slower on a loaded machine: a state to wait for, not a time.
      await until(() => b.seen.length >= 10, 30_000);
      expect(b.bells).toContain(null);
      const more = await ping(a);
      await until(() => b.seen.includes(more), 30_000);
      expect(b.seen).toEqual([...ids, more]);
    } finally {
      await close(a);
      await close(b);
    }
  }, 90_000);
});
