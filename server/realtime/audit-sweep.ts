import type { FastifyInstance } from 'fastify';

// The live audit feed must show every row of the log, not only the record changes the journal's
// write path publishes: a dean's term lock, a role grant, a parent opening a child's page. After
// each response, rows appended since the last sweep that nobody published yet are published as
// audit-only changes. One indexed range query per request; better-sqlite3 is synchronous, so a
// row is complete by the time the response is sent.

const RECENT = 10_000;

export function registerAuditSweep(app: FastifyInstance): void {
  const db = app.db.$client;
  let last = (db.prepare('SELECT coalesce(max(id), 0) AS id FROM audit_log').get() as { id: number }).id;
  const published = new Set<number>();
  app.changes.subscribe((c) => {
    if (c.auditId <= 0) return;
    published.add(c.auditId);
    if (published.size > RECENT) published.delete(published.values().next().value!);
  });
  const since = db.prepare('SELECT id, action, entity, course_id AS courseId, student_id AS studentId, actor_id AS actorId FROM audit_log WHERE id > ? ORDER BY id');
  app.addHook('onResponse', async () => {
    const rows = since.all(last) as { id: number; action: string; entity: string; courseId: number | null; studentId: number | null; actorId: number | null }[];
    for (const r of rows) {
      last = r.id;
      if (published.has(r.id)) continue;
      // An `audit:` entity reaches the audit topic only; the course and student ids let the feed
      // show a dean's office just the rows about its faculty.
      app.changes.publish({ auditId: r.id, entity: `audit:${r.entity}`, action: r.action, courseId: r.courseId, studentId: r.studentId, lessonId: null, actorId: r.actorId });
    }
  });
}
