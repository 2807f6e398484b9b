import { sql } from 'drizzle-orm';
import type { Queryable } from '../store';
import { jsonField } from '../sql-dialect';

export type ChangeRow = { id: number; at: number; action: string; entity: string; after: string | null; courseId: number | null; lessonId: number | null; date: string | null; kind: string | null; subjectRu: string | null; subjectEn: string | null; scaleKind: string | null };

const WEEK = 7 * 86_400_000;

/**
 * What happened to a student's record since the viewer's last visit (at most a week back), newest
 * first: marks, absences and lateness, make-ups. Routine "present" entries are left out, and marks
 * for a viewer whose link covers attendance only.
 */
export async function changesSince(s: Queryable, studentId: number, lastSeen: number | null, now: number, withMarks: boolean, limit = 30): Promise<ChangeRow[]> {
  const entities = withMarks ? sql`('attendance', 'mark', 'makeup')` : sql`('attendance', 'makeup')`;
  const since = Math.max(lastSeen ?? 0, now - WEEK);
  const rows = await s.all<ChangeRow>(sql`SELECT a.id, a.at, a.action, a.entity, a.after, a.course_id AS "courseId", a.lesson_id AS "lessonId",
      l.date, l.kind, s.name_ru AS "subjectRu", s.name_en AS "subjectEn", sc.kind AS "scaleKind"
    FROM audit_log a LEFT JOIN lessons l ON l.id = a.lesson_id LEFT JOIN courses c ON c.id = a.course_id LEFT JOIN subjects s ON s.id = c.subject_id
    LEFT JOIN scales sc ON sc.id = c.scale_id
    WHERE a.student_id = ${studentId} AND a.at > ${since} AND a.entity IN ${entities}
      AND NOT (a.entity = 'attendance' AND ${jsonField(s, sql`a.after`, 'status')} = 'present')
    ORDER BY a.at DESC, a.id DESC LIMIT ${limit}`);
  if (withMarks) return rows;
  // A make-up's row carries the mark it was passed with: not for an attendance-only viewer.
  return rows.map((r) => (r.after === null ? r : { ...r, after: withoutMark(r.after) }));
}

/** The JSON text without its top-level "mark" (what SQLite's json_remove(after, '$.mark') gave). */
function withoutMark(after: string): string {
  const v = JSON.parse(after) as unknown;
  if (v === null || typeof v !== 'object' || Array.isArray(v) || !('mark' in v)) return after;
  const { mark: _, ...rest } = v as Record<string, unknown>;
  return JSON.stringify(rest);
}

export async function markLastSeen(s: Queryable, userId: number, now: number): Promise<void> {
  // s.run is a transaction of its own (or joins the caller's).
  await s.run(sql`UPDATE users SET last_seen_at = ${now} WHERE id = ${userId}`);
}

export type StudentHeader = { id: number; surname: string; givenName: string; nameLatin: string | null; patronymic: string | null; recordBook: string | null; groupName: string | null };

export async function studentHeader(s: Queryable, studentId: number): Promise<StudentHeader | undefined> {
  return s.get<StudentHeader>(sql`SELECT u.id, u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin", u.patronymic, u.record_book AS "recordBook",
      (SELECT g.name FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = u.id AND m.to_date IS NULL LIMIT 1) AS "groupName"
    FROM users u WHERE u.id = ${studentId}`);
}
