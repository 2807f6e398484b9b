// The record book's rows (issue 16, item 4): a student's results on signed statements across every term.
// Keyed by the student, not the group, so a transferred student's history stays whole.
import { sql } from 'drizzle-orm';
import type { Queryable } from '../store';
import type { RecordEntry } from '../../server/domain/record-book';

export type RecordRow = RecordEntry & { subjectRu: string; subjectEn: string; termNameRu: string; termNameEn: string; passMin: number };

export async function recordBookRows(s: Queryable, studentId: number): Promise<RecordRow[]> {
  return s.all<RecordRow>(sql`SELECT c.term_id AS "termId", t.starts_on AS "termStartsOn", t.name_ru AS "termNameRu", t.name_en AS "termNameEn",
      st.course_id AS "courseId", st.id AS "statementId", st.number, st.kind, st.date, st.attempt, r.outcome, r.mark, r.final_mark AS "finalMark",
      sb.name_ru AS "subjectRu", sb.name_en AS "subjectEn", sc.pass_min AS "passMin",
      COALESCE((SELECT u.surname || ' ' || u.given_name FROM statement_examiners e JOIN users u ON u.id = e.teacher_id
        WHERE e.statement_id = st.id AND e.position = 1), '') AS examiner
    FROM statement_results r JOIN statements st ON st.id = r.statement_id JOIN courses c ON c.id = st.course_id JOIN terms t ON t.id = c.term_id
    JOIN subjects sb ON sb.id = c.subject_id JOIN scales sc ON sc.id = c.scale_id
    WHERE r.student_id = ${studentId} AND st.status <> 'open' AND r.outcome IS NOT NULL
    ORDER BY t.starts_on, st.date, st.attempt, st.id`);
}
