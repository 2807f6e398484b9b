import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { lastEventId } from '../../db/queries/live';

// The live audit feed must show every row of the log, not only the record changes the journal's
// write path publishes: a dean's term lock, a role grant, a parent opening a child's page. After
// each response, rows appended since the last sweep that nobody published yet are published as
// audit-only changes. One indexed range query per request; a route's transaction has committed
// by the time it responds.

const RECENT = 10_000;

type SweptRow = { id: number; action: string; entity: string; courseId: number | null; studentId: number | null; actorId: number | null };
const num = (v: number | null) => (v === null ? null : Number(v)); // PostgreSQL hands bigints back as strings

export function registerAuditSweep(app: FastifyInstance): void {
  let last = 0;
  app.addHook('onReady', async () => {
    last = await lastEventId(app.store);
  });
  const published = new Set<number>();
  app.changes.subscribe((c) => {
    if (c.auditId <= 0) return;
    published.add(c.auditId);
    if (published.size > RECENT) published.delete(published.values().next().value!);
  });
  const sweep = async () => {
    // A write path publishes its change right after its commit, in the same turn of the event loop: read
    // after that turn, or a row committed a moment ago would be published twice.
    await new Promise((resolve) => setImmediate(resolve));
    const rows = await app.store.all<SweptRow>(sql`SELECT id, action, entity, course_id AS "courseId", student_id AS "studentId",
      actor_id AS "actorId" FROM audit_log WHERE id > ${last} ORDER BY id`);
    for (const r of rows) {
      const id = Number(r.id);
      last = id;
      if (published.has(id)) continue;
      // An `audit:` entity reaches the audit topic only; the course and student ids let the feed
      // show a dean's office just the rows about its faculty.
      app.changes.publish({ auditId: id, entity: `audit:${r.entity}`, action: r.action, courseId: num(r.courseId), studentId: num(r.studentId), lessonId: null, actorId: num(r.actorId) });
    }
  };
  // One sweep at a time: two at once would both read the rows after the same `last`.
  let sweeping = Promise.resolve();
  app.addHook('onResponse', async () => {
    sweeping = sweeping.then(sweep).catch((err) => app.log.error({ err }, 'audit sweep failed'));
    await sweeping;
  });
}
