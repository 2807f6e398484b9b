// The outbox (DESIGN.md §5, issue 11 item 5): a change's notifications commit or roll back with it,
// each tied to its audit row, and the one publisher hands every committed audit row on once, in order.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { makeTestApp, loginAs, userId, type TestApp } from './helpers/app';
import { courseOf, countOf } from './helpers/lookup';
import { TEST_NOW, TEST_TODAY } from './helpers/constants';
import { writeRecord, StaleVersion, type Actor } from '../db/queries/records';
import { appendAudit } from '../db/queries/audit';
import { admissionBefore, noticeRecordChanges } from '../server/progress/notices';
import { ChangePublisher } from '../server/realtime/publisher';
import { MemoryBus } from '../server/realtime/bus';
import { ChangeFeed, type Change } from '../server/realtime/changes';
import type { Tx } from '../db/store';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

const TZ = 'Europe/Minsk';

describe('notifications in the change’s transaction', () => {
  it('commit with the mark (tied to its audit row) or, after a stale second write in the same tx, not at all', async () => {
    const course = await courseOf(t.store, 'Human Anatomy', '1101');
    const student = await userId(t.store, 'student@demo.test');
    const teacher: Actor = { id: await userId(t.store, 'teacher@demo.test'), role: 'teacher', ip: null };
    const [l1, l2] = await t.store.all<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id
      WHERE l.course_id = ${course} AND g.name = '1101' AND l.date <= ${TEST_TODAY} AND l.cancelled = ${false} ORDER BY l.date DESC LIMIT 2`);
    const version = async (lessonId: number) => Number((await t.store.get<{ v: number }>(sql`SELECT version AS v FROM marks
      WHERE lesson_id = ${lessonId} AND student_id = ${student}`))?.v ?? 0);
    const notices = () => countOf(t.store, sql`SELECT count(*) AS n FROM notifications WHERE student_id = ${student}`);
    const audits = () => countOf(t.store, sql`SELECT count(*) AS n FROM audit_log`);
    const markThen = (second: (tx: Tx) => Promise<unknown>) => t.store.tx(async (tx) => {
      const key = { lessonId: l1.id, studentId: student, courseId: course };
      const before = await admissionBefore(tx, [{ studentId: student, courseId: course }], TEST_NOW, TZ);
      const r = await writeRecord(tx, 'mark', key, { value: 4 + (Date.now() % 5) }, await version(l1.id), teacher, null, TEST_NOW);
      await noticeRecordChanges(tx, [{ auditId: r.auditId, entity: 'mark', courseId: course, studentId: student }], TEST_NOW, TZ, before);
      await second(tx);
      return r.auditId;
    });

    const [n0, a0] = [await notices(), await audits()];
    // The second write joins the same transaction (a savepoint), as writeCell's mark after its attendance.
    const stale = markThen((tx) => tx.tx(async (sp) => writeRecord(sp, 'mark',
      { lessonId: l2.id, studentId: student, courseId: course }, { value: 7 }, (await version(l2.id)) + 5, teacher, null, TEST_NOW)));
    await expect(stale).rejects.toBeInstanceOf(StaleVersion);
    expect([await notices(), await audits()]).toEqual([n0, a0]);

    const auditId = await markThen(async () => {});
    const rows = await t.store.all<{ userId: number; kind: string }>(sql`SELECT user_id AS "userId", kind FROM notifications
      WHERE audit_id = ${auditId} ORDER BY id`);
    expect(rows.filter((r) => r.kind === 'mark').map((r) => r.userId)).toContain(student);
    expect(await notices()).toBe(n0 + rows.length);
  });

  it('a mark saved through the journal leaves notifications that all name an audit row of that mark', async () => {
    const course = await courseOf(t.store, 'Human Anatomy', '1101');
    const student = await userId(t.store, 'student@demo.test');
    const lesson = (await t.store.get<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id
      WHERE l.course_id = ${course} AND g.name = '1101' AND l.date = ${TEST_TODAY}`))!.id;
    const before = await countOf(t.store, sql`SELECT count(*) AS n FROM notifications`);
    const teacher = await loginAs(t.app, 'teacher@demo.test');
    const v = (e: 'marks' | 'attendance') => t.store.get<{ v: number }>(sql`SELECT version AS v FROM ${sql.raw(e)}
      WHERE lesson_id = ${lesson} AND student_id = ${student}`);
    const res = await teacher.post(`/courses/${course}/cells`,
      { lessonId: lesson, studentId: student, value: '3', av: (await v('attendance'))?.v ?? 0, mv: (await v('marks'))?.v ?? 0 });
    expect(res.statusCode).toBe(200);
    const rows = await t.store.all<{ auditId: number | null; entity: string | null }>(sql`SELECT n.audit_id AS "auditId", a.entity
      FROM notifications n LEFT JOIN audit_log a ON a.id = n.audit_id WHERE n.id > ${before}`);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(['mark', 'attendance']).toContain(r.entity);
  });
});

describe('the change publisher', () => {
  it('hands every committed audit row on once, in id order, even rows committed while a drain runs', async () => {
    const feed = new ChangeFeed();
    // A small batch, so one drain takes several rounds of reads with commits landing between them.
    const p = new ChangePublisher({ store: t.store, bus: new MemoryBus(), feed, batch: 3, onError: (e) => { throw e; } });
    await p.start();
    const start = p.lastId;
    const ping = (i: number) => t.store.tx((tx) => appendAudit(tx, { actorId: null, actorRole: null, ip: null, action: 'test.ping', entity: 'test', after: { i } }));
    const seen: number[] = [];
    const more: Promise<unknown>[] = [];
    feed.subscribe((c: Change) => {
      if (!c.entity.startsWith('audit:')) return;
      seen.push(c.auditId);
      // Commits made from inside a drain: they land while it is still reading.
      if (seen.length % 4 === 1 && more.length < 20) for (let k = 0; k < 3; k++) more.push(ping(1000 + more.length));
    });
    await Promise.all(Array.from({ length: 10 }, (_, i) => ping(i)));
    for (let i = 0; i < 50 && more.length < 20; i++) await new Promise((r) => setTimeout(r, 20));
    await Promise.all(more);
    await p.drain();
    await p.stop();
    const last = Number((await t.store.get<{ id: number }>(sql`SELECT max(id) AS id FROM audit_log`))!.id);
    expect(last - start).toBeGreaterThanOrEqual(30);
    expect(seen).toEqual(Array.from({ length: last - start }, (_, i) => start + 1 + i));
  });

  it('hears of another process’s commit by its bell, or by its timer when the bell is lost', async () => {
    // Another process: its own store on the same database, whose commits this store's listeners never hear.
    const other = await t.openAnother();
    const ping = async () => (await other.tx((tx) => appendAudit(tx, { actorId: null, actorRole: null, ip: null, action: 'test.ping', entity: 'test' }))).id;
    const run = async (intervalMs: number, ring: boolean) => {
      const feed = new ChangeFeed();
      const bus = new MemoryBus();
      const seen: number[] = [];
      feed.subscribe((c) => { if (c.entity.startsWith('audit:')) seen.push(c.auditId); });
      const p = new ChangePublisher({ store: t.store, bus, feed, intervalMs, onError: (e) => { throw e; } });
      await p.start();
      const id = await ping();
      if (ring) bus.announce(id);
      for (let i = 0; i < 100 && !seen.includes(id); i++) await new Promise((r) => setTimeout(r, 10));
      await p.stop();
      return { seen, id };
    };
    try {
      const bell = await run(60_000, true);
      expect(bell.seen).toEqual([bell.id]);
      const timer = await run(50, false);
      expect(timer.seen).toEqual([timer.id]);
    } finally {
      await other.close();
    }
  });
});
