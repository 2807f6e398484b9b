import type { AttendanceStatus, LessonKind, ReasonStatus } from './types';

export type LessonFact = { id: number; date: string; kind: LessonKind; groupId: number | null; cancelled: boolean };
export type Membership = { groupId: number; from: string; to: string | null };
export type AttendanceFact = { lessonId: number; status: AttendanceStatus | null; reasonStatus: ReasonStatus; reasonId: number | null };
export type ExcusedPeriod = { reasonId: number; from: string; to: string };

/**
 * The lessons a student was expected at: held (not cancelled, on or before today) and for a group
 * the student belonged to on that date. A transferred student owes nothing to the old group's later
 * lessons nor the new group's earlier ones.
 */
export function expectedLessons<L extends LessonFact>(lessons: L[], memberships: Membership[], courseGroupIds: number[], today: string): L[] {
  return lessons.filter((l) => !l.cancelled && l.date <= today && memberships.some((m) =>
    m.from <= l.date && (m.to === null || m.to >= l.date) && (l.groupId === null ? courseGroupIds.includes(m.groupId) : m.groupId === l.groupId)));
}

/** Academic mobility and the like are recorded once for a period; a lesson inside it is excused. */
export function reasonForDate(periods: ExcusedPeriod[], date: string): number | null {
  for (const p of periods) if (p.from <= date && date <= p.to) return p.reasonId;
  return null;
}

export type EffectiveAbsence = { lessonId: number; kind: LessonKind; date: string; reasonStatus: ReasonStatus; reasonId: number | null };

export type AbsenceSummary = {
  held: number; present: number; late: number; absent: number; excused: number; unexcused: number; unknownReason: number;
  ratePercent: number; unexcusedRatePercent: number;
  byKind: Partial<Record<LessonKind, { held: number; absent: number }>>;
  absences: EffectiveAbsence[];
};

/** Late counts as present. An excused period overrides the per-lesson reason for lessons inside it. */
export function summarizeAttendance(expected: LessonFact[], attendance: Map<number, AttendanceFact>, periods: ExcusedPeriod[]): AbsenceSummary {
  const s: AbsenceSummary = { held: expected.length, present: 0, late: 0, absent: 0, excused: 0, unexcused: 0, unknownReason: 0, ratePercent: 0, unexcusedRatePercent: 0, byKind: {}, absences: [] };
  for (const l of expected) {
    const k = (s.byKind[l.kind] ??= { held: 0, absent: 0 });
    k.held++;
    const a = attendance.get(l.id);
    const periodReason = periods.length ? reasonForDate(periods, l.date) : null;
    if (a?.status === 'absent') {
      const excused = periodReason !== null || a.reasonStatus === 'excused';
      const reasonStatus = excused ? 'excused' : a.reasonStatus;
      s.absent++;
      k.absent++;
      if (reasonStatus === 'excused') s.excused++;
      else if (reasonStatus === 'unexcused') s.unexcused++;
      else s.unknownReason++;
      s.absences.push({ lessonId: l.id, kind: l.kind, date: l.date, reasonStatus, reasonId: periodReason ?? a.reasonId });
    } else if (a?.status === 'late') s.late++;
    else if (a?.status === 'present') s.present++;
  }
  if (s.held > 0) {
    s.ratePercent = (100 * s.absent) / s.held;
    s.unexcusedRatePercent = (100 * (s.absent - s.excused)) / s.held;
  }
  return s;
}
