// The session's rules (issue 16; domain.md §2.1–2.2): what goes on a statement, what counts as an
// attempt, when a result is an academic debt, who must sign a retake, when a statement may be closed,
// and which result of several attempts goes into the record book. Pure: plain data in, plain data out.
import type { CourseRules, Scale } from './types';
import type { ResultOutcome, StatementKind } from '../../db/schema';
import { isPass, validateMark } from './scale';
import { finalMark } from './final-mark';

/** What differs between universities is configuration (the issue: "make it configuration"). */
export type SessionRules = {
  /** From this attempt on the statement is signed by a commission (attempt 1 = the session, 3 = the second retake). */
  commissionFromAttempt: number;
  commissionSize: number;
  /** Days the dean's office gives to clear a debt unless it sets another deadline. */
  defaultDebtDays: number;
  /** Whether a student not admitted to the exam owes the course as a debt. */
  notAdmittedIsDebt: boolean;
  /** How far after the term's last day the session calendar may set an exam (the session follows the term). */
  sessionDaysAfterTerm: number;
  /** How long after the exam day its reserve day may be. */
  reserveWithinDays: number;
};

export const DEFAULT_SESSION_RULES: SessionRules = { commissionFromAttempt: 3, commissionSize: 3, defaultDebtDays: 21, notAdmittedIsDebt: true,
  sessionDaysAfterTerm: 31, reserveWithinDays: 30 };

export type StatementResultValue = { outcome: ResultOutcome; mark: number | null };

export type StatementInput =
  | { type: 'clear' }
  | { type: 'result'; value: StatementResultValue }
  | { type: 'error'; error: string; params: Record<string, string | number> };

// Both layouts work, as in the journal: a teacher never switches the keyboard for a statement either.
const ABSENT_UNEXCUSED = new Set(['н', 'нб', 'n', 'a', 'abs', 'неявка']);
const ABSENT_EXCUSED = new Set(['ну', 'н/у', 'нп', 'ae', 'a/e', 'n/u', 'e', 'exc']);
const CREDIT = new Set(['з', 'зч', 'зач', 'зачтено', 'зачет', 'зачёт', '+', 'z', 'p', 'pass', 'ps', 'c', 'cr']);
const NO_CREDIT = new Set(['нз', 'незач', 'не зачтено', '-', 'f', 'fail', 'nc', 'nz']);
const NOT_ADMITTED = new Set(['нд', 'недоп', 'не допущен', 'na', 'nadm']);

/** What the examiner typed into a statement cell: a mark (an exam), з/нз (a credit), н, н/у, нд; empty clears. */
export function parseStatementInput(raw: string, kind: StatementKind, scale: Scale): StatementInput {
  const w = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  if (w === '') return { type: 'clear' };
  if (ABSENT_UNEXCUSED.has(w)) return { type: 'result', value: { outcome: 'absent_unexcused', mark: null } };
  if (ABSENT_EXCUSED.has(w)) return { type: 'result', value: { outcome: 'absent_excused', mark: null } };
  if (NOT_ADMITTED.has(w)) return { type: 'result', value: { outcome: 'not_admitted', mark: null } };
  if (kind === 'credit') {
    if (CREDIT.has(w)) return { type: 'result', value: { outcome: 'credit', mark: null } };
    if (NO_CREDIT.has(w)) return { type: 'result', value: { outcome: 'no_credit', mark: null } };
    return { type: 'error', error: 'statement.creditInput', params: {} };
  }
  if (scale.kind === 'pass_fail') return { type: 'error', error: 'statement.examOnPassFail', params: {} };
  const m = validateMark(scale, w);
  if (!m.ok) return { type: 'error', error: m.error, params: m.params };
  return { type: 'result', value: { outcome: 'mark', mark: m.value } };
}

/** Whether the result passes the course: a passing mark, or a credit. */
export function isPassed(r: StatementResultValue, scale: Scale): boolean {
  if (r.outcome === 'credit') return true;
  return r.outcome === 'mark' && r.mark !== null && isPass(scale, r.mark);
}

/**
 * Whether the result is an attempt: a no-show with a valid reason is not (the student gets a new one that
 * does not count), nor is "not admitted" (the exam was never taken). A no-show without a reason counts as
 * "unsatisfactory" (domain.md §2.2), so it is one.
 */
export function countsAsAttempt(r: StatementResultValue): boolean {
  return r.outcome !== 'absent_excused' && r.outcome !== 'not_admitted';
}

/** A failed result, a no-show without a valid reason, and (by configuration) not being admitted owe the course. */
export function isDebt(r: StatementResultValue, scale: Scale, rules: SessionRules = DEFAULT_SESSION_RULES): boolean {
  if (r.outcome === 'absent_excused') return false;
  if (r.outcome === 'not_admitted') return rules.notAdmittedIsDebt;
  return !isPassed(r, scale);
}

/**
 * The attempt number of a student's next statement in a course, from their earlier results (closed
 * statements, oldest first): 1 + the attempts that counted. An excused no-show leaves the number where it was.
 */
export function nextAttempt(earlier: StatementResultValue[]): number {
  return 1 + earlier.filter(countsAsAttempt).length;
}

/** The attempt a statement for several students is opened at: the highest of theirs (a commission if anyone needs one). */
export function statementAttempt(perStudent: number[]): number {
  return perStudent.length === 0 ? 1 : Math.max(...perStudent);
}

export function needsCommission(attempt: number, rules: SessionRules = DEFAULT_SESSION_RULES): boolean {
  return attempt >= rules.commissionFromAttempt;
}

export type ExaminersRefusal = 'statement.noExaminer' | 'statement.commissionOfThree' | 'statement.examinerTwice';

/** The first retake goes to the examiner; from the second, all three members of the commission are named. */
export function examinersRefusal(attempt: number, examinerIds: number[], rules: SessionRules = DEFAULT_SESSION_RULES): ExaminersRefusal | null {
  if (new Set(examinerIds).size !== examinerIds.length) return 'statement.examinerTwice';
  if (examinerIds.length === 0) return 'statement.noExaminer';
  if (needsCommission(attempt, rules) && examinerIds.length !== rules.commissionSize) return 'statement.commissionOfThree';
  return null;
}

export type CloseRefusal = 'statement.notOpen' | 'statement.missingResults' | 'statement.notExaminer' | 'statement.commissionOfThree';

/**
 * Whether the examiner may close (sign) the statement: it is open, they are on it, every student has a
 * result, and a commission statement has all its members.
 */
export function closeRefusal(s: { status: string; attempt: number; examinerIds: number[] }, actorId: number, outcomes: (ResultOutcome | null)[],
  rules: SessionRules = DEFAULT_SESSION_RULES): { error: CloseRefusal; params: Record<string, number> } | null {
  if (s.status !== 'open') return { error: 'statement.notOpen', params: {} };
  if (!s.examinerIds.includes(actorId)) return { error: 'statement.notExaminer', params: {} };
  if (needsCommission(s.attempt, rules) && s.examinerIds.length !== rules.commissionSize) return { error: 'statement.commissionOfThree', params: {} };
  const missing = outcomes.filter((o) => o === null).length;
  if (missing > 0) return { error: 'statement.missingResults', params: { n: missing } };
  return null;
}

/** The dean's office counter-signs only a closed statement. */
export function countersignRefusal(status: string): 'statement.notClosed' | null {
  return status === 'closed' ? null : 'statement.notClosed';
}

/** Results are typed in while the statement is open; a closed one changes only through a correction request. */
export function entryRefusal(status: string): 'statement.closedUseCorrection' | null {
  return status === 'open' ? null : 'statement.closedUseCorrection';
}

/**
 * The final mark a result gives, by the course's final-mark rule: an exam mark with the rating (a retake's
 * mark is combined with the same rating: the journal did not change); a credit has no mark.
 */
export function resultFinalMark(r: StatementResultValue, courseRules: CourseRules, scale: Scale, rating: number | null): number | null {
  if (r.outcome !== 'mark' || r.mark === null) return null;
  return finalMark(courseRules, scale, rating, r.mark, true);
}

export type AttemptResult = StatementResultValue & { attempt: number; date: string; statementId: number };

/**
 * The course's result in the record book from every closed attempt, oldest first: the last one taken
 * (a passed retake replaces the failures before it); an excused no-show on its own leaves nothing yet.
 */
export function recordBookResult(attempts: AttemptResult[]): AttemptResult | null {
  const taken = attempts.filter((a) => a.outcome !== 'absent_excused');
  return taken.length === 0 ? null : taken[taken.length - 1]!;
}

/** A debt's deadline by default: the statement's date plus the configured days (calendar days, UTC arithmetic on dates). */
export function defaultDeadline(statementDate: string, rules: SessionRules = DEFAULT_SESSION_RULES): string {
  const d = new Date(`${statementDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + rules.defaultDebtDays);
  return d.toISOString().slice(0, 10);
}

/** Days from today to a date (negative: past); both university-local YYYY-MM-DD. */
export function daysUntil(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** The mean of the marks (credits carry none), or null when there are none. */
export function averageOf(marks: (number | null)[]): number | null {
  const xs = marks.filter((m): m is number => m !== null);
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

export type SessionDateRefusal = { key: 'calendar.beforeTerm' | 'calendar.afterSession' | 'calendar.reserveNotAfter' | 'calendar.reserveTooLate' | 'statement.examOnPassFail';
  params: Record<string, string | number> };

/**
 * Whether the session calendar may hold this date: from the term's first day to the end of the session that
 * follows it (the configured days after the term), a reserve day after the exam day and not long after it;
 * no exam on a pass/fail course (it ends with a credit).
 */
export function sessionDateRefusal(d: { kind: StatementKind; date: string; reserveDate: string | null }, term: { startsOn: string; endsOn: string },
  passFail: boolean, rules: SessionRules = DEFAULT_SESSION_RULES): SessionDateRefusal | null {
  if (d.kind === 'exam' && passFail) return { key: 'statement.examOnPassFail', params: {} };
  if (d.date < term.startsOn) return { key: 'calendar.beforeTerm', params: { from: term.startsOn } };
  const last = addDays(term.endsOn, rules.sessionDaysAfterTerm);
  if (d.date > last) return { key: 'calendar.afterSession', params: { to: last } };
  if (d.reserveDate !== null) {
    if (d.reserveDate <= d.date) return { key: 'calendar.reserveNotAfter', params: {} };
    if (daysUntil(d.date, d.reserveDate) > rules.reserveWithinDays) return { key: 'calendar.reserveTooLate', params: { n: rules.reserveWithinDays } };
  }
  return null;
}

/** The day a student should be told about: the exam day, or the reserve day once the exam day has passed; null when both are over. */
export function comingSessionDay(d: { date: string; reserveDate: string | null }, today: string): { date: string; reserve: boolean } | null {
  if (d.date >= today) return { date: d.date, reserve: false };
  if (d.reserveDate !== null && d.reserveDate >= today) return { date: d.reserveDate, reserve: true };
  return null;
}

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export type ResultFigures = { total: number; passed: number; average: number | null; noShows: number; debts: number };

/**
 * The session report's figures of a set of results (a statement, or a group's results in a course): how many,
 * how many passed, the average exam mark, the no-shows (with or without a reason), and the open debts given.
 */
export function resultFigures(results: readonly { outcome: ResultOutcome | null; mark: number | null }[], scale: Scale, openDebts: number): ResultFigures {
  let passed = 0;
  let noShows = 0;
  for (const r of results) {
    if (r.outcome === null) continue; // not entered yet: on the statement, neither passed nor absent
    if (isPassed({ outcome: r.outcome, mark: r.mark }, scale)) passed++;
    if (r.outcome === 'absent_excused' || r.outcome === 'absent_unexcused') noShows++;
  }
  return { total: results.length, passed, average: averageOf(results.map((r) => (r.outcome === 'mark' ? r.mark : null))), noShows, debts: openDebts };
}
