// A statement's rows as the document shows them: each student's result beside their rating and exam
// admission from the course's journal (the dean's override respected), so the final mark follows the
// course's rule and "not admitted" comes from the same verdict the journal shows.
import type { Queryable } from '../../db/store';
import { loadJournal } from '../../db/queries/journal';
import { statementResults, type Statement, type StatementResult } from '../../db/queries/statements';
import { journalSummaries } from '../journal/summaries';
import { parseCourseRules } from '../domain/rules';
import type { CourseRules, Scale } from '../domain/types';

export type RosterRow = StatementResult & { rating: number | null; admitted: boolean };
export type Roster = { rows: RosterRow[]; scale: Scale; rules: CourseRules };

export async function statementRoster(s: Queryable, st: Statement, today: string): Promise<Roster | null> {
  const d = await loadJournal(s, st.courseId, st.groupId);
  if (!d) return null;
  const results = await statementResults(s, st.id);
  const onIt = new Set(results.map((r) => r.studentId));
  const summaries = journalSummaries(d, today, d.students.filter((x) => onIt.has(x.id)));
  const rows = results.map((r) => {
    const sum = summaries.get(r.studentId);
    // A student no longer in the course's groups keeps the statement row; nothing in the journal bars them.
    return { ...r, rating: sum && sum.scaleKind !== 'pass_fail' ? sum.rating : null, admitted: sum ? sum.admission.admitted : true };
  });
  return { rows, scale: d.course.scale, rules: parseCourseRules(d.course.rulesJson) };
}

/** Who is admitted, by student id, for the students given (a new statement pre-fills "not admitted" from it). */
export async function admissionOf(s: Queryable, courseId: number, groupId: number | null, studentIds: number[], today: string): Promise<Map<number, boolean>> {
  const d = await loadJournal(s, courseId, groupId);
  const out = new Map<number, boolean>();
  if (!d) return out;
  const want = new Set(studentIds);
  for (const [id, sum] of journalSummaries(d, today, d.students.filter((x) => want.has(x.id)))) out.set(id, sum.admission.admitted);
  return out;
}
