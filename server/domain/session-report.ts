// The session reports (issue 16, item 5) that the dean's office decides on: each student's record-book
// averages (for the scholarship) and each debtor's open debts after the session. Pure.
import { recordBook, type RecordEntry } from './record-book';

export type StudentAverages = { termAverage: number | null; termCourses: number; overall: number | null };

/**
 * Per student, the record book's average for one term and over all of study, as the record book counts them
 * (the last attempt taken per course, passed marks only); termCourses: the courses with a result that term.
 */
export function studentAverages(rows: (RecordEntry & { studentId: number; passMin: number })[], termId: number): Map<number, StudentAverages> {
  const byStudent = new Map<number, (RecordEntry & { passMin: number })[]>();
  for (const r of rows) byStudent.set(r.studentId, [...(byStudent.get(r.studentId) ?? []), r]);
  const out = new Map<number, StudentAverages>();
  for (const [studentId, list] of byStudent) {
    const passMin = new Map(list.map((r) => [r.courseId, r.passMin]));
    const book = recordBook(list, (id) => passMin.get(id) ?? 0);
    const term = book.terms.find((t) => t.termId === termId);
    out.set(studentId, { termAverage: term?.average ?? null, termCourses: term?.courses.length ?? 0, overall: book.overall });
  }
  return out;
}


export type DebtorSummary = { studentId: number; debts: number; overdue: number; earliestDeadline: string; subjects: string[] };

/** The debtors' report: one line per student, their open debts counted (the overdue ones too), earliest deadline first in the list of subjects. */
export function debtorsByStudent<D extends { studentId: number; deadline: string; subject: string }>(debts: D[], today: string): DebtorSummary[] {
  const by = new Map<number, D[]>();
  for (const d of debts) by.set(d.studentId, [...(by.get(d.studentId) ?? []), d]);
  return [...by.entries()].map(([studentId, list]) => {
    const sorted = [...list].sort((a, b) => a.deadline.localeCompare(b.deadline));
    return { studentId, debts: list.length, overdue: list.filter((d) => d.deadline < today).length, earliestDeadline: sorted[0]!.deadline,
      subjects: [...new Set(sorted.map((d) => d.subject))] };
  });
}
