// One student in one course: everything the journal row, the student's page and the parent's page
// show, decided in one place. Maps built once; no repeated scans (runs 30 × per journal render).
import type { CourseRules, Scale } from './types';
import { expectedLessons, summarizeAttendance, type AbsenceSummary, type AttendanceFact, type ExcusedPeriod, type LessonFact, type Membership } from './attendance';
import { requiredMakeups, outstandingCount, type MakeupFact, type RequiredMakeup } from './makeups';
import { rating, type MarkFact } from './rating';
import { admission, type Admission } from './admission';
import { finalMark } from './final-mark';

export type SummaryInput = {
  scale: Scale;
  rules: CourseRules;
  today: string;
  courseGroupIds: number[];
  lessons: LessonFact[];
  memberships: Membership[];
  attendance: Map<number, AttendanceFact>; // by lesson id
  marks: Map<number, number | null>; // by lesson id
  makeups: Map<number, MakeupFact>; // by lesson id
  excusedPeriods: ExcusedPeriod[];
  reasonRequiresMakeup: (reasonId: number) => boolean;
  override: { admitted: boolean; reason: string } | null;
  courseHasMarks: boolean;
};

export type StudentCourseSummary = {
  rating: number | null;
  absences: AbsenceSummary;
  makeups: RequiredMakeup[];
  outstandingMakeups: number;
  admission: Admission;
  finalMark: number | null;
  marks: MarkFact[];
};

export function summarizeStudentCourse(i: SummaryInput): StudentCourseSummary {
  const expected = expectedLessons(i.lessons, i.memberships, i.courseGroupIds, i.today);
  const absences = summarizeAttendance(expected, i.attendance, i.excusedPeriods);
  const makeups = requiredMakeups(absences.absences, i.rules.makeupKinds, i.reasonRequiresMakeup, i.makeups);
  const outstanding = outstandingCount(makeups);
  // A make-up done with a mark counts as the mark of the missed lesson.
  const marks: MarkFact[] = [];
  let examMark: number | null = null;
  const required: { lessonId: number; kind: LessonFact['kind']; date: string; mark: number | null }[] = [];
  const requiredKinds = i.rules.admission.requiredPassKinds;
  for (const l of expected) {
    const own = i.marks.get(l.id);
    const mk = i.makeups.get(l.id);
    const value = own ?? (mk?.status === 'done' ? mk.mark : null) ?? null;
    if (value !== null) {
      if (l.kind === 'exam') examMark = value;
      else marks.push({ lessonId: l.id, kind: l.kind, date: l.date, value });
    }
    if (requiredKinds.includes(l.kind)) required.push({ lessonId: l.id, kind: l.kind, date: l.date, mark: value });
  }
  const r = rating(marks, i.scale, i.rules);
  const adm = admission({
    rating: r, hasMarkedLessons: i.courseHasMarks, absences, outstandingMakeups: outstanding,
    requiredLessons: required, scale: i.scale, rules: i.rules, override: i.override,
  });
  return { rating: r, absences, makeups, outstandingMakeups: outstanding, admission: adm, finalMark: finalMark(i.rules, i.scale, r, examMark, adm.admitted), marks };
}
