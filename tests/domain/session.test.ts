import { describe, it, expect } from 'vitest';
import {
  parseStatementInput, isDebt, countsAsAttempt, nextAttempt, statementAttempt, needsCommission, examinersRefusal,
  closeRefusal, countersignRefusal, entryRefusal, resultFinalMark, recordBookResult, defaultDeadline, daysUntil,
  averageOf, DEFAULT_SESSION_RULES, type StatementResultValue, type AttemptResult,
} from '../../server/domain/session';
import { DEFAULT_COURSE_RULES, SCALES } from '../../server/domain/rules';

const mark = (m: number): StatementResultValue => ({ outcome: 'mark', mark: m });
const absent: StatementResultValue = { outcome: 'absent_unexcused', mark: null };
const excused: StatementResultValue = { outcome: 'absent_excused', mark: null };

describe('what the examiner types on a statement', () => {
  it('reads marks on an exam, з/нз on a credit, and н, н/у, нд on both, in either layout', () => {
    expect(parseStatementInput(' 7 ', 'exam', SCALES.ten)).toEqual({ type: 'result', value: mark(7) });
    expect(parseStatementInput('н', 'exam', SCALES.ten)).toEqual({ type: 'result', value: absent });
    expect(parseStatementInput('A/E', 'credit', SCALES.pass_fail)).toEqual({ type: 'result', value: excused });
    expect(parseStatementInput('зч', 'credit', SCALES.pass_fail)).toEqual({ type: 'result', value: { outcome: 'credit', mark: null } });
    expect(parseStatementInput('nc', 'credit', SCALES.ten)).toEqual({ type: 'result', value: { outcome: 'no_credit', mark: null } });
    expect(parseStatementInput('нд', 'exam', SCALES.ten)).toEqual({ type: 'result', value: { outcome: 'not_admitted', mark: null } });
    expect(parseStatementInput('', 'exam', SCALES.ten)).toEqual({ type: 'clear' });
  });
  it('refuses a mark off the scale, a mark on a credit, and an exam on a pass/fail course', () => {
    expect(parseStatementInput('11', 'exam', SCALES.ten)).toMatchObject({ type: 'error', error: 'mark.outOfRange' });
    expect(parseStatementInput('4.5', 'exam', SCALES.ten)).toMatchObject({ type: 'error', error: 'mark.notInteger' });
    expect(parseStatementInput('8', 'credit', SCALES.ten)).toMatchObject({ type: 'error', error: 'statement.creditInput' });
    expect(parseStatementInput('8', 'exam', SCALES.pass_fail)).toMatchObject({ type: 'error', error: 'statement.examOnPassFail' });
  });
});

describe('attempts and debts', () => {
  it('a 3 fails on ten points (4 passes); a no-show without a reason is a debt, with one is not', () => {
    expect(isDebt(mark(3), SCALES.ten)).toBe(true);
    expect(isDebt(mark(4), SCALES.ten)).toBe(false);
    expect(isDebt(absent, SCALES.ten)).toBe(true);
    expect(isDebt(excused, SCALES.ten)).toBe(false);
    expect(isDebt({ outcome: 'no_credit', mark: null }, SCALES.pass_fail)).toBe(true);
    expect(isDebt({ outcome: 'credit', mark: null }, SCALES.pass_fail)).toBe(false);
    expect(isDebt({ outcome: 'not_admitted', mark: null }, SCALES.ten)).toBe(true);
    expect(isDebt({ outcome: 'not_admitted', mark: null }, SCALES.ten, { ...DEFAULT_SESSION_RULES, notAdmittedIsDebt: false })).toBe(false);
  });
  it('counts attempts: an excused no-show gives a new attempt that does not count', () => {
    expect(countsAsAttempt(absent)).toBe(true);
    expect(countsAsAttempt(excused)).toBe(false);
    expect(nextAttempt([])).toBe(1);
    expect(nextAttempt([mark(2)])).toBe(2);
    expect(nextAttempt([excused])).toBe(1);
    expect(nextAttempt([mark(2), excused, absent])).toBe(3);
    expect(statementAttempt([2, 3, 2])).toBe(3);
    expect(statementAttempt([])).toBe(1);
  });
  it('a commission of three from the second retake (attempt 3), configurable', () => {
    expect(needsCommission(2)).toBe(false);
    expect(needsCommission(3)).toBe(true);
    expect(examinersRefusal(2, [5])).toBeNull();
    expect(examinersRefusal(3, [5])).toBe('statement.commissionOfThree');
    expect(examinersRefusal(3, [5, 6, 7])).toBeNull();
    expect(examinersRefusal(3, [5, 6, 6])).toBe('statement.examinerTwice');
    expect(examinersRefusal(1, [])).toBe('statement.noExaminer');
    expect(examinersRefusal(2, [5], { ...DEFAULT_SESSION_RULES, commissionFromAttempt: 2 })).toBe('statement.commissionOfThree');
  });
});

describe('closing and counter-signing', () => {
  const open = { status: 'open', attempt: 1, examinerIds: [5] };
  it('the examiner closes an open statement once every student has a result', () => {
    expect(closeRefusal(open, 5, ['mark', 'absent_excused'])).toBeNull();
    expect(closeRefusal(open, 5, ['mark', null, null])).toEqual({ error: 'statement.missingResults', params: { n: 2 } });
    expect(closeRefusal(open, 6, ['mark'])?.error).toBe('statement.notExaminer');
    expect(closeRefusal({ ...open, status: 'closed' }, 5, ['mark'])?.error).toBe('statement.notOpen');
    expect(closeRefusal({ status: 'open', attempt: 3, examinerIds: [5] }, 5, ['mark'])?.error).toBe('statement.commissionOfThree');
    expect(closeRefusal({ status: 'open', attempt: 3, examinerIds: [5, 6, 7] }, 6, ['mark'])).toBeNull();
  });
  it('the dean counter-signs only a closed one; results are typed only on an open one', () => {
    expect(countersignRefusal('closed')).toBeNull();
    expect(countersignRefusal('open')).toBe('statement.notClosed');
    expect(countersignRefusal('countersigned')).toBe('statement.notClosed');
    expect(entryRefusal('open')).toBeNull();
    expect(entryRefusal('closed')).toBe('statement.closedUseCorrection');
    expect(entryRefusal('countersigned')).toBe('statement.closedUseCorrection');
  });
});

describe('the final mark and the record book', () => {
  it('combines the exam (or the retake) mark with the rating by the course rule; a failed exam stands', () => {
    expect(resultFinalMark(mark(8), DEFAULT_COURSE_RULES, SCALES.ten, 7)).toBe(8); // (7 + 8) / 2 = 7.5 → 8
    expect(resultFinalMark(mark(3), DEFAULT_COURSE_RULES, SCALES.ten, 9)).toBe(3);
    expect(resultFinalMark(mark(6), { ...DEFAULT_COURSE_RULES, finalRule: { kind: 'exam_only' } }, SCALES.ten, 9)).toBe(6);
    expect(resultFinalMark(absent, DEFAULT_COURSE_RULES, SCALES.ten, 7)).toBeNull();
    expect(resultFinalMark({ outcome: 'credit', mark: null }, DEFAULT_COURSE_RULES, SCALES.pass_fail, null)).toBeNull();
  });
  it('the last attempt taken is the result: a passed retake replaces the failure; an excused no-show alone is nothing', () => {
    const a = (r: StatementResultValue, attempt: number, statementId: number): AttemptResult => ({ ...r, attempt, date: '2026-06-01', statementId });
    expect(recordBookResult([a(mark(2), 1, 1), a(mark(6), 2, 2)])).toMatchObject({ mark: 6, attempt: 2, statementId: 2 });
    expect(recordBookResult([a(mark(2), 1, 1), a(excused, 2, 2)])).toMatchObject({ mark: 2, statementId: 1 });
    expect(recordBookResult([a(excused, 1, 1)])).toBeNull();
    expect(recordBookResult([])).toBeNull();
  });
  it('deadlines, days left and averages', () => {
    expect(defaultDeadline('2026-06-20')).toBe('2026-07-11');
    expect(defaultDeadline('2026-12-30', { ...DEFAULT_SESSION_RULES, defaultDebtDays: 5 })).toBe('2027-01-04');
    expect(daysUntil('2026-11-24', '2026-12-01')).toBe(7);
    expect(daysUntil('2026-11-24', '2026-11-20')).toBe(-4);
    expect(averageOf([8, null, 7])).toBe(7.5);
    expect(averageOf([null])).toBeNull();
  });
});
