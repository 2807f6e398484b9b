// What the score reads of a candidate's record. Until the record book (issue 16) lands, the current
// term stands in: `average` is the mean of the term's final marks (null before any exam), `ratings`
// the mean of its current ratings. This is the one function to change when the record-book average
// arrives: the score (server/domain/mobility-score) takes whatever it returns.
import type { Queryable } from '../../db/store';
import { studentCourseProgress } from '../progress/student-progress';
import type { CandidateRecord } from '../domain/mobility-score';
import type { CourseProgress } from '../../views/progress/model';

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

export async function candidateRecord(s: Queryable, studentId: number, termId: number, today: string): Promise<CandidateRecord> {
  return recordFromCourses(await studentCourseProgress(s, studentId, termId, today));
}
