// The record book's rows (issue 16, item 4): a student's results on signed statements across every term.
// Keyed by the student, not the group, so a transferred student's history stays whole.
import { sql } from 'drizzle-orm';
import type { Queryable } from '../store';
import type { RecordEntry } from '../../server/domain/record-book';

/** `recognisedRu/En`: the partner's name when the result was recognised from a mobility placement (its statementId is then minus the recognition's id). */
export type RecordRow = RecordEntry & {
  subjectRu: string; subjectEn: string; termNameRu: string; termNameEn: string; passMin: number; recognisedRu: string | null; recognisedEn: string | null;
};

export async function recordBookRows(s: Queryable, studentId: number): Promise<RecordRow[]> {
  const rows = await s.all<RecordRow>(sql`SELECT c.term_id AS "termId", t.starts_on AS "termStartsOn", t.name_ru AS "termNameRu", t.name_en AS "termNameEn",
      st.course_id AS "courseId", st.id AS "statementId", st.number, st.kind, st.date, st.attempt, r.outcome, r.mark, r.final_mark AS "finalMark",
      sb.name_ru AS "subjectRu", sb.name_en AS "subjectEn", sc.pass_min AS "passMin",
      COALESCE((SELECT u.surname || ' ' || u.given_name FROM statement_examiners e JOIN users u ON u.id = e.teacher_id
        WHERE e.statement_id = st.id AND e.position = 1), '') AS examiner, NULL AS "recognisedRu", NULL AS "recognisedEn"
    FROM statement_results r JOIN statements st ON st.id = r.statement_id JOIN courses c ON c.id = st.course_id JOIN terms t ON t.id = c.term_id
    JOIN subjects sb ON sb.id = c.subject_id JOIN scales sc ON sc.id = c.scale_id
    WHERE r.student_id = ${studentId} AND st.status <> 'open' AND r.outcome IS NOT NULL
    ORDER BY t.starts_on, st.date, st.attempt, st.id`);
  // Results recognised from a partner (credit recognition after a mobility placement) stand beside the
  // statements as one more attempt, dated the day they were recognised: the later result counts.
  const recognised = await s.all<RecordRow>(sql`SELECT c.term_id AS "termId", t.starts_on AS "termStartsOn", t.name_ru AS "termNameRu",
      t.name_en AS "termNameEn", r.course_id AS "courseId", -r.id AS "statementId", '' AS number,
      CASE WHEN sc.kind = 'pass_fail' THEN 'credit' ELSE 'exam' END AS kind, r.recognised_on AS date, 1 AS attempt, r.outcome, r.mark,
      NULL AS "finalMark", sb.name_ru AS "subjectRu", sb.name_en AS "subjectEn", sc.pass_min AS "passMin", '' AS examiner,
      p.name_ru AS "recognisedRu", p.name_en AS "recognisedEn"
    FROM mobility_recognitions r JOIN courses c ON c.id = r.course_id JOIN terms t ON t.id = c.term_id JOIN subjects sb ON sb.id = c.subject_id
    JOIN scales sc ON sc.id = c.scale_id JOIN mobility_partners p ON p.id = r.partner_id
    WHERE r.student_id = ${studentId} ORDER BY r.id`);
  if (recognised.length === 0) return rows;
  return [...rows, ...recognised.map((r) => ({ ...r, statementId: Number(r.statementId), attempt: Number(r.attempt) }))]
    .sort((a, b) => a.termStartsOn.localeCompare(b.termStartsOn) || a.date.localeCompare(b.date) || a.attempt - b.attempt || a.statementId - b.statementId);
}
