import { prepared, type DB } from '../client';

export type ChangeRow = { id: number; at: number; action: string; entity: string; after: string | null; courseId: number | null; lessonId: number | null; date: string | null; kind: string | null; subjectRu: string | null; subjectEn: string | null };

const WEEK = 7 * 86_400_000;

/**
 * What happened to a student's record since the viewer's last visit (at most a week back), newest
 * first: marks, absences and lateness, make-ups. Routine "present" entries are left out, and marks
 * for a viewer whose link covers attendance only.
 */
export function changesSince(db: DB, studentId: number, lastSeen: number | null, now: number, withMarks: boolean, limit = 30): ChangeRow[] {
  const entities = withMarks ? "('attendance', 'mark', 'makeup')" : "('attendance', 'makeup')";
  // A make-up's row carries the mark it was passed with: not for an attendance-only viewer.
  const after = withMarks ? 'a.after' : "json_remove(a.after, '$.mark')";
  const since = Math.max(lastSeen ?? 0, now - WEEK);
  return prepared(db, `SELECT a.id, a.at, a.action, a.entity, ${after} AS after, a.course_id AS courseId, a.lesson_id AS lessonId,
      l.date, l.kind, s.name_ru AS subjectRu, s.name_en AS subjectEn
    FROM audit_log a LEFT JOIN lessons l ON l.id = a.lesson_id LEFT JOIN courses c ON c.id = a.course_id LEFT JOIN subjects s ON s.id = c.subject_id
    WHERE a.student_id = ? AND a.at > ? AND a.entity IN ${entities}
      AND NOT (a.entity = 'attendance' AND json_extract(a.after, '$.status') = 'present')
    ORDER BY a.at DESC, a.id DESC LIMIT ?`).all(studentId, since, limit) as ChangeRow[];
}

export function markLastSeen(db: DB, userId: number, now: number): void {
  prepared(db, 'UPDATE users SET last_seen_at = ? WHERE id = ?').run(now, userId);
}

export function studentHeader(db: DB, studentId: number): { id: number; surname: string; givenName: string; patronymic: string | null; recordBook: string | null; groupName: string | null } | undefined {
  return prepared(db, `SELECT u.id, u.surname, u.given_name AS givenName, u.patronymic, u.record_book AS recordBook,
      (SELECT g.name FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = u.id AND m.to_date IS NULL LIMIT 1) AS groupName
    FROM users u WHERE u.id = ?`).get(studentId) as never;
}
