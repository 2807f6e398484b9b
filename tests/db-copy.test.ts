// Moving a register to PostgreSQL by the operator's commands, as real processes: db:copy from a seeded
// SQLite file into a fresh PostgreSQL database, then audit:verify on the copy, then the app writing on it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../db/store';
import { openPgStore } from '../db/client-pg';
import { seedDemo } from '../db/seed/demo';
import { appendAudit, verifyAuditChain } from '../db/queries/audit';
import { writeRecord } from '../db/queries/records';
import { copyOrder } from '../db/copy';
import { hashPassword } from '../server/auth/password';
import { DEMO_PASSWORD, TEST_NOW, TEST_TODAY } from './helpers/constants';
import { createDatabase } from './helpers/pg';

let dir: string;
let file: string;

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `server/cli/${script}.ts`, ...args],
    { env: { ...process.env, LOG_LEVEL: 'silent', DATA_DIR: dir, ...env }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zachetka-copy-'));
  file = join(dir, 'zachetka.sqlite');
  const store = openStore(file);
  await seedDemo(store, { today: TEST_TODAY, passwordHash: await hashPassword(DEMO_PASSWORD) });
  // A change made by the app after the seed: its audit row has a before/after the copy must keep byte for byte.
  const mark = (await store.get<{ lessonId: number; studentId: number; courseId: number; version: number }>(sql`SELECT
    m.lesson_id AS "lessonId", m.student_id AS "studentId", l.course_id AS "courseId", m.version
    FROM marks m JOIN lessons l ON l.id = m.lesson_id ORDER BY m.id LIMIT 1`))!;
  await writeRecord(store, 'mark', { lessonId: mark.lessonId, studentId: mark.studentId, courseId: mark.courseId }, { value: 7, comment: 'Ёж — «ok»' },
    mark.version, { id: 1, role: 'admin', ip: '10.0.0.1' }, 'перепроверка', TEST_NOW);
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run db:copy', () => {
  it('copies a SQLite register into an empty PostgreSQL database: same rows, the chain verifies, the app writes on', { timeout: 180_000 }, async () => {
    const target = await createDatabase('zk_copy');
    try {
      const r = run('db-copy', ['--from', file, '--to', target.url]);
      expect(r.out).toMatch(/row counts match, audit chain OK/);
      expect(r.code).toBe(0);

      const verify = run('audit-verify', [], { DATABASE_URL: target.url });
      expect(verify.out).toMatch(/audit chain OK: \d+ rows verified/);
      expect(verify.code).toBe(0);

      const pg = await openPgStore(target.url);
      const lite = openStore(file);
      try {
        for (const t of copyOrder()) {
          const q = sql`SELECT count(*) AS n FROM ${sql.identifier(t.name)}`;
          expect(`${t.name} ${(await pg.get<{ n: number }>(q))!.n}`).toBe(`${t.name} ${(await lite.get<{ n: number }>(q))!.n}`);
        }
        // Byte-identical audit rows: the same hashes end both chains.
        const last = sql`SELECT id, hash, after FROM audit_log ORDER BY id DESC LIMIT 1`;
        expect(await pg.get(last)).toEqual(await lite.get(last));
        expect(await pg.get(sql`SELECT disabled FROM users ORDER BY id LIMIT 1`)).toEqual({ disabled: false });
        // The identities continue after the copied ids, and the chain after the copied head.
        const before = (await pg.get<{ id: number }>(sql`SELECT max(id) AS id FROM users`))!.id;
        const added = await pg.tx(async (tx) => {
          const u = (await tx.get<{ id: number }>(sql`INSERT INTO users (email, surname, given_name) VALUES ('new@demo.test', 'New', 'One') RETURNING id`))!;
          await appendAudit(tx, { actorId: null, actorRole: 'operator', ip: null, action: 'user.create', entity: 'user', entityId: u.id });
          return u.id;
        });
        expect(added).toBe(before + 1);
        expect((await verifyAuditChain(pg)).ok).toBe(true);
      } finally {
        await pg.close();
        await lite.close();
      }

      const again = run('db-copy', ['--from', file, '--to', target.url]);
      expect(again.code).toBe(1);
      expect(again.out).toMatch(/already holds data/);
    } finally {
      await target.drop();
    }
  });

  it('refuses a target that is not PostgreSQL or not reachable, with the reason', () => {
    const wrong = run('db-copy', ['--from', file, '--to', 'mysql://u:secret@h/x']);
    expect(wrong.code).toBe(2);
    expect(wrong.out).toMatch(/must start with postgres:\/\//);
    const down = run('db-copy', ['--from', file, '--to', 'postgres://u:secret@127.0.0.1:1/x']);
    expect(down.code).toBe(2);
    expect(down.out).toMatch(/Cannot reach PostgreSQL/);
    expect(down.out).not.toMatch(/secret/);
  });
});
