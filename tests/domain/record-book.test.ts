import { describe, it, expect } from 'vitest';
import { recordBook, type RecordEntry } from '../../server/domain/record-book';

const e = (over: Partial<RecordEntry>): RecordEntry => ({
  termId: 1, termStartsOn: '2026-02-01', courseId: 10, statementId: 1, number: '2026-0001', kind: 'exam', date: '2026-06-10', attempt: 1,
  outcome: 'mark', mark: 7, finalMark: 7, examiner: 'Савицкий А. В.', ...over,
});
const passMin = () => 4;

describe('the record book', () => {
  it('keeps the last attempt taken per course, averages passed marks per term and over all terms', () => {
    const book = recordBook([
      e({ termId: 2, termStartsOn: '2026-09-01', courseId: 20, statementId: 5, date: '2026-12-20', mark: 9, finalMark: 9 }),
      e({ courseId: 10, statementId: 1, mark: 2, finalMark: 2 }),
      e({ courseId: 10, statementId: 3, date: '2026-07-01', attempt: 2, mark: 6, finalMark: 5 }),
      e({ courseId: 11, statementId: 2, kind: 'credit', outcome: 'credit', mark: null, finalMark: null }),
      e({ courseId: 12, statementId: 4, mark: 8, finalMark: 8 }),
      e({ courseId: 12, statementId: 6, date: '2026-07-02', attempt: 2, outcome: 'absent_excused', mark: null, finalMark: null }),
    ], passMin);
    expect(book.terms.map((t) => t.termId)).toEqual([1, 2]);
    const spring = book.terms[0]!;
    expect(spring.courses.map((c) => [c.courseId, c.result.statementId, c.attempts])).toEqual([[10, 3, 2], [11, 2, 1], [12, 4, 1]]);
    expect(spring.average).toBe(6.5); // 5 (the retake's final mark) and 8; the credit has no mark
    expect(book.overall).toBeCloseTo((5 + 8 + 9) / 3);
  });
  it('a failure still standing counts in no average', () => {
    const book = recordBook([e({ mark: 3, finalMark: 3 })], passMin);
    expect(book.terms[0]!.courses[0]!.result.mark).toBe(3);
    expect(book.terms[0]!.average).toBeNull();
    expect(book.overall).toBeNull();
  });
});
