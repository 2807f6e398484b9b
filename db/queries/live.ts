import { sql } from 'drizzle-orm';
import type { Queryable } from '../store';

/** The newest audit row: a page shows the state up to here, and its socket catches up from here. */
export async function lastEventId(s: Queryable): Promise<number> {
  return Number((await s.get<{ id: number }>(sql`SELECT coalesce(max(id), 0) AS id FROM audit_log`))!.id);
}

export type LiveRow = {
  id: number; entity: string; lessonId: number | null; studentId: number | null; courseId: number | null;
};
const ROW = sql`id, entity, lesson_id AS "lessonId", student_id AS "studentId", course_id AS "courseId"`;

// A socket names `after` itself, so both look-ups read one index range of at most `limit` rows, oldest
// first, however old `after` is: a caller that gets `limit` rows knows there may be more.

export async function courseRowsAfter(s: Queryable, courseId: number, after: number, limit: number): Promise<LiveRow[]> {
  return s.all<LiveRow>(sql`SELECT ${ROW} FROM audit_log WHERE course_id = ${courseId} AND id > ${after} ORDER BY id LIMIT ${limit}`);
}

export async function studentRowsAfter(s: Queryable, studentId: number, after: number, limit: number): Promise<LiveRow[]> {
  return s.all<LiveRow>(sql`SELECT ${ROW} FROM audit_log WHERE student_id = ${studentId} AND id > ${after} ORDER BY id LIMIT ${limit}`);
}

/** The students whose pages a guardian follows on their home page. */
export async function linkedChildren(s: Queryable, guardianId: number): Promise<number[]> {
  const rows = await s.all<{ s: number }>(sql`SELECT student_id AS s FROM guardian_links WHERE guardian_id = ${guardianId} AND revoked_at IS NULL`);
  return rows.map((r) => r.s);
}

export type LogRow = LiveRow & { action: string; actorId: number | null; entityId: number | null };

/** The log after `after`, oldest first: what the change publisher hands on next (the outbox's read side). */
export async function auditRowsAfter(s: Queryable, after: number, limit: number): Promise<LogRow[]> {
  const rows = await s.all<LogRow>(sql`SELECT ${ROW}, action, actor_id AS "actorId", entity_id AS "entityId" FROM audit_log
    WHERE id > ${after} ORDER BY id LIMIT ${limit}`);
  // PostgreSQL hands bigints back as strings.
  const num = (v: number | null) => (v === null ? null : Number(v));
  return rows.map((r) => ({
    ...r, id: Number(r.id), lessonId: num(r.lessonId), studentId: num(r.studentId), courseId: num(r.courseId), actorId: num(r.actorId),
    entityId: num(r.entityId),
  }));
}
