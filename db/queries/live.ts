import { prepared, type DB } from '../client';

/** The newest audit row: a page shows the state up to here, and its socket catches up from here. */
export function lastEventId(db: DB): number {
  return (prepared(db, 'SELECT coalesce(max(id), 0) AS id FROM audit_log').get() as { id: number }).id;
}

export type LiveRow = {
  id: number; entity: string; lessonId: number | null; studentId: number | null; courseId: number | null;
};
const ROW = 'id, entity, lesson_id AS lessonId, student_id AS studentId, course_id AS courseId';

// A socket names `after` itself, so both look-ups read one index range of at most `limit` rows, oldest
// first, however old `after` is: a caller that gets `limit` rows knows there may be more.

export function courseRowsAfter(db: DB, courseId: number, after: number, limit: number): LiveRow[] {
  return prepared(db, `SELECT ${ROW} FROM audit_log WHERE course_id = ? AND id > ? ORDER BY id LIMIT ?`)
    .all(courseId, after, limit) as LiveRow[];
}

export function studentRowsAfter(db: DB, studentId: number, after: number, limit: number): LiveRow[] {
  return prepared(db, `SELECT ${ROW} FROM audit_log WHERE student_id = ? AND id > ? ORDER BY id LIMIT ?`)
    .all(studentId, after, limit) as LiveRow[];
}

/** The students whose pages a guardian follows on their home page. */
export function linkedChildren(db: DB, guardianId: number): number[] {
  const rows = prepared(db, 'SELECT student_id AS s FROM guardian_links WHERE guardian_id = ? AND revoked_at IS NULL').all(guardianId);
  return (rows as { s: number }[]).map((r) => r.s);
}
