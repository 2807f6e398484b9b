import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import Database from 'better-sqlite3';
import { ON_PG } from './helpers/pg';

// Raw better-sqlite3 connections on purpose, not the store: these tests check the database file's own
// guarantees (the append-only triggers refusing UPDATE/DELETE, tampering by someone with file access
// who drops them, an online backup and restore by the operator CLIs), on copies no app has open.
// On PostgreSQL the same guarantees are tests/unit/store-pg.test.ts (triggers) and tests/db-copy.test.ts
// (audit:verify on a PostgreSQL register); backups there are pg_dump's, so this file is SQLite's alone.

/** A copy of the seeded demo database to tamper with. */
function copyOfDemo(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'zachetka-ops-')), 'zachetka.sqlite');
  copyFileSync(inject('templateDb'), file);
  return file;
}

function run(script: string, file: string, args: string[] = []) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `server/cli/${script}.ts`, ...args], { env: { ...process.env, DATABASE_FILE: file, LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

const TABLES = ['users', 'user_roles', 'groups', 'group_memberships', 'guardian_links', 'courses', 'lessons', 'attendance', 'marks', 'makeups', 'audit_log'];
function content(file: string): Record<string, unknown> {
  const db = new Database(file, { readonly: true });
  const out: Record<string, unknown> = {};
  for (const t of TABLES) out[t] = db.prepare(`SELECT count(*) AS n, total(id) AS ids FROM ${t}`).get();
  out.marks_sum = db.prepare(`SELECT group_concat(lesson_id || ':' || student_id || ':' || value) AS v FROM (SELECT * FROM marks ORDER BY id)`).get();
  out.audit_head = db.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').get();
  db.close();
  return out;
}

describe.skipIf(ON_PG)('the audit log is append-only and tamper-evident', () => {
  it('the database refuses UPDATE and DELETE on the log', () => {
    const db = new Database(copyOfDemo());
    expect(() => db.prepare("UPDATE audit_log SET reason = 'x' WHERE id = 5").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE id = 5').run()).toThrow(/append-only/);
    db.close();
  });

  it('audit:verify passes an intact chain, and names an edited row and the row after a deleted one', () => {
    const file = copyOfDemo();
    const ok = run('audit-verify', file);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/audit chain OK: \d+ rows/);

    // Someone with file access drops the guard and edits a mark's history...
    const edited = copyOfDemo();
    const db = new Database(edited);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare(`UPDATE audit_log SET after = '{"value":10}' WHERE id = 1234`).run();
    db.close();
    const bad = run('audit-verify', edited);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('BROKEN at row 1234');

    // ...or deletes a row.
    const deleted = copyOfDemo();
    const db2 = new Database(deleted);
    db2.exec('DROP TRIGGER audit_log_no_delete');
    db2.prepare('DELETE FROM audit_log WHERE id = 2000').run();
    db2.close();
    const gap = run('audit-verify', deleted);
    expect(gap.code).toBe(1);
    expect(gap.out).toContain('BROKEN at row 2001');
    expect(gap.out).toContain('missing');
  }, 60_000);
});

describe.skipIf(ON_PG)('backup and restore', () => {
  it('an online backup restores to a database whose integrity check passes and whose content equals the source', () => {
    const source = copyOfDemo();
    const out = join(mkdtempSync(join(tmpdir(), 'zachetka-backup-')), 'backup.sqlite');
    // The server would hold the database open and write meanwhile: keep a writer connection open.
    const writer = new Database(source);
    writer.pragma('journal_mode = WAL');
    const b = run('backup', source, ['--out', out]);
    expect(b.code).toBe(0);
    expect(b.out).toContain('integrity ok');
    writer.close();

    const target = copyOfDemo();
    const db = new Database(target);
    db.prepare('DELETE FROM marks WHERE id < 100').run(); // the target has drifted since
    db.close();
    const r = run('restore', target, ['--from', out]);
    expect(r.code).toBe(0);
    const restored = new Database(target, { readonly: true });
    expect(restored.pragma('integrity_check', { simple: true })).toBe('ok');
    restored.close();
    expect(content(target)).toEqual(content(source));
  }, 60_000);

  it('refuses to restore from a file that is not a sound database', () => {
    const target = copyOfDemo();
    const r = run('restore', target, ['--from', '/nonexistent.sqlite']);
    expect(r.code).toBe(2);
  });
});
