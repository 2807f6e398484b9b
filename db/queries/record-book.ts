// The record book's rows (issue 16, item 4): a student's results on signed statements across every term.
// Keyed by the student, not the group, so a transferred student's history stays whole.
import { sql } from 'drizzle-orm';
import type { Queryable } from '../store';
import { valuesList } from '../sql-dialect';
import type { RecordEntry } from '../../server/domain/record-book';

/** `recognisedRu/En`: the partner's name when the result was recognised from a mobility placement (its statementId is then minus the recognition's id). */
export type RecordRow = RecordEntry & {
  subjectRu: string; subjectEn: string; termNameRu: string; termNameEn: string; passMin: number; recognisedRu: string | null; recognisedEn: string | null;
  examinerEn: string; // the passport name where the examiner has one, for English pages and exports
};

export async function recordBookRows(s: Queryable, studentId: number): Promise<RecordRow[]> {
  const rows = await s.all<RecordRow>(sql`SELECT c.term_id AS "termId", t.starts_on AS "termStartsOn", t.name_ru AS "termNameRu", t.name_en AS "termNameEn",
      st.course_id AS "courseId", st.id AS "statementId", st.number, st.kind, st.date, st.attempt, r.outcome, r.mark, r.final_mark AS "finalMark",
      sb.name_ru AS "subjectRu", sb.name_en AS "subjectEn", sc.pass_min AS "passMin",
      COALESCE((SELECT u.surname || ' ' || u.given_name FROM statement_examiners e JOIN users u ON u.id = e.teacher_id
        WHERE e.statement_id = st.id AND e.position = 1), '') AS examiner,
      COALESCE((SELECT COALESCE(u.name_latin, u.surname || ' ' || u.given_name) FROM statement_examiners e JOIN users u ON u.id = e.teacher_id
        WHERE e.statement_id = st.id AND e.position = 1), '') AS "examinerEn", NULL AS "recognisedRu", NULL AS "recognisedEn"
    FROM statement_results r JOIN statements st ON st.id = r.statement_id JOIN courses c ON c.id = st.course_id JOIN terms t ON t.id = c.term_id
    JOIN subjects sb ON sb.id = c.subject_id JOIN scales sc ON sc.id = c.scale_id
    WHERE r.student_id = ${studentId} AND st.status <> 'open' AND r.outcome IS NOT NULL
    ORDER BY t.starts_on, st.date, st.attempt, st.id`);
  // Results recognised from a partner (credit recognition after a mobility placement) stand beside the
  // statements as one more attempt, dated the day they were recognised: the later result counts.
  const recognised = await s.all<RecordRow>(sql`SELECT c.term_id AS "termId", t.starts_on AS "termStartsOn", t.name_ru AS "termNameRu",
      t.name_en AS "termNameEn", r.course_id AS "courseId", -r.id AS "statementId", '' AS number,
      CASE WHEN sc.kind = 'pass_fail' THEN 'credit' ELSE 'exam' END AS kind, r.recognised_on AS date, 1 AS attempt, r.outcome, r.mark,
      NULL AS "finalMark", sb.name_ru AS "subjectRu", sb.name_en AS "subjectEn", sc.pass_min AS "passMin", '' AS examiner, '' AS "examinerEn",
      p.name_ru AS "recognisedRu", p.name_en AS "recognisedEn"
    FROM mobility_recognitions r JOIN courses c ON c.id = r.course_id JOIN terms t ON t.id = c.term_id JOIN subjects sb ON sb.id = c.subject_id
    JOIN scales sc ON sc.id = c.scale_id JOIN mobility_partners p ON p.id = r.partner_id
    WHERE r.student_id = ${studentId} ORDER BY r.id`);
  if (recognised.length === 0) return rows;
  return [...rows, ...recognised.map((r) => ({ ...r, statementId: Number(r.statementId), attempt: Number(r.attempt) }))]
    .sort((a, b) => a.termStartsOn.localeCompare(b.termStartsOn) || a.date.localeCompare(b.date) || a.attempt - b.attempt || a.statementId - b.statementId);
}

export type ScopeStudent = { id: number; surname: string; givenName: string; nameLatin: string | null; patronymic: string | null; recordBook: string | null; groupId: number; groupName: string };

// The students now in the faculties' groups ('all': the university), optionally one group: where the
// scholarship list and the debtors' report count them (a transferred student counts where they study now).
const scopeWhere = (faculties: number[] | 'all', groupId: number | null) => sql`m.to_date IS NULL
  ${faculties === 'all' ? sql`` : sql` AND g.faculty_id IN (${valuesList(faculties)})`}${groupId === null ? sql`` : sql` AND g.id = ${groupId}`}`;

export async function studentsOfScope(s: Queryable, faculties: number[] | 'all', groupId: number | null): Promise<ScopeStudent[]> {
  if (faculties !== 'all' && faculties.length === 0) return [];
  return s.all<ScopeStudent>(sql`SELECT u.id, u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin", u.patronymic, u.record_book AS "recordBook", g.id AS "groupId", g.name AS "groupName"
    FROM group_memberships m JOIN users u ON u.id = m.student_id JOIN groups g ON g.id = m.group_id
    WHERE ${scopeWhere(faculties, groupId)} AND u.disabled = ${false} ORDER BY g.name, u.surname, u.given_name, u.id`);
}

/** Every record-book row of the students in scope (as recordBookRows, with the student's id). */
export async function recordBookRowsOfScope(s: Queryable, faculties: number[] | 'all', groupId: number | null): Promise<(RecordRow & { studentId: number })[]> {
  if (faculties !== 'all' && faculties.length === 0) return [];
  return s.all(sql`SELECT r.student_id AS "studentId", c.term_id AS "termId", t.starts_on AS "termStartsOn", t.name_ru AS "termNameRu", t.name_en AS "termNameEn",
      st.course_id AS "courseId", st.id AS "statementId", st.number, st.kind, st.date, st.attempt, r.outcome, r.mark, r.final_mark AS "finalMark",
      sb.name_ru AS "subjectRu", sb.name_en AS "subjectEn", sc.pass_min AS "passMin", '' AS examiner, '' AS "examinerEn"
    FROM statement_results r JOIN statements st ON st.id = r.statement_id JOIN courses c ON c.id = st.course_id JOIN terms t ON t.id = c.term_id
    JOIN subjects sb ON sb.id = c.subject_id JOIN scales sc ON sc.id = c.scale_id
    WHERE st.status <> 'open' AND r.outcome IS NOT NULL AND r.student_id IN (SELECT m.student_id FROM group_memberships m JOIN groups g ON g.id = m.group_id
      WHERE ${scopeWhere(faculties, groupId)})
    ORDER BY t.starts_on, st.date, st.attempt, st.id`);
}

/** The terms anyone in scope has results in, newest first (the scholarship list is for one of them). */
export async function termsWithResults(s: Queryable): Promise<{ id: number; nameRu: string; nameEn: string; startsOn: string }[]> {
  return s.all(sql`SELECT t.id, t.name_ru AS "nameRu", t.name_en AS "nameEn", t.starts_on AS "startsOn" FROM terms t
    WHERE EXISTS (SELECT 1 FROM statements st JOIN courses c ON c.id = st.course_id WHERE c.term_id = t.id AND st.status <> 'open')
    ORDER BY t.starts_on DESC, t.id DESC`);
}
