// "How am I doing": the domain's verdict for each course of a student's term, and the short
// attendance-first summary a parent sees per child.
import type { Queryable } from '../../db/store';
import { coursesWithMarks } from '../../db/queries/journal';
import { liveLinksOf, childHead, lastAbsenceDate } from '../../db/queries/child-summary';
import { loadStudentTerm, type StudentCourseData, type StudentTermData } from '../../db/queries/progress';
import { parseCourseRules } from '../domain/rules';
import { summarizeStudentCourse, type StudentCourseSummary } from '../domain/summary';
import type { AttendanceFact } from '../domain/attendance';
import type { MakeupFact } from '../domain/makeups';
import type { CourseProgress, AttendanceProgress, ShownProgress } from '../../views/progress/model';
import { ATTENDANCE_REASON_CODES } from '../domain/admission';
import type { LinkScope } from '../../db/schema';

export function summarizeCourse(t: StudentTermData, c: StudentCourseData, today: string, courseHasMarks: boolean): StudentCourseSummary {
  const requires = new Map(t.reasons.map((r) => [r.id, r.requiresMakeup]));
  return summarizeStudentCourse({
    scale: c.scale, rules: parseCourseRules(c.rulesJson), today, courseGroupIds: c.groupIds, lessons: c.lessons,
    memberships: t.memberships,
    attendance: new Map<number, AttendanceFact>(c.attendance.map((a) => [a.lessonId, a])),
    marks: new Map(c.marks.map((m) => [m.lessonId, m.value])),
    makeups: new Map<number, MakeupFact>(c.makeups.map((m) => [m.lessonId, m])),
    excusedPeriods: t.excusedPeriods, reasonRequiresMakeup: (id) => requires.get(id) ?? true,
    override: c.override, courseHasMarks,
  });
}

export function toCourseProgress(c: StudentCourseData, s: StudentCourseSummary): CourseProgress {
  const last = s.marks.length ? s.marks.reduce((a, b) => (b.date >= a.date ? b : a)) : null;
  return {
    view: 'full', courseId: c.courseId, subjectRu: c.subjectRu, subjectEn: c.subjectEn, groups: c.groupNames, teachers: c.teachers, teachersEn: c.teachersEn,
    scaleKind: c.scale.kind, rating: s.rating,
    absences: { held: s.absences.held, absent: s.absences.absent, excused: s.absences.excused, unexcused: s.absences.unexcused, ratePercent: s.absences.ratePercent },
    pendingMakeups: s.outstandingMakeups, admission: s.admission, finalMark: s.finalMark,
    lastMark: last ? { value: last.value, date: last.date } : null,
  };
}

/**
 * A course cut down to what an attendance-only guardian may see. Built here, before any view, so no
 * template can show them a mark-derived value by mistake: the values are simply not there.
 */
export function attendanceProgress(c: CourseProgress): AttendanceProgress {
  const fromAttendance = (r: { code: string }) => ATTENDANCE_REASON_CODES.has(r.code);
  return {
    view: 'attendance', courseId: c.courseId, subjectRu: c.subjectRu, subjectEn: c.subjectEn, groups: c.groups, teachers: c.teachers, teachersEn: c.teachersEn,
    scaleKind: c.scaleKind, absences: c.absences, pendingMakeups: c.pendingMakeups,
    // A dean's override that admits clears every reason, so nothing here contradicts the real verdict.
    barredBy: c.admission.reasons.filter(fromAttendance), warnings: c.admission.warnings.filter(fromAttendance),
  };
}

/** The course as this viewer may see it: showMarks is the policy's student.marks answer. */
export function progressFor(c: CourseProgress, showMarks: boolean): ShownProgress {
  return showMarks ? c : attendanceProgress(c);
}

/** Where a student's verdicts come from: computed from the records, or the change-stream cache (progress-cache.ts). */
export type ProgressSource = (studentId: number, termId: number, today: string) => Promise<CourseProgress[]>;

export async function studentCourseProgress(s: Queryable, studentId: number, termId: number, today: string): Promise<CourseProgress[]> {
  const t = await loadStudentTerm(s, studentId, termId);
  const marked = await coursesWithMarks(s, t.courses.map((c) => c.courseId));
  return t.courses.map((c) => toCourseProgress(c, summarizeCourse(t, c, today, marked.has(c.courseId))));
}

export type ChildSummary = {
  studentId: number; surname: string; givenName: string; patronymic: string | null; groupName: string | null; scope: LinkScope;
  absent: number; excused: number; unexcused: number; held: number; lastAbsence: string | null; pendingMakeups: number;
  notAdmittedCourses: number; courses: number; averageRating: number | null;
};

/** Each linked child, attendance first; marks only where the link's scope allows them. */
export async function guardianChildren(s: Queryable, guardianId: number, termId: number, today: string, progress?: ProgressSource): Promise<ChildSummary[]> {
  const out: ChildSummary[] = [];
  for (const l of await liveLinksOf(s, guardianId)) {
    const c = await childSummary(s, l.studentId, l.scope, termId, today, progress);
    if (c !== null) out.push(c);
  }
  return out;
}

/** One child's card for a guardian with this scope (also what a live push re-renders). */
export async function childSummary(s: Queryable, studentId: number, scope: LinkScope, termId: number, today: string,
  progress: ProgressSource = (id, term, day) => studentCourseProgress(s, id, term, day)): Promise<ChildSummary | null> {
  const head = await childHead(s, studentId);
  if (!head) return null;
  const courses = await progress(studentId, termId, today);
  const ratings = courses.map((c) => c.rating).filter((r): r is number => r !== null);
  const lastAbsence = await lastAbsenceDate(s, studentId, termId);
  return {
    studentId, scope, ...head,
    absent: sum(courses, (c) => c.absences.absent), excused: sum(courses, (c) => c.absences.excused),
    unexcused: sum(courses, (c) => c.absences.unexcused), held: sum(courses, (c) => c.absences.held),
    lastAbsence, pendingMakeups: sum(courses, (c) => c.pendingMakeups),
    notAdmittedCourses: scope === 'full' ? courses.filter((c) => !c.admission.admitted).length : 0,
    courses: courses.length,
    averageRating: scope === 'full' && ratings.length ? Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length) * 100) / 100 : null,
  };
}

const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);
