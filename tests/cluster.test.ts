// The cluster (issue 12): three app processes (real `node --import tsx server/main.ts` children on their
// own ports) sharing one PostgreSQL database (created and dropped here) and one Redis (a private
// redis-server this test kills and starts again). Pushes cross processes by the Redis bell; a lost bell
// (Redis down) delays a push, never loses it; a SIGKILLed process loses no acknowledged write; writers on
// every process keep the audit chain gapless and valid; failed logins count together wherever they land.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { startRedis, type TestRedis } from './helpers/redis';
import { createDatabase } from './helpers/pg';
import { startApp, follow, until, versionsIn, Browser, type AppProcess, type ClusterEnv, type Page } from './helpers/cluster';
import { openPgStore } from '../db/client-pg';
import { verifyAuditChain } from '../db/queries/audit';
import type { Store } from '../db/store';

let redis: TestRedis;
let db: { url: string; drop: () => Promise<void> };
let store: Store;
let env: ClusterEnv;
const nodes: AppProcess[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'zachetka-cluster-'));
const sockets: Page[] = [];

type Cell = { courseId: number; lessonId: number; studentId: number; av: number; mv: number; value: number };
let cells: Cell[] = [];
let teacher: Browser;

// The cluster is always on PostgreSQL, whichever database the suite runs on: once per CI run is enough,
// so the PostgreSQL run of the suite (TEST_DB=postgres) leaves it to the default run.
const ALREADY_RUN = process.env.TEST_DB === 'postgres';

beforeAll(async () => {
  if (ALREADY_RUN) return;
  redis = await startRedis();
  db = await createDatabase('zachetka_cluster');
  env = {
    DATABASE_URL: db.url, REDIS_URL: redis.url, DATA_DIR: dataDir, TRUST_PROXY: '127.0.0.1',
    SECRET: randomBytes(32).toString('hex'),
  };
  // All three at once on the empty database: one migrates while the others wait for its lock, one demo
  // seed commits and the others roll back and find the register made.
  nodes.push(...(await Promise.all([startApp(env, 'A'), startApp(env, 'B'), startApp(env, 'C')])));
  expect(nodes.filter((n) => n.output().includes('Seeded')).length).toBe(1);
  store = await openPgStore(db.url);
  const today = JSON.parse((await store.get<{ after: string }>(sql`SELECT after FROM audit_log WHERE action = 'seed.demo'`))!.after).today as string;
  // Cells of teacher@'s group lessons up to today, with students in the group that day (as the crash test).
  cells = await store.all<Cell>(sql`SELECT l.course_id AS "courseId", l.id AS "lessonId", m.student_id AS "studentId",
      COALESCE(a.version, 0) AS av, COALESCE(k.version, 0) AS mv, COALESCE(k.value, 0) AS value
    FROM lessons l JOIN course_teachers ct ON ct.course_id = l.course_id JOIN users t ON t.id = ct.teacher_id
    JOIN group_memberships m ON m.group_id = l.group_id AND m.from_date <= l.date AND m.to_date IS NULL
    LEFT JOIN attendance a ON a.lesson_id = l.id AND a.student_id = m.student_id
    LEFT JOIN marks k ON k.lesson_id = l.id AND k.student_id = m.student_id
    WHERE t.email = 'teacher@demo.test' AND l.group_id IS NOT NULL AND l.cancelled = ${false} AND l.date <= ${today}
      AND NOT EXISTS (SELECT 1 FROM excused_periods e WHERE e.student_id = m.student_id AND l.date BETWEEN e.from_date AND e.to_date)
    ORDER BY l.course_id, l.date DESC, l.id, m.student_id LIMIT 400`);
  teacher = new Browser(nodes[0].base);
  expect((await teacher.login('teacher@demo.test')).status).toBe(303);
}, 240_000);

afterAll(async () => {
  if (ALREADY_RUN) return rmSync(dataDir, { recursive: true, force: true });
  for (const s of sockets) s.ws.terminate();
  await Promise.all(nodes.map((n) => n.kill('SIGKILL')));
  await store?.close();
  await db?.drop();
  await redis?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

const [A, B, C] = [0, 1, 2];
const takeCells = (() => {
  let next = 0;
  return (n: number, courseId?: number) => {
    const pool = cells.filter((c, i) => i >= next && (courseId === undefined || c.courseId === courseId));
    const picked = pool.slice(0, n);
    expect(picked.length).toBe(n);
    next = cells.indexOf(picked[picked.length - 1]) + 1;
    // Cells taken are used once: later picks start after them (also across courses).
    for (const c of picked) cells.splice(cells.indexOf(c), 1, { ...c, courseId: -1 });
    return picked;
  };
})();

/** Saves the cell's next mark (always a different value, so every save is a change) through `base`. */
async function save(b: Browser, base: string, cell: Cell, reason: string) {
  const value = (cell.value % 10) + 1;
  const res = await b.post(`/courses/${cell.courseId}/cells`, {
    lessonId: cell.lessonId, studentId: cell.studentId, value, av: cell.av, mv: cell.mv, reason,
  }, base);
  const v = versionsIn(res.body, cell.lessonId, cell.studentId);
  if (v) Object.assign(cell, v);
  if (res.status === 200) cell.value = value;
  return { status: res.status, value };
}

const open = async (node: number, courseId: number) => {
  const p = await follow(nodes[node].base, teacher, courseId);
  sockets.push(p);
  return p;
};
const cellPushes = (p: Page, cell: Cell) => p.received.filter((m) => m.html?.includes(`id="c-${cell.lessonId}-${cell.studentId}"`));
const markIdsAfter = async (after: number, reason: string) =>
  (await store.all<{ id: number }>(sql`SELECT id FROM audit_log WHERE id > ${after} AND entity = 'mark' AND reason = ${reason} ORDER BY id`))
    .map((r) => Number(r.id));
const lastId = async () => Number((await store.get<{ id: number }>(sql`SELECT max(id) AS id FROM audit_log`))!.id);

describe.skipIf(ALREADY_RUN)('three app processes on PostgreSQL and Redis', { timeout: 180_000 }, () => {
  it('a mark saved on A reaches the live pages on B and C within a second', async () => {
    const [cell] = takeCells(1);
    const pages = [await open(B, cell.courseId), await open(B, cell.courseId), await open(C, cell.courseId), await open(C, cell.courseId)];
    // Warm-up: the sockets have joined their topics once the first push reached every one of them.
    expect((await save(teacher, nodes[A].base, cell, 'cluster warm-up')).status).toBe(200);
    expect(await until(() => pages.every((p) => cellPushes(p, cell).length > 0), 15_000)).toBe(true);
    const r = await save(teacher, nodes[A].base, cell, 'cluster push');
    expect(r.status).toBe(200);
    // The cell's own fragment with the new value (a save may push it once per audit row it wrote).
    const shows = new RegExp(`id="c-${cell.lessonId}-${cell.studentId}"[^>]*>${r.value}</td>`);
    const delivered = await until(() => pages.every((p) => p.received.some((m) => shows.test(m.html ?? ''))), 1000);
    expect(delivered, 'pushed to every page on B and C within 1 s').toBe(true);
  });

  it('10 failed logins spread over the three count as 10, and an account’s throttle holds on every node', async () => {
    const before = await lastId();
    const sprayer = '198.51.100.77';
    for (let i = 0; i < 10; i++) {
      const b = new Browser(nodes[i % 3].base, sprayer);
      expect((await b.login(`nobody${i}@demo.test`, 'wrong-password')).status).toBe(401);
    }
    const r = new Redis(redis.url);
    try {
      expect(await r.get(`zachetka:login:ip:ip:${sprayer}`)).toBe('10');
    } finally {
      r.disconnect();
    }
    const failed = await store.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log WHERE id > ${before} AND action = 'login.failed' AND ip = ${sprayer}`);
    expect(Number(failed!.n)).toBe(10);

    // Five free failures for an account, wherever they land; the sixth waits, on any node.
    const guesser = '198.51.100.78';
    for (let i = 0; i < 5; i++) {
      expect((await new Browser(nodes[i % 3].base, guesser).login('dean@demo.test', 'guess')).status).toBe(401);
    }
    for (const n of [A, B, C]) {
      const res = await new Browser(nodes[n].base, guesser).login('dean@demo.test', 'guess');
      expect(res.status).toBe(429);
      expect(res.body).toMatch(/Too many|Слишком много/);
    }
  });

  it('Redis down while A saves 50 marks, then back: C’s pages get all 50, in order, none twice', async () => {
    const course = cells.find((c) => c.courseId > 0)!.courseId;
    const mine = takeCells(5, course);
    const pages = [await open(C, course), await open(C, course)];
    const before = await lastId();
    await redis.stop();
    try {
      for (let i = 0; i < 50; i++) expect((await save(teacher, nodes[A].base, mine[i % mine.length], 'cluster outage')).status).toBe(200);
    } finally {
      await redis.start();
    }
    const ids = await markIdsAfter(before, 'cluster outage');
    expect(ids.length).toBe(50);
    const got = (p: Page) => p.received.map((m) => m.id).filter((id) => id > before);
    expect(await until(() => pages.every((p) => ids.every((id) => got(p).includes(id))), 15_000)).toBe(true);
    for (const p of pages) {
      const seen = got(p);
      // Strictly increasing: in commit order, and no id twice.
      expect(seen.every((id, i) => i === 0 || id > seen[i - 1])).toBe(true);
      expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
    }
    // The bell rings again: the next save on A reaches C too.
    const cell = mine[0];
    expect((await save(teacher, nodes[A].base, cell, 'cluster after outage')).status).toBe(200);
    expect(await until(() => pages.every((p) => p.received.some((m) => m.id > ids[ids.length - 1])), 5000)).toBe(true);
  });

  it('writers on all three at once keep the audit chain gapless and valid, every save stored', async () => {
    const mine = takeCells(12);
    // Signed in one after another: parallel sign-ins of one account are throttled like guesses (by design).
    const signedIn: Browser[] = [];
    for (const node of [A, A, B, B, C, C]) {
      const b = new Browser(nodes[node].base);
      expect((await b.login('teacher@demo.test')).status).toBe(303);
      signedIn.push(b);
    }
    const writers = [A, B, C].flatMap((node) => [0, 1].map(async (k) => {
      const b = signedIn[node * 2 + k];
      const own = mine.slice((node * 2 + k) * 2, (node * 2 + k) * 2 + 2);
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await save(b, nodes[node].base, own[i % 2], 'cluster concurrent')).status);
      return statuses;
    }));
    const statuses = (await Promise.all(writers)).flat();
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect((await markIdsAfter(0, 'cluster concurrent')).length).toBe(60);
    const span = (await store.get<{ n: number; lo: number; hi: number }>(sql`SELECT count(*) AS n, min(id) AS lo, max(id) AS hi FROM audit_log`))!;
    expect(Number(span.hi) - Number(span.lo) + 1).toBe(Number(span.n));
    expect(await verifyAuditChain(store)).toMatchObject({ ok: true });
    for (const c of mine) {
      const m = await store.get<{ value: number }>(sql`SELECT value FROM marks WHERE lesson_id = ${c.lessonId} AND student_id = ${c.studentId}`);
      expect(m?.value).toBe(c.value);
    }
  });

  it('kill -9 of B during a write storm on B: every acknowledged save is there after the restart, the chain verifies', async () => {
    const mine = takeCells(8);
    const browsers: Browser[] = [];
    for (let i = 0; i < 4; i++) {
      const b = new Browser(nodes[B].base);
      expect((await b.login('teacher@demo.test')).status).toBe(303);
      browsers.push(b);
    }
    type Sent = { cell: Cell; value: number; seq: number; acked: boolean };
    const sent: Sent[] = [];
    let acks = 0;
    let gone = false;
    const killAfter = 20 + Math.floor(Math.random() * 40);
    const storm = browsers.map(async (b, k) => {
      const own = mine.slice(k * 2, k * 2 + 2);
      for (let seq = 0; !gone; seq++) {
        const cell = own[seq % 2];
        const s: Sent = { cell, value: (cell.value % 10) + 1, seq, acked: false };
        sent.push(s);
        try {
          const r = await save(b, nodes[B].base, cell, 'cluster storm');
          if (r.status === 200) { s.acked = true; acks++; }
        } catch {
          return; // B is gone
        }
      }
    });
    await until(() => acks >= killAfter, 20_000, 2);
    await nodes[B].kill('SIGKILL');
    gone = true;
    await Promise.all(storm);
    expect(acks).toBeGreaterThanOrEqual(killAfter);

    nodes[B] = await startApp(env, 'B again');
    expect(nodes[B].output()).not.toContain('Seeded');
    const lost: string[] = [];
    for (const cell of mine) {
      const all = sent.filter((s) => s.cell === cell);
      const lastAck = all.filter((s) => s.acked).at(-1);
      if (!lastAck) continue;
      // The last acknowledged value, or one sent after it (that may have committed before the kill).
      const allowed = new Set(all.filter((s) => s.seq >= lastAck.seq).map((s) => s.value));
      const m = await store.get<{ value: number }>(sql`SELECT value FROM marks WHERE lesson_id = ${cell.lessonId} AND student_id = ${cell.studentId}`);
      if (!m || !allowed.has(m.value)) lost.push(`${cell.lessonId}/${cell.studentId}: acknowledged ${lastAck.value}, stored ${m?.value}`);
    }
    expect(lost).toEqual([]);
    expect(await verifyAuditChain(store)).toMatchObject({ ok: true });
    const span = (await store.get<{ n: number; lo: number; hi: number }>(sql`SELECT count(*) AS n, min(id) AS lo, max(id) AS hi FROM audit_log`))!;
    expect(Number(span.hi) - Number(span.lo) + 1).toBe(Number(span.n));
    // The restarted B serves the journal and its pages follow saves made on C.
    const [cell] = takeCells(1);
    const page = await open(B, cell.courseId);
    expect((await save(teacher, nodes[C].base, cell, 'cluster after kill')).status).toBe(200);
    expect(await until(() => cellPushes(page, cell).length >= 1, 15_000)).toBe(true);
  });
});
