import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { appendAudit, GENESIS_HASH, hashAuditRow, verifyAuditChain } from '../../db/queries/audit';
import { SqliteStore } from '../../db/store';

const migrations = resolve(import.meta.dirname, '../../db/migrations');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zachetka-audit-head-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A migrated file and a store on its connection. The raw connection stays in reach on purpose: these
 * tests check the database's own guarantees beneath the store (the head's triggers refusing a delete
 * or a step back, a row cut off by someone who dropped the log's trigger).
 */
function open(file: string): { raw: Database.Database; store: SqliteStore } {
  const raw = openDatabase(file).$client;
  return { raw, store: new SqliteStore(raw) };
}

const entry = (i: number) => ({ actorId: null, actorRole: 'operator', ip: null, action: 'test.write', entity: 'test', entityId: i, at: 1_000 + i });

describe('the audit head', () => {
  it('keeps ids gapless and the chain whole under many concurrent writers', async () => {
    const { raw, store } = open(join(dir, 'a.sqlite'));
    await Promise.all(Array.from({ length: 40 }, (_, i) => store.tx(async (tx) => {
      await appendAudit(tx, entry(i));
      await appendAudit(tx, entry(i + 100));
    })));
    // A transaction that fails after appending leaves neither its row nor a moved head.
    await expect(store.tx(async (tx) => {
      await appendAudit(tx, entry(999));
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    const ids = (await store.all<{ id: number }>(sql`SELECT id FROM audit_log ORDER BY id`)).map((r) => r.id);
    expect(ids).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    expect(await verifyAuditChain(store)).toEqual({ ok: true, rows: 80 });
    const head = await store.get<{ lastId: number }>(sql`SELECT last_id AS "lastId" FROM audit_head`);
    expect(head!.lastId).toBe(80);
    await store.close();
    raw.close();
  });

  it('refuses to be removed or moved back, and names a row cut off the end', async () => {
    const { raw, store } = open(join(dir, 'b.sqlite'));
    for (let i = 0; i < 3; i++) await store.tx((tx) => appendAudit(tx, entry(i)));
    expect(() => raw.exec('DELETE FROM audit_head')).toThrow(/cannot be removed/);
    expect(() => raw.exec('UPDATE audit_head SET last_id = 1')).toThrow(/only moves forward/);
    raw.exec('DROP TRIGGER audit_log_no_delete');
    raw.exec('DELETE FROM audit_log WHERE id = 3');
    expect(await verifyAuditChain(store)).toMatchObject({ ok: false, problem: 'head', badId: 3 });
    await store.close();
    raw.close();
  });

  it('starts an existing register at its last row when the migration runs', async () => {
    // A register made before the head existed: only the first two migrations, and rows chained by hand.
    const old = join(dir, 'old-migrations');
    mkdirSync(join(old, 'meta'), { recursive: true });
    const journal = JSON.parse(readFileSync(join(migrations, 'meta/_journal.json'), 'utf8'));
    journal.entries = journal.entries.slice(0, 2);
    writeFileSync(join(old, 'meta/_journal.json'), JSON.stringify(journal));
    for (const e of journal.entries) copyFileSync(join(migrations, `${e.tag}.sql`), join(old, `${e.tag}.sql`));
    const file = join(dir, 'c.sqlite');
    const before = new Database(file); // the old register's own connection: only the first two migrations
    migrate(drizzle(before), { migrationsFolder: old });
    let prev = GENESIS_HASH;
    for (let i = 1; i <= 5; i++) {
      const row = { at: i, actorId: null, actorRole: 'operator', ip: null, action: 'old.write', entity: 'test', entityId: i,
        studentId: null, courseId: null, lessonId: null, before: null, after: null, reason: null, prevHash: prev };
      const hash = hashAuditRow(row);
      before.prepare(`INSERT INTO audit_log (at, actor_role, action, entity, entity_id, prev_hash, hash)
        VALUES (?, 'operator', 'old.write', 'test', ?, ?, ?)`).run(i, i, prev, hash);
      prev = hash;
    }
    before.close();

    const { raw, store } = open(file); // every migration, the head's included
    expect(await store.get(sql`SELECT last_id AS "lastId", last_hash AS "lastHash" FROM audit_head`)).toEqual({ lastId: 5, lastHash: prev });
    await store.tx((tx) => appendAudit(tx, entry(6)));
    expect(await verifyAuditChain(store)).toEqual({ ok: true, rows: 6 });
    await store.close();
    raw.close();
  });
});
