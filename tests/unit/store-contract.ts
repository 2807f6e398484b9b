// What every store promises (db/store.ts), run against SQLite (store.test.ts) and PostgreSQL
// (store-pg.test.ts): each file gives a fresh store with a table `t (id, v integer NOT NULL)`.
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { Store, Tx } from '../../db/store';

export function storeContract(current: () => Store): void {
  const count = async () => (await current().get<{ n: number }>(sql`SELECT count(*) AS n FROM t`))!.n;

  it('an error after two writes leaves neither', async () => {
    await expect(current().tx(async (tx) => {
      await tx.run(sql`INSERT INTO t (v) VALUES (${1})`);
      await tx.run(sql`INSERT INTO t (v) VALUES (${2})`);
      expect((await tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM t`))!.n).toBe(2);
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await count()).toBe(0);
  });

  it('reads outside a transaction see only committed data', async () => {
    let inside!: () => void;
    const paused = new Promise<void>((r) => (inside = r));
    let go!: () => void;
    const proceed = new Promise<void>((r) => (go = r));
    const done = current().tx(async (tx) => {
      await tx.run(sql`INSERT INTO t (v) VALUES (${7})`);
      inside();
      await proceed;
    });
    await paused;
    expect(await count()).toBe(0);
    go();
    await done;
    expect(await count()).toBe(1);
  });

  it('a nested tx is a savepoint: its failure undoes only its own writes, even a failed statement', async () => {
    await current().tx(async (tx) => {
      await tx.run(sql`INSERT INTO t (v) VALUES (${1})`);
      await expect(tx.tx(async (inner) => {
        await inner.run(sql`INSERT INTO t (v) VALUES (${2})`);
        await inner.run(sql`INSERT INTO t (v) VALUES (${null})`); // NOT NULL: PostgreSQL aborts up to the savepoint
      })).rejects.toThrow(/null|NOT NULL/i);
      await expect(tx.tx(async (inner) => {
        await inner.run(sql`INSERT INTO t (v) VALUES (${4})`);
        throw new Error('inner');
      })).rejects.toThrow('inner');
      await tx.tx(async (inner) => {
        await inner.run(sql`INSERT INTO t (v) VALUES (${3})`);
      });
    });
    expect((await current().all<{ v: number }>(sql`SELECT v FROM t ORDER BY v`)).map((r) => r.v)).toEqual([1, 3]);
  });

  it('after-commit callbacks and commit listeners run once the commit is done, never after a rollback', async () => {
    const seen: string[] = [];
    const off = current().onCommit(() => seen.push('listener'));
    await current().tx(async (tx) => {
      await tx.run(sql`INSERT INTO t (v) VALUES (${1})`);
      tx.afterCommit(() => seen.push('committed'));
      await tx.tx(async (inner) => inner.afterCommit(() => seen.push('kept savepoint')));
      await tx.tx(async (inner) => {
        inner.afterCommit(() => seen.push('undone savepoint'));
        throw new Error('undo');
      }).catch(() => undefined);
      expect(seen).toEqual([]);
    });
    await current().tx(async (tx) => {
      tx.afterCommit(() => seen.push('rolled back'));
      throw new Error('no');
    }).catch(() => undefined);
    off();
    expect(seen).toEqual(['committed', 'kept savepoint', 'listener']);
  });

  it('an after-commit callback that throws does not undo the commit or stop the others', async () => {
    const seen: string[] = [];
    const off = current().onCommit(() => seen.push('listener'));
    await current().tx(async (tx) => {
      await tx.run(sql`INSERT INTO t (v) VALUES (${1})`);
      tx.afterCommit(() => { throw new Error('callback'); });
    });
    off();
    expect(seen).toEqual(['listener']);
    expect(await count()).toBe(1);
  });

  it('a transaction handle is dead after its callback returns', async () => {
    let leaked: Tx | undefined;
    await current().tx(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.run(sql`INSERT INTO t (v) VALUES (${1})`)).rejects.toThrow(/already finished/);
    await expect(leaked!.get(sql`SELECT 1 AS one`)).rejects.toThrow(/already finished/);
    expect(await count()).toBe(0);
  });
}
