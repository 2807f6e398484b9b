import { describe, it, expect } from 'vitest';
import { summarizeStudentCourse, type SummaryInput } from '../../server/domain/summary';
import { DEFAULT_COURSE_RULES, SCALES, parseCourseRules } from '../../server/domain/rules';
import { finalMark } from '../../server/domain/final-mark';
import { editPermission } from '../../server/domain/editing';
import { ratingSeries } from '../../server/domain/rating';
import type { LessonFact, AttendanceFact } from '../../server/domain/attendance';

// A small course: group 1 (and 2 after a transfer), weekly practicals, one lecture, one colloquium.
const lessons: LessonFact[] = [
  { id: 1, date: '2026-10-01', kind: 'practical', groupId: 1, cancelled: false },
  { id: 2, date: '2026-10-08', kind: 'practical', groupId: 1, cancelled: false },
  { id: 3, date: '2026-10-09', kind: 'lecture', groupId: null, cancelled: false },
  { id: 4, date: '2026-10-15', kind: 'practical', groupId: 1, cancelled: true },
  { id: 5, date: '2026-10-22', kind: 'colloquium', groupId: 1, cancelled: false },
  { id: 6, date: '2026-10-22', kind: 'practical', groupId: 2, cancelled: false },
  { id: 7, date: '2026-12-01', kind: 'practical', groupId: 1, cancelled: false },
];
const requires = new Map([[1, true], [2, false]]); // 1 illness (needs a make-up), 2 blood donation (does not)

function input(over: Partial<SummaryInput> = {}): SummaryInput {
  return {
    scale: SCALES.ten, rules: DEFAULT_COURSE_RULES, today: '2026-11-24', courseGroupIds: [1, 2], lessons,
    memberships: [{ groupId: 1, from: '2026-09-01', to: null }],
    attendance: new Map(), marks: new Map(), makeups: new Map(), excusedPeriods: [],
    reasonRequiresMakeup: (id) => requires.get(id) ?? true, override: null, courseHasMarks: true,
    ...over,
  };
}
const present = (ids: number[]) => new Map<number, AttendanceFact>(ids.map((id) => [id, { lessonId: id, status: 'present', reasonStatus: 'unknown', reasonId: null }]));

describe('a student in one course', () => {
  it('with no marks yet: no rating, not barred before anyone is marked', () => {
    const s = summarizeStudentCourse(input({ courseHasMarks: false, attendance: present([1, 2, 3, 5]), marks: new Map([[5, 6]]) }));
    // colloquium mark exists for this student, so rating is the colloquium
    expect(s.rating).toBe(6);
    const none = summarizeStudentCourse(input({ courseHasMarks: false, attendance: present([1, 2, 3]) }));
    expect(none.rating).toBeNull();
    expect(none.admission.reasons.map((r) => r.code)).toEqual(['admission.requiredNotPassed']);
    expect(none.admission.reasons.find((r) => r.code === 'admission.noRating')).toBeUndefined();
  });

  it('counts only held lessons: cancelled and future ones are not expected', () => {
    const s = summarizeStudentCourse(input({ attendance: present([1, 2, 3, 5]) }));
    expect(s.absences.held).toBe(4);
    expect(s.absences.ratePercent).toBe(0);
  });

  it('a practical missed for illness needs a make-up; blood donation does not; a lecture never does', () => {
    const attendance = present([3, 5]);
    attendance.set(1, { lessonId: 1, status: 'absent', reasonStatus: 'excused', reasonId: 1 });
    attendance.set(2, { lessonId: 2, status: 'absent', reasonStatus: 'excused', reasonId: 2 });
    const s = summarizeStudentCourse(input({ attendance, marks: new Map([[5, 7]]) }));
    expect(s.makeups.map((m) => m.lessonId)).toEqual([1]);
    expect(s.outstandingMakeups).toBe(1);
    expect(s.absences).toMatchObject({ absent: 2, excused: 2, unexcused: 0, ratePercent: 50 });
    expect(s.admission.admitted).toBe(false);
    expect(s.admission.reasons.map((r) => r.code)).toContain('admission.makeupsOutstanding');
  });

  it('all absences excused for mobility: no make-ups, but the cap still counts them', () => {
    const attendance = new Map([1, 2, 3, 5].map((id) => [id, { lessonId: id, status: 'absent' as const, reasonStatus: 'unknown' as const, reasonId: null }]));
    const s = summarizeStudentCourse(input({ attendance, excusedPeriods: [{ reasonId: 2, from: '2026-09-01', to: '2026-10-31' }] }));
    expect(s.absences.excused).toBe(4);
    expect(s.outstandingMakeups).toBe(0);
    expect(s.admission.reasons.map((r) => r.code)).toContain('admission.absenceOverCap');
    const unexcusedCap = parseCourseRules({ admission: { capCounts: 'unexcused' } });
    const s2 = summarizeStudentCourse(input({ attendance, rules: unexcusedCap, excusedPeriods: [{ reasonId: 2, from: '2026-09-01', to: '2026-10-31' }] }));
    expect(s2.admission.reasons.map((r) => r.code)).not.toContain('admission.absenceOverCap');
  });

  it('a make-up done with a mark counts as the mark, and clears the debt', () => {
    const attendance = present([2, 3, 5]);
    attendance.set(1, { lessonId: 1, status: 'absent', reasonStatus: 'unexcused', reasonId: null });
    const s = summarizeStudentCourse(input({ attendance, marks: new Map([[5, 6]]), makeups: new Map([[1, { lessonId: 1, status: 'done', mark: 8, doneOn: '2026-10-05' }]]) }));
    expect(s.outstandingMakeups).toBe(0);
    // weights: practical 1 × 8, colloquium 2 × 6 → 20 / 3
    expect(s.rating).toBeCloseTo(6.67, 2);
    expect(s.admission.admitted).toBe(true);
  });

  it('exactly at the thresholds is admitted: rating 4.0, absences equal to the cap', () => {
    const rules = parseCourseRules({ admission: { absenceCapPercent: 25, absenceWarnPercent: 20, requiredPassKinds: [] } });
    const attendance = present([2, 3, 5]);
    attendance.set(1, { lessonId: 1, status: 'absent', reasonStatus: 'excused', reasonId: 2 });
    const s = summarizeStudentCourse(input({ rules, attendance, marks: new Map([[2, 4], [5, 4]]) }));
    expect(s.rating).toBe(4);
    expect(s.absences.ratePercent).toBe(25);
    expect(s.admission).toMatchObject({ admitted: true, reasons: [] });
    expect(s.admission.warnings.map((w) => w.code)).toEqual(['admission.absenceNearCap']);
    const low = summarizeStudentCourse(input({ rules, attendance, marks: new Map([[2, 3], [5, 4]]) }));
    expect(low.admission.reasons).toEqual([{ code: 'admission.ratingBelow', params: { rating: 3.67, min: 4 } }]);
  });

  it('a student transferred mid-term owes only the lessons of the group they were in', () => {
    const memberships = [{ groupId: 1, from: '2026-09-01', to: '2026-10-20' }, { groupId: 2, from: '2026-10-21', to: null }];
    const s = summarizeStudentCourse(input({ memberships, attendance: present([1, 2, 3, 6]), marks: new Map([[6, 7]]) }));
    expect(s.absences.held).toBe(4); // 1, 2, 3 in group 1; 6 in group 2; not 5 (group 1 after the transfer)
    expect(s.admission.reasons.map((r) => r.code)).not.toContain('admission.requiredNotPassed');
  });

  it('the dean can admit despite the rules, with the reason kept', () => {
    const s = summarizeStudentCourse(input({ override: { admitted: true, reason: 'Решение деканата' } }));
    expect(s.admission).toMatchObject({ admitted: true, overridden: true });
    const barred = summarizeStudentCourse(input({ attendance: present([1, 2, 3, 5]), marks: new Map([[5, 9]]), override: { admitted: false, reason: 'Академическая задолженность' } }));
    expect(barred.admission.admitted).toBe(false);
    expect(barred.admission.reasons[0]).toEqual({ code: 'admission.barredByDean', params: { reason: 'Академическая задолженность' } });
  });
});

describe('final mark and editing rule', () => {
  const r = DEFAULT_COURSE_RULES;
  it('is the mean of rating and exam, half up; a failed exam stands; none without admission or exam', () => {
    expect(finalMark(r, SCALES.ten, 6.0, 7, true)).toBe(7); // 6.5 → 7
    expect(finalMark(r, SCALES.ten, 8.4, 3, true)).toBe(3);
    expect(finalMark(r, SCALES.ten, 8.4, null, true)).toBeNull();
    expect(finalMark(r, SCALES.ten, 8.4, 9, false)).toBeNull();
    expect(finalMark(parseCourseRules({ finalRule: { kind: 'exam_only' } }), SCALES.ten, 4, 9, true)).toBe(9);
  });
  it('free on the lesson day, a reason afterwards, closed for teachers when locked, admins always with a reason', () => {
    const base = { lessonDate: '2026-11-24', today: '2026-11-24', termLocked: false, actor: 'teacher' as const };
    expect(editPermission(base)).toEqual({ ok: true });
    expect(editPermission({ ...base, today: '2026-11-25' })).toEqual({ ok: false, error: 'edit.reasonRequired' });
    expect(editPermission({ ...base, today: '2026-11-25', reason: 'ok' })).toEqual({ ok: false, error: 'edit.reasonRequired' });
    expect(editPermission({ ...base, today: '2026-11-25', reason: 'пересдача' })).toEqual({ ok: true });
    expect(editPermission({ ...base, today: '2026-11-23' })).toEqual({ ok: false, error: 'edit.futureLesson' });
    expect(editPermission({ ...base, termLocked: true, reason: 'пересдача' })).toEqual({ ok: false, error: 'edit.termLocked' });
    expect(editPermission({ ...base, termLocked: true, actor: 'admin' })).toEqual({ ok: false, error: 'edit.reasonRequired' });
    expect(editPermission({ ...base, termLocked: true, actor: 'admin', reason: 'апелляция' })).toEqual({ ok: true });
  });
  it('rating over time for the chart', () => {
    const series = ratingSeries([
      { lessonId: 1, kind: 'practical', date: '2026-10-01', value: 6 },
      { lessonId: 2, kind: 'practical', date: '2026-10-08', value: 8 },
      { lessonId: 3, kind: 'exam', date: '2026-12-20', value: 2 },
    ], SCALES.ten, DEFAULT_COURSE_RULES);
    expect(series).toEqual([{ date: '2026-10-01', rating: 6 }, { date: '2026-10-08', rating: 7 }]);
  });
  it('malformed rules fall back to the defaults', () => {
    expect(parseCourseRules('not json')).toEqual(DEFAULT_COURSE_RULES);
    expect(parseCourseRules({ admission: { minRating: null } }).admission.minRating).toBeNull();
  });
});
