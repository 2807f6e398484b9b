// What the score reads of a candidate's record: `average` is the record book's average over all of
// study (closed statements, the last attempt of each course: server/domain/record-book.ts), `openDebts`
// the academic debts not yet cleared; `ratings` and unexcused absences are the current term's. Before a
// student has any closed result (a first-year's first term) the term's final marks stand in for the
// average, and a course they are not admitted to counts as a debt-to-be.
import type { Queryable } from '../../db/store';
import { studentCourseProgress } from '../progress/student-progress';
import type { CandidateRecord } from '../domain/mobility-score';
import type { CourseProgress } from '../../views/progress/model';
import { recordBookRows } from '../../db/queries/record-book';
import { studentOpenDebts } from '../../db/queries/debts';
import { recordBook } from '../domain/record-book';

const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100 : null);

/** Plain data in, plain data out: the record of a term's courses (points scales only; pass/fail has no average). */
export function recordFromCourses(courses: CourseProgress[]): CandidateRecord {
  const points = courses.filter((c) => c.scaleKind === 'points');
  return {
    average: mean(points.flatMap((c) => (c.finalMark === null ? [] : [c.finalMark]))),
    ratings: mean(points.flatMap((c) => (c.rating === null ? [] : [c.rating]))),
    unexcusedAbsences: courses.reduce((s, c) => s + c.absences.unexcused, 0),
    // An open debt, in the current term, is a course the student is not admitted to the exam of.
    openDebts: courses.filter((c) => !c.admission.admitted).length,
  };
}

/** The record book's overall average and open debts over the current term's record. */
export function withRecordBook(term: CandidateRecord, overall: number | null, openDebts: number, hasResults: boolean): CandidateRecord {
  return hasResults ? { ...term, average: overall, openDebts } : term;
}

export async function candidateRecord(s: Queryable, studentId: number, termId: number, today: string): Promise<CandidateRecord> {
  const term = recordFromCourses(await studentCourseProgress(s, studentId, termId, today));
  const rows = await recordBookRows(s, studentId);
  const passMin = new Map(rows.map((r) => [r.courseId, r.passMin]));
  const book = recordBook(rows, (id) => passMin.get(id) ?? 0);
  return withRecordBook(term, book.overall, (await studentOpenDebts(s, studentId)).length, rows.length > 0);
}
