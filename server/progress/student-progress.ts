// "How am I doing": the domain's verdict for each course of a student's term, and the short
// attendance-first summary a parent sees per child.
import type { DB } from '../../db/client';
import { courseHasMarks } from '../../db/queries/journal';
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
    view: 'full', courseId: c.courseId, subjectRu: c.subjectRu, subjectEn: c.subjectEn, groups: c.groupNames, teachers: c.teachers,
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
    view: 'attendance', courseId: c.courseId, subjectRu: c.subjectRu, subjectEn: c.subjectEn, groups: c.groups, teachers: c.teachers,
    scaleKind: c.scaleKind, absences: c.absences, pendingMakeups: c.pendingMakeups,
    // A dean's override that admits clears every reason, so nothing here contradicts the real verdict.
    barredBy: c.admission.reasons.filter(fromAttendance), warnings: c.admission.warnings.filter(fromAttendance),
  };
}

/** The course as this viewer may see it: showMarks is the policy's student.marks answer. */
export function progressFor(c: CourseProgress, showMarks: boolean): ShownProgress {
  return showMarks ? c : attendanceProgress(c);
}

export function studentCourseProgress(db: DB, studentId: number, termId: number, today: string): CourseProgress[] {
  const t = loadStudentTerm(db, studentId, termId);
  return t.courses.map((c) => toCourseProgress(c, summarizeCourse(t, c, today, courseHasMarks(db, c.courseId))));
}

export type ChildSummary = {
  studentId: number; surname: string; givenName: string; patronymic: string | null; groupName: string | null; scope: LinkScope;
  absent: number; excused: number; unexcused: number; held: number; lastAbsence: string | null; pendingMakeups: number;
  notAdmittedCourses: number; courses: number; averageRating: number | null;
};

/** Each linked child, attendance first; marks only where the link's scope allows them. */
export function guardianChildren(db: DB, guardianId: number, termId: number, today: string): ChildSummary[] {
  const links = db.$client.prepare(`SELECT l.student_id AS studentId, l.scope FROM guardian_links l JOIN users u ON u.id = l.student_id
    WHERE l.guardian_id = ? AND l.revoked_at IS NULL ORDER BY u.surname, u.given_name`).all(guardianId) as { studentId: number; scope: LinkScope }[];
  return links.map((l) => childSummary(db, l.studentId, l.scope, termId, today)).filter((c): c is ChildSummary => c !== null);
}

/** One child's card for a guardian with this scope (also what a live push re-renders). */
export function childSummary(db: DB, studentId: number, scope: LinkScope, termId: number, today: string): ChildSummary | null {
  const head = db.$client.prepare(`SELECT u.surname, u.given_name AS givenName, u.patronymic,
      (SELECT g.name FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = u.id AND m.to_date IS NULL LIMIT 1) AS groupName
    FROM users u WHERE u.id = ?`).get(studentId) as Pick<ChildSummary, 'surname' | 'givenName' | 'patronymic' | 'groupName'> | undefined;
  if (!head) return null;
  const courses = studentCourseProgress(db, studentId, termId, today);
  const ratings = courses.map((c) => c.rating).filter((r): r is number => r !== null);
  const lastAbsence = db.$client.prepare(`SELECT max(les.date) AS d FROM attendance a JOIN lessons les ON les.id = a.lesson_id JOIN courses c ON c.id = les.course_id
      WHERE a.student_id = ? AND a.status = 'absent' AND c.term_id = ?`).get(studentId, termId) as { d: string | null };
  return {
    studentId, scope, ...head,
    absent: sum(courses, (c) => c.absences.absent), excused: sum(courses, (c) => c.absences.excused),
    unexcused: sum(courses, (c) => c.absences.unexcused), held: sum(courses, (c) => c.absences.held),
    lastAbsence: lastAbsence.d, pendingMakeups: sum(courses, (c) => c.pendingMakeups),
    notAdmittedCourses: scope === 'full' ? courses.filter((c) => !c.admission.admitted).length : 0,
    courses: courses.length,
    averageRating: scope === 'full' && ratings.length ? Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length) * 100) / 100 : null,
  };
}

const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);
