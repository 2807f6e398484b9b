import { describe, it, expect } from 'vitest';
import { rmSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { makeTestApp, loginAs, userId } from './helpers/app';
import { courseOf } from './helpers/lookup';

const views = (t: Awaited<ReturnType<typeof makeTestApp>>, student: number) =>
  t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'student.view' AND student_id = ${student}`).then((r) => r!.n);
const lastSeen = (t: Awaited<ReturnType<typeof makeTestApp>>, id: number) =>
  t.store.get<{ at: number | null }>(sql`SELECT last_seen_at AS at FROM users WHERE id = ${id}`).then((r) => r!.at);

describe('visits are written in batches, off the request path', () => {
  it('a GET writes nothing; the next flush writes the stamp and the views in one go, with the time of the view', async () => {
    const t = await makeTestApp();
    try {
      const student = await userId(t.store, 'student@demo.test');
      const parentId = await userId(t.store, 'parent@demo.test');
      const anatomy = await courseOf(t.store, 'Human Anatomy', '1101');
      t.app.visits.start(3_600_000); // no timer's flush in the middle of this test: the test flushes
      const parent = await loginAs(t.app, 'parent@demo.test');
      await t.app.visits.flush(); // whatever the login's pages left
      const before = await views(t, student);
      const seenBefore = await lastSeen(t, student);
      const viewedAt = Date.parse('2026-11-24T09:30:00Z');
      t.setNow(viewedAt);
      expect((await parent.get(`/students/${student}`)).statusCode).toBe(200);
      expect((await parent.get(`/students/${student}/courses/${anatomy}`)).statusCode).toBe(200);
      const me = await loginAs(t.app, 'student@demo.test');
      expect((await me.get('/')).statusCode).toBe(200);
      expect(await views(t, student)).toBe(before);
      expect(await lastSeen(t, student)).toBe(seenBefore);
      t.setNow(viewedAt + 60_000);
      await t.app.visits.flush();
      expect(await views(t, student)).toBe(before + 2);
      expect(await lastSeen(t, student)).toBe(viewedAt);
      const rows = await t.store.all<{ at: number; actor: number; course: number | null }>(sql`SELECT at, actor_id AS actor, course_id AS course
        FROM audit_log WHERE action = 'student.view' AND student_id = ${student} ORDER BY id DESC LIMIT 2`);
      expect(rows).toEqual([{ at: viewedAt, actor: parentId, course: anatomy }, { at: viewedAt, actor: parentId, course: null }]);
      expect(t.app.visits.pending).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('a view not yet flushed survives app.close(), and the chain still verifies', async () => {
    const t = await makeTestApp();
    const student = await userId(t.store, 'student@demo.test');
    t.app.visits.start(3_600_000);
    const before = await views(t, student);
    const dean = await loginAs(t.app, 'dean@demo.test');
    expect((await dean.get(`/students/${student}`)).statusCode).toBe(200);
    expect(t.app.visits.pending).toBeGreaterThan(0);
    await t.app.close(); // as `npm start` does on SIGTERM, before the store closes
    try {
      expect(await views(t, student)).toBe(before + 1);
      const { verifyAuditChain } = await import('../db/queries/audit');
      expect((await verifyAuditChain(t.store)).ok).toBe(true);
    } finally {
      await t.store.close();
      rmSync(t.dir, { recursive: true, force: true });
    }
  });

  it("the student sees a guardian's view on her page at once, before the timer's flush", async () => {
    const t = await makeTestApp();
    try {
      const student = await userId(t.store, 'student@demo.test');
      t.app.visits.start(3_600_000);
      const parent = await loginAs(t.app, 'parent@demo.test');
      t.setNow(Date.parse('2026-11-24T09:45:00Z'));
      await parent.get(`/students/${student}`);
      const me = await loginAs(t.app, 'student@demo.test');
      const page = await me.get(`/students/${student}/guardians`);
      expect(page.statusCode).toBe(200);
      expect(t.app.visits.pending).toBe(0);
      expect(await views(t, student)).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });
});
