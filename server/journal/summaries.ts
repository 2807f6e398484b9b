// Row ends of the journal: the domain's summary of each student, from the loaded journal data.
import { type JournalData, type JournalStudent } from '../../db/queries/journal';
import { cellKey } from '../domain/cell-key';
import { parseCourseRules } from '../domain/rules';
import { summarizeStudentCourse, type StudentCourseSummary } from '../domain/summary';
import type { AttendanceFact } from '../domain/attendance';
import type { MakeupFact } from '../domain/makeups';
import type { RowSummary } from '../../views/journal/row-summary';

export function toRowSummary(s: StudentCourseSummary, scaleKind: 'points' | 'pass_fail'): RowSummary {
  return {
    rating: s.rating,
    scaleKind,
    absences: { held: s.absences.held, absent: s.absences.absent, excused: s.absences.excused, unexcused: s.absences.unexcused, ratePercent: s.absences.ratePercent },
    pendingMakeups: s.outstandingMakeups,
    admission: s.admission,
    finalMark: s.finalMark,
  };
}

export function journalSummaries(d: JournalData, today: string, only?: JournalStudent[], hasMarks?: boolean): Map<number, RowSummary> {
  const rules = parseCourseRules(d.course.rulesJson);
  const groupIds = d.course.groups.map((g) => g.id);
  const requires = new Map(d.reasons.map((r) => [r.id, r.requiresMakeup]));
  const reasonRequiresMakeup = (id: number) => requires.get(id) ?? true;
  let courseHasMarks = hasMarks ?? false;
  if (hasMarks === undefined) for (const r of d.records.values()) if (r.mark?.value !== null && r.mark?.value !== undefined) { courseHasMarks = true; break; }
  const out = new Map<number, RowSummary>();
  for (const s of only ?? d.students) {
    const attendance = new Map<number, AttendanceFact>();
    const marks = new Map<number, number | null>();
    const makeups = new Map<number, MakeupFact>();
    for (const l of d.lessons) {
      const r = d.records.get(cellKey(l.id, s.id));
      if (!r) continue;
      if (r.att) attendance.set(l.id, { lessonId: l.id, status: r.att.status, reasonStatus: r.att.reasonStatus, reasonId: r.att.reasonId });
      if (r.mark && r.mark.value !== null) marks.set(l.id, r.mark.value);
      if (r.makeup) makeups.set(l.id, { lessonId: l.id, status: r.makeup.status, mark: r.makeup.mark, doneOn: r.makeup.doneOn });
    }
    const summary = summarizeStudentCourse({
      scale: d.course.scale, rules, today, courseGroupIds: groupIds, lessons: d.lessons, memberships: s.memberships,
      attendance, marks, makeups, excusedPeriods: d.excusedPeriods.get(s.id) ?? [], reasonRequiresMakeup,
      override: d.overrides.get(s.id) ?? null, courseHasMarks,
    });
    out.set(s.id, toRowSummary(summary, d.course.scale.kind));
  }
  return out;
}
