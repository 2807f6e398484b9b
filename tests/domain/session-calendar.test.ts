import { describe, it, expect } from 'vitest';
import { comingSessionDay, resultFigures, sessionDateRefusal, DEFAULT_SESSION_RULES } from '../../server/domain/session';
import { debtorsByStudent, studentAverages } from '../../server/domain/session-report';
import type { RecordEntry } from '../../server/domain/record-book';
import { SCALES } from '../../server/domain/rules';

const term = { startsOn: '2026-09-01', endsOn: '2027-01-31' };
const exam = (date: string, reserveDate: string | null = null) => ({ kind: 'exam' as const, date, reserveDate });

describe('the session calendar: which days it may hold', () => {
  it('takes a day inside the term or in the session after it, with a reserve day after the exam day', () => {
    expect(sessionDateRefusal(exam('2027-01-20', '2027-01-27'), term, false)).toBeNull();
    expect(sessionDateRefusal(exam('2026-09-01'), term, false)).toBeNull();
    expect(sessionDateRefusal(exam('2027-03-03'), term, false)).toBeNull(); // the last day of the session: 31 days after the term
  });
  it('refuses a day before the term or after its session, naming the bound', () => {
    expect(sessionDateRefusal(exam('2026-08-31'), term, false)).toEqual({ key: 'calendar.beforeTerm', params: { from: '2026-09-01' } });
    expect(sessionDateRefusal(exam('2027-03-04'), term, false)).toEqual({ key: 'calendar.afterSession', params: { to: '2027-03-03' } });
    expect(sessionDateRefusal(exam('2027-03-04'), term, false, { ...DEFAULT_SESSION_RULES, sessionDaysAfterTerm: 40 })).toBeNull();
  });
  it('refuses a reserve day on or before the exam day, or too long after it', () => {
    expect(sessionDateRefusal(exam('2027-01-20', '2027-01-20'), term, false)?.key).toBe('calendar.reserveNotAfter');
    expect(sessionDateRefusal(exam('2027-01-20', '2027-01-19'), term, false)?.key).toBe('calendar.reserveNotAfter');
    expect(sessionDateRefusal(exam('2027-01-20', '2027-02-19'), term, false)).toBeNull(); // 30 days
    expect(sessionDateRefusal(exam('2027-01-20', '2027-02-20'), term, false)).toEqual({ key: 'calendar.reserveTooLate', params: { n: 30 } });
  });
  it('refuses an exam on a pass/fail course, not its credit', () => {
    expect(sessionDateRefusal(exam('2027-01-20'), term, true)?.key).toBe('statement.examOnPassFail');
    expect(sessionDateRefusal({ kind: 'credit', date: '2026-12-22', reserveDate: null }, term, true)).toBeNull();
  });
});

describe('the coming day a student is told about', () => {
  it('is the exam day until it passes, then the reserve day, then nothing', () => {
    const d = exam('2027-01-20', '2027-01-27');
    expect(comingSessionDay(d, '2027-01-15')).toEqual({ date: '2027-01-20', reserve: false });
    expect(comingSessionDay(d, '2027-01-20')).toEqual({ date: '2027-01-20', reserve: false });
    expect(comingSessionDay(d, '2027-01-21')).toEqual({ date: '2027-01-27', reserve: true });
    expect(comingSessionDay(d, '2027-01-28')).toBeNull();
    expect(comingSessionDay(exam('2027-01-20'), '2027-01-21')).toBeNull();
  });
});

describe("a statement's figures", () => {
  it('counts passes (marks at the pass mark, credits), averages exam marks only, counts no-shows of both kinds, and takes the debts given', () => {
    const f = resultFigures([
      { outcome: 'mark', mark: 8 }, { outcome: 'mark', mark: 4 }, { outcome: 'mark', mark: 3 }, { outcome: 'absent_unexcused', mark: null },
      { outcome: 'absent_excused', mark: null }, { outcome: 'not_admitted', mark: null }, { outcome: null, mark: null },
    ], SCALES.ten, 3);
    expect(f).toEqual({ total: 7, passed: 2, average: 5, noShows: 2, debts: 3 });
    expect(resultFigures([{ outcome: 'credit', mark: null }, { outcome: 'no_credit', mark: null }], SCALES.pass_fail, 1))
      .toEqual({ total: 2, passed: 1, average: null, noShows: 0, debts: 1 });
    expect(resultFigures([], SCALES.ten, 0)).toEqual({ total: 0, passed: 0, average: null, noShows: 0, debts: 0 });
  });
});

describe('the scholarship averages', () => {
  const row = (studentId: number, termId: number, courseId: number, statementId: number, outcome: RecordEntry['outcome'], mark: number | null, finalMark: number | null,
    date: string, attempt = 1) => ({
    studentId, termId, termStartsOn: termId === 1 ? '2026-02-01' : '2026-09-01', courseId, statementId, number: `2026-${statementId}`, kind: 'exam' as const, date, attempt,
    outcome, mark, finalMark, examiner: '', passMin: 4,
  });
  it('counts the last attempt taken per course, passed marks only (the final mark where there is one), per term and overall', () => {
    const a = studentAverages([
      row(1, 1, 10, 100, 'mark', 8, 9, '2026-06-10'),
      row(1, 1, 11, 101, 'mark', 3, null, '2026-06-12'), // failed, then passed on the retake
      row(1, 1, 11, 102, 'mark', 6, 6, '2026-06-25', 2),
      row(1, 2, 12, 103, 'mark', 10, 10, '2027-01-20'),
      row(2, 1, 10, 100, 'mark', 2, null, '2026-06-10'), // still failed: no mark counts
      row(2, 1, 13, 104, 'credit', null, null, '2026-06-01'),
    ], 1);
    expect(a.get(1)).toEqual({ termAverage: 7.5, termCourses: 2, overall: (9 + 6 + 10) / 3 });
    expect(a.get(2)).toEqual({ termAverage: null, termCourses: 2, overall: null });
    expect(a.get(3)).toBeUndefined();
  });
});

describe("the debtors' report", () => {
  it('has one line per student: how many debts, how many overdue, the earliest deadline, the courses owed', () => {
    const list = debtorsByStudent([
      { studentId: 1, deadline: '2026-12-10', subject: 'Anatomy' },
      { studentId: 2, deadline: '2026-11-01', subject: 'Histology' },
      { studentId: 1, deadline: '2026-11-20', subject: 'Latin' },
      { studentId: 1, deadline: '2026-12-30', subject: 'Anatomy' },
    ], '2026-11-24');
    expect(list).toEqual([
      { studentId: 1, debts: 3, overdue: 1, earliestDeadline: '2026-11-20', subjects: ['Latin', 'Anatomy'] },
      { studentId: 2, debts: 1, overdue: 1, earliestDeadline: '2026-11-01', subjects: ['Histology'] },
    ]);
    expect(debtorsByStudent([], '2026-11-24')).toEqual([]);
  });
});
