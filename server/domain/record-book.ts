// The record book (зачётная книжка, issue 16 item 4): every term studied, each course's result from its
// closed statements (the last attempt taken), term averages and the average over all of study. Pure.
import type { ResultOutcome, StatementKind } from '../../db/schema';
import { averageOf, recordBookResult } from './session';

export type RecordEntry = {
  termId: number; termStartsOn: string; courseId: number; statementId: number; number: string; kind: StatementKind; date: string; attempt: number;
  outcome: ResultOutcome; mark: number | null; finalMark: number | null; examiner: string;
};
export type RecordCourse = { courseId: number; result: RecordEntry; attempts: number };
export type RecordTerm = { termId: number; courses: RecordCourse[]; average: number | null };

/** The mark a course counts with in averages: its final mark, else the exam mark; credits and failures carry none. */
export function countedMark(e: RecordEntry, passMin: (courseId: number) => number): number | null {
  if (e.outcome !== 'mark' || e.mark === null || e.mark < passMin(e.courseId)) return null;
  return e.finalMark ?? e.mark;
}

/** Terms oldest first, courses in the order their results came; averages over passed marks only. */
export function recordBook(entries: RecordEntry[], passMin: (courseId: number) => number): { terms: RecordTerm[]; overall: number | null } {
  const byTerm = new Map<number, { startsOn: string; byCourse: Map<number, RecordEntry[]> }>();
  const sorted = [...entries].sort((a, b) => a.date.localeCompare(b.date) || a.attempt - b.attempt || a.statementId - b.statementId);
  for (const e of sorted) {
    const term = byTerm.get(e.termId) ?? { startsOn: e.termStartsOn, byCourse: new Map() };
    byTerm.set(e.termId, term);
    term.byCourse.set(e.courseId, [...(term.byCourse.get(e.courseId) ?? []), e]);
  }
  const terms: RecordTerm[] = [...byTerm.entries()].sort((a, b) => a[1].startsOn.localeCompare(b[1].startsOn)).map(([termId, t]) => {
    const courses: RecordCourse[] = [];
    for (const [courseId, list] of t.byCourse) {
      const result = recordBookResult(list.map((x) => ({ ...x })));
      if (result) courses.push({ courseId, result: list.find((x) => x.statementId === result.statementId)!, attempts: list.filter((x) => x.outcome !== 'absent_excused').length });
    }
    return { termId, courses, average: averageOf(courses.map((c) => countedMark(c.result, passMin))) };
  });
  return { terms, overall: averageOf(terms.flatMap((t) => t.courses.map((c) => countedMark(c.result, passMin)))) };
}
