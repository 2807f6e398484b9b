import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inArray, sql } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileSql, SqliteStore } from '../../db/store';
import { storeContract } from './store-contract';

let dir: string;
let raw: Database.Database;
let store: SqliteStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zachetka-store-'));
  raw = new Database(join(dir, 's.sqlite'));
  raw.pragma('journal_mode = WAL');
  raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL, flag INTEGER)');
  raw.exec("CREATE TABLE counter (n INTEGER NOT NULL); INSERT INTO counter VALUES (0)");
  store = new SqliteStore(raw);
});

afterEach(async () => {
  await store.close();
  raw.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = async () => (await store.get<{ n: number }>(sql`SELECT count(*) AS n FROM t`))!.n;
const tick = () => new Promise((r) => setTimeout(r, 1));

describe('store.tx', () => {
  storeContract(() => store);

  it('a failed transaction leaves the writer connection outside any transaction', async () => {
    await expect(store.tx(async (tx) => {
      await tx.run(sql`INSERT INTO t (v) VALUES (${1})`);
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(raw.inTransaction).toBe(false);
  });

  it('two concurrent transactions never interleave, even across real awaits', async () => {
    const events: string[] = [];
    const one = (name: string) =>
      store.tx(async (tx) => {
        events.push(`${name}:begin`);
        const { n } = (await tx.get<{ n: number }>(sql`SELECT n FROM counter`))!;
        await tick(); // a lost update would show here if another transaction could run in between
        await tx.run(sql`UPDATE counter SET n = ${n + 1}`);
        events.push(`${name}:end`);
      });
    await Promise.all(Array.from({ length: 20 }, (_, i) => one(`t${i}`)));
    expect((await store.get<{ n: number }>(sql`SELECT n FROM counter`))!.n).toBe(20);
    for (let i = 0; i < events.length; i += 2) {
      expect(events[i].replace(':begin', '')).toBe(events[i + 1].replace(':end', ''));
    }
  });

  it('refuses a write outside a transaction through the read-only root', async () => {
    // A write sent down the read path (all/get outside a transaction) reaches the read-only connection, which refuses it.
    await expect(store.all(sql`INSERT INTO t (v) VALUES (1)`)).rejects.toThrow(/readonly/);
    const r = await store.run(sql`INSERT INTO t (v) VALUES (${3})`); // run at the root is its own transaction
    expect(r.changes).toBe(1);
    expect(await count()).toBe(1);
  });

  it('binds booleans and reuses compiled statements', async () => {
    await store.tx(async (tx) => {
      for (const flag of [true, false, true]) await tx.run(sql`INSERT INTO t (v, flag) VALUES (${1}, ${flag})`);
    });
    const rows = await store.all<{ flag: number }>(sql`SELECT flag FROM t WHERE flag = ${true}`);
    expect(rows).toHaveLength(2);
  });

  it('compiles inArray lists in its own walk, as drizzle would: same text, same values, same rows', async () => {
    await store.tx(async (tx) => {
      for (const v of [3, 5, 7, 9]) await tx.run(sql`INSERT INTO t (v) VALUES (${v})`);
    });
    const q = sql`SELECT v FROM t WHERE ${inArray(sql`v`, [5, 9, 11])} AND v > ${4} ORDER BY v`;
    const drizzles = new SQLiteSyncDialect().sqlToQuery(q.getSQL());
    const ours = compileSql(q);
    expect(ours).not.toHaveProperty('typings'); // the fast walk took it; drizzle's compiler adds typings
    expect({ sql: ours.sql, params: ours.params }).toEqual({ sql: drizzles.sql, params: drizzles.params });
    expect((await store.all<{ v: number }>(q)).map((r) => r.v)).toEqual([5, 9]);
  });
});

describe('group commit', () => {
  const values = async () => (await store.all<{ v: number }>(sql`SELECT v FROM t ORDER BY v`)).map((r) => r.v);
  const write = (v: number, fail?: string) => store.tx(async (tx) => {
    await tx.run(sql`INSERT INTO t (v) VALUES (${v})`);
    if (fail) throw new Error(fail);
    return v;
  });

  it('transactions asked for in one turn share one commit; each resolves after it', async () => {
    const commitsBefore = store.stats.commits;
    const seen: string[] = [];
    const off = store.onCommit(() => seen.push('commit'));
    const all = await Promise.all([1, 2, 3, 4, 5].map((v) => write(v).then((r) => (seen.push(`reply ${r}`), r))));
    off();
    expect(all).toEqual([1, 2, 3, 4, 5]);
    expect(store.stats.commits - commitsBefore).toBe(1);
    expect(seen[0]).toBe('commit'); // no reply before the COMMIT returned
    expect(await values()).toEqual([1, 2, 3, 4, 5]);
  });

  it('one that fails is rolled back to its savepoint and fails alone', async () => {
    const results = await Promise.allSettled([write(1), write(2, 'stale version'), write(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('stale version');
    expect(await values()).toEqual([1, 3]);
  });

  it('a failed COMMIT fails every transaction of the batch and keeps none of their writes', async () => {
    raw.pragma('foreign_keys = ON');
    raw.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY)');
    raw.exec('CREATE TABLE child (pid INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)');
    const ok = write(1);
    // Checked only at COMMIT: the whole batch's commit is refused.
    const orphan = store.tx((tx) => tx.run(sql`INSERT INTO child (pid) VALUES (${42})`));
    const results = await Promise.allSettled([ok, orphan]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await values()).toEqual([]);
    expect(await write(2)).toBe(2); // the store goes on
    expect(await values()).toEqual([2]);
  });

  it('when SQLite ends the whole transaction, what ran with it fails too and the rest run in the next batch', async () => {
    const first = write(1);
    const killer = store.tx(async (tx) => {
      await tx.run(sql`INSERT INTO t (v) VALUES (${2})`);
      await tx.run(sql`ROLLBACK`); // what SQLITE_FULL or an I/O error does to the open transaction
      throw new Error('disk full');
    });
    const results = await Promise.allSettled([first, killer, write(3)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(await values()).toEqual([3]);
  });
});

describe('store on a :memory: database', () => {
  it('shares the one connection and makes reads wait for the open transaction', async () => {
    const mem = new Database(':memory:');
    mem.exec('CREATE TABLE t (v INTEGER)');
    const s = new SqliteStore(mem);
    let go!: () => void;
    let opened!: () => void;
    const proceed = new Promise<void>((r) => (go = r));
    const inside = new Promise<void>((r) => (opened = r));
    const done = s.tx(async (tx) => {
      await tx.run(sql`INSERT INTO t VALUES (${1})`);
      opened();
      await proceed;
    });
    await inside; // the transaction is open and has written: a read now must not see its write
    const read = s.get<{ n: number }>(sql`SELECT count(*) AS n FROM t`);
    go();
    await done;
    expect((await read)!.n).toBe(1);
    await s.close();
    mem.close();
  });
});
