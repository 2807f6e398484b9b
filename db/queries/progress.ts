// Everything needed to say "how is this student doing" in each course of a term, loaded with a
// handful of queries for all courses at once, then handed to the pure rules in server/domain.
import type { DB } from '../client';
import { ATTENDANCE_STATUSES, MAKEUP_STATUSES, REASON_STATUSES, type LessonKind } from '../schema';

export type StudentCourseData = {
  courseId: number;
  subjectRu: string;
  subjectEn: string;
  scale: { code: string; kind: 'points' | 'pass_fail'; min: number; max: number; passMin: number };
  rulesJson: string;
  groupIds: number[];
  groupNames: string;
  teachers: string;
  lessons: { id: number; date: string; kind: LessonKind; groupId: number | null; cancelled: boolean; topic: string; startsAt: number }[];
  attendance: { lessonId: number; status: 'present' | 'late' | 'absent'; reasonStatus: 'unknown' | 'excused' | 'unexcused'; reasonId: number | null }[];
  marks: { lessonId: number; value: number; comment: string | null }[];
  makeups: { lessonId: number; status: 'pending' | 'done' | 'waived'; mark: number | null; doneOn: string | null }[];
  override: { admitted: boolean; reason: string } | null;
};

export type StudentTermData = {
  memberships: { groupId: number; from: string; to: string | null }[];
  reasons: { id: number; code: string; nameRu: string; nameEn: string; requiresMakeup: boolean }[];
  excusedPeriods: { reasonId: number; from: string; to: string }[];
  courses: StudentCourseData[];
};

export function loadStudentTerm(db: DB, studentId: number, termId: number): StudentTermData {
  const q = db.$client;
  const memberships = q.prepare('SELECT group_id AS groupId, from_date AS "from", to_date AS "to" FROM group_memberships WHERE student_id = ?').all(studentId) as StudentTermData['memberships'];
  const reasons = (q.prepare('SELECT id, code, name_ru AS nameRu, name_en AS nameEn, requires_makeup AS requiresMakeup FROM absence_reasons').all() as (Omit<StudentTermData['reasons'][number], 'requiresMakeup'> & { requiresMakeup: number })[])
    .map((r) => ({ ...r, requiresMakeup: !!r.requiresMakeup }));
  const excusedPeriods = q.prepare('SELECT reason_id AS reasonId, from_date AS "from", to_date AS "to" FROM excused_periods WHERE student_id = ?').all(studentId) as StudentTermData['excusedPeriods'];
  const courseRows = q.prepare(`
    SELECT DISTINCT c.id AS courseId, s.name_ru AS subjectRu, s.name_en AS subjectEn, c.rules AS rulesJson,
      sc.code, sc.kind, sc.min, sc.max, sc.pass_min AS passMin,
      (SELECT group_concat(g.name, ', ') FROM course_groups cg2 JOIN groups g ON g.id = cg2.group_id WHERE cg2.course_id = c.id) AS groupNames,
      (SELECT group_concat(cg3.group_id) FROM course_groups cg3 WHERE cg3.course_id = c.id) AS groupIdList,
      (SELECT group_concat(u.surname || ' ' || substr(u.given_name, 1, 1) || '.', ', ') FROM course_teachers ct JOIN users u ON u.id = ct.teacher_id WHERE ct.course_id = c.id) AS teachers
    FROM courses c JOIN subjects s ON s.id = c.subject_id JOIN scales sc ON sc.id = c.scale_id
    JOIN course_groups cg ON cg.course_id = c.id JOIN group_memberships m ON m.group_id = cg.group_id AND m.student_id = ?
    WHERE c.term_id = ? ORDER BY s.name_ru`).all(studentId, termId) as (Omit<StudentCourseData, 'scale' | 'groupIds' | 'lessons' | 'attendance' | 'marks' | 'makeups' | 'override'> & StudentCourseData['scale'] & { groupIdList: string })[];
  if (courseRows.length === 0) return { memberships, reasons, excusedPeriods, courses: [] };
  const ids = courseRows.map((c) => c.courseId);
  const inList = ids.map(() => '?').join(',');
  const lessons = q.prepare(`SELECT id, course_id AS courseId, date, kind, group_id AS groupId, cancelled, topic, starts_at AS startsAt FROM lessons WHERE course_id IN (${inList}) ORDER BY date, starts_at`).all(...ids) as (Omit<StudentCourseData['lessons'][number], 'cancelled'> & { courseId: number; cancelled: number })[];
  const attendance = q.prepare(`SELECT a.lesson_id AS lessonId, a.status, a.reason_status AS reasonStatus, a.reason_id AS reasonId, l.course_id AS courseId FROM attendance a JOIN lessons l ON l.id = a.lesson_id WHERE a.student_id = ? AND l.course_id IN (${inList})`).all(studentId, ...ids) as (StudentCourseData['attendance'][number] & { courseId: number })[];
  const marks = q.prepare(`SELECT k.lesson_id AS lessonId, k.value, k.comment, l.course_id AS courseId FROM marks k JOIN lessons l ON l.id = k.lesson_id WHERE k.student_id = ? AND l.course_id IN (${inList})`).all(studentId, ...ids) as (StudentCourseData['marks'][number] & { courseId: number })[];
  const makeups = q.prepare(`SELECT k.lesson_id AS lessonId, k.status, k.mark, k.done_on AS doneOn, l.course_id AS courseId FROM makeups k JOIN lessons l ON l.id = k.lesson_id WHERE k.student_id = ? AND l.course_id IN (${inList})`).all(studentId, ...ids) as (StudentCourseData['makeups'][number] & { courseId: number })[];
  const overrides = q.prepare(`SELECT course_id AS courseId, admitted, reason FROM admission_overrides WHERE student_id = ? AND course_id IN (${inList})`).all(studentId, ...ids) as { courseId: number; admitted: number; reason: string }[];
  const by = <T extends { courseId: number }>(rows: T[], id: number) => rows.filter((r) => r.courseId === id);
  return {
    memberships, reasons, excusedPeriods,
    courses: courseRows.map((c) => {
      const o = overrides.find((x) => x.courseId === c.courseId);
      return {
        courseId: c.courseId, subjectRu: c.subjectRu, subjectEn: c.subjectEn, rulesJson: c.rulesJson,
        scale: { code: c.code, kind: c.kind, min: c.min, max: c.max, passMin: c.passMin },
        groupIds: c.groupIdList.split(',').map(Number), groupNames: c.groupNames, teachers: c.teachers,
        lessons: by(lessons, c.courseId).map((l) => ({ ...l, cancelled: !!l.cancelled })),
        attendance: by(attendance, c.courseId), marks: by(marks, c.courseId), makeups: by(makeups, c.courseId),
        override: o ? { admitted: !!o.admitted, reason: o.reason } : null,
      };
    }),
  };
}

export type TermStudentsData = {
  /** Each requested student's term, shaped exactly as loadStudentTerm returns it. */
  students: Map<number, StudentTermData>;
  /** Courses of the term where anyone has a mark (journal's courseHasMarks, for every course at once). */
  coursesWithMarks: Set<number>;
};

/**
 * loadStudentTerm for many students of one term in a fixed number of queries (not one batch per
 * student): the term's courses and lessons once, then every record of these students in the term.
 * The reports page runs this for a whole faculty. Lessons are shared between the students' course
 * objects; treat them as read-only.
 */
export function loadTermStudents(db: DB, termId: number, studentIds: number[]): TermStudentsData {
  const q = db.$client;
  const ids = JSON.stringify([...new Set(studentIds)]);
  const reasons = (q.prepare('SELECT id, code, name_ru AS nameRu, name_en AS nameEn, requires_makeup AS requiresMakeup FROM absence_reasons').all() as (Omit<StudentTermData['reasons'][number], 'requiresMakeup'> & { requiresMakeup: number })[])
    .map((r) => ({ ...r, requiresMakeup: !!r.requiresMakeup }));
  const memberships = q.prepare(`SELECT student_id AS studentId, group_id AS groupId, from_date AS "from", to_date AS "to" FROM group_memberships
    WHERE student_id IN (SELECT value FROM json_each(?)) ORDER BY student_id, id`).all(ids) as (StudentTermData['memberships'][number] & { studentId: number })[];
  const periods = q.prepare(`SELECT student_id AS studentId, reason_id AS reasonId, from_date AS "from", to_date AS "to" FROM excused_periods
    WHERE student_id IN (SELECT value FROM json_each(?)) ORDER BY student_id, id`).all(ids) as (StudentTermData['excusedPeriods'][number] & { studentId: number })[];
  // The same columns as loadStudentTerm, for every course of the term.
  const courseRows = q.prepare(`
    SELECT c.id AS courseId, s.name_ru AS subjectRu, s.name_en AS subjectEn, c.rules AS rulesJson,
      sc.code, sc.kind, sc.min, sc.max, sc.pass_min AS passMin,
      (SELECT group_concat(g.name, ', ') FROM course_groups cg2 JOIN groups g ON g.id = cg2.group_id WHERE cg2.course_id = c.id) AS groupNames,
      (SELECT group_concat(cg3.group_id) FROM course_groups cg3 WHERE cg3.course_id = c.id) AS groupIdList,
      (SELECT group_concat(u.surname || ' ' || substr(u.given_name, 1, 1) || '.', ', ') FROM course_teachers ct JOIN users u ON u.id = ct.teacher_id WHERE ct.course_id = c.id) AS teachers
    FROM courses c JOIN subjects s ON s.id = c.subject_id JOIN scales sc ON sc.id = c.scale_id
    WHERE c.term_id = ? ORDER BY s.name_ru, c.id`).all(termId) as (Omit<StudentCourseData, 'scale' | 'groupIds' | 'lessons' | 'attendance' | 'marks' | 'makeups' | 'override'> & StudentCourseData['scale'] & { groupIdList: string | null })[];
  const lessons = q.prepare(`SELECT l.id, l.course_id AS courseId, l.date, l.kind, l.group_id AS groupId, l.cancelled, l.topic, l.starts_at AS startsAt
    FROM lessons l WHERE l.course_id IN (SELECT id FROM courses WHERE term_id = ?) ORDER BY l.date, l.starts_at`).all(termId) as (Omit<StudentCourseData['lessons'][number], 'cancelled'> & { courseId: number; cancelled: number })[];
  // Records of the term's lessons, looked up by lesson (one index range each) and kept for the
  // requested students here: probing (lesson, student) for every pair is far slower for a faculty.
  // Rows come as arrays (cheaper than better-sqlite3's objects for tens of thousands of rows).
  const wanted = new Set(studentIds);
  const courseOfLesson = new Map(lessons.map((l) => [l.id, l.courseId]));
  const termLessons = 'k.lesson_id IN (SELECT l.id FROM lessons l JOIN courses c ON c.id = l.course_id WHERE c.term_id = ?)';
  /** Rows of one record table, by student then course, for the requested students only. */
  const records = <T>(sql: string, make: (r: unknown[]) => T): Map<number, Map<number, T[]>> => {
    const out = new Map<number, Map<number, T[]>>();
    for (const r of q.prepare(sql).raw(true).all(termId) as unknown[][]) {
      const studentId = r[0] as number;
      if (!wanted.has(studentId)) continue;
      const courseId = courseOfLesson.get(r[1] as number)!;
      let byCourse = out.get(studentId);
      if (!byCourse) out.set(studentId, (byCourse = new Map()));
      const list = byCourse.get(courseId);
      if (list) list.push(make(r));
      else byCourse.set(courseId, [make(r)]);
    }
    return out;
  };
  // Status columns come back as an index into their vocabulary (anything else as stored), so
  // tens of thousands of rows share a few strings instead of allocating one per row.
  const code = (col: string, values: readonly string[]) => `CASE ${col} ${values.map((v, i) => `WHEN '${v}' THEN ${i}`).join(' ')} ELSE ${col} END`;
  const decode = <V extends string>(values: readonly V[], x: unknown) => (typeof x === 'number' ? values[x] : x) as V;
  type Att = StudentCourseData['attendance'][number];
  type Mu = StudentCourseData['makeups'][number];
  const att = records(`SELECT k.student_id, k.lesson_id, ${code('k.status', ATTENDANCE_STATUSES)}, ${code('k.reason_status', REASON_STATUSES)}, k.reason_id FROM attendance k WHERE ${termLessons}`,
    (r): Att => ({ lessonId: r[1] as number, status: decode(ATTENDANCE_STATUSES, r[2]), reasonStatus: decode(REASON_STATUSES, r[3]), reasonId: r[4] as number | null }));
  const mk = records(`SELECT k.student_id, k.lesson_id, k.value, k.comment FROM marks k WHERE ${termLessons}`,
    (r): StudentCourseData['marks'][number] => ({ lessonId: r[1] as number, value: r[2] as number, comment: r[3] as string | null }));
  const mu = records(`SELECT k.student_id, k.lesson_id, ${code('k.status', MAKEUP_STATUSES)}, k.mark, k.done_on FROM makeups k WHERE ${termLessons}`,
    (r): Mu => ({ lessonId: r[1] as number, status: decode(MAKEUP_STATUSES, r[2]), mark: r[3] as number | null, doneOn: r[4] as string | null }));
  const overrides = q.prepare(`SELECT o.student_id AS studentId, o.course_id AS courseId, o.admitted, o.reason FROM admission_overrides o JOIN courses c ON c.id = o.course_id
    WHERE c.term_id = ? AND o.student_id IN (SELECT value FROM json_each(?))`).all(termId, ids) as { studentId: number; courseId: number; admitted: number; reason: string }[];
  const withMarks = q.prepare(`SELECT c.id FROM courses c WHERE c.term_id = ?
    AND EXISTS (SELECT 1 FROM marks k JOIN lessons l ON l.id = k.lesson_id WHERE l.course_id = c.id AND k.value IS NOT NULL)`).pluck().all(termId) as number[];

  const group = <T extends { studentId: number }>(rows: T[]) => {
    const m = new Map<number, T[]>();
    for (const r of rows) {
      const list = m.get(r.studentId);
      if (list) list.push(r);
      else m.set(r.studentId, [r]);
    }
    return m;
  };
  /** Rows keyed by student, then by course. */
  const byStudentCourse = <T extends { studentId: number; courseId: number }>(rows: T[]) => {
    const m = new Map<number, Map<number, T[]>>();
    for (const r of rows) {
      let s = m.get(r.studentId);
      if (!s) m.set(r.studentId, (s = new Map()));
      const list = s.get(r.courseId);
      if (list) list.push(r);
      else s.set(r.courseId, [r]);
    }
    return m;
  };
  const strip = <T extends { studentId: number }>({ studentId: _, ...rest }: T) => rest;
  const lessonsByCourse = new Map<number, StudentCourseData['lessons']>();
  for (const l of lessons) {
    const { courseId, cancelled, ...rest } = l;
    const list = lessonsByCourse.get(courseId) ?? [];
    list.push({ ...rest, cancelled: !!cancelled });
    lessonsByCourse.set(courseId, list);
  }
  const courses = courseRows.filter((c) => c.groupIdList !== null).map((c) => ({ row: c, groupIds: c.groupIdList!.split(',').map(Number) }));
  const membershipsOf = group(memberships);
  const periodsOf = group(periods);
  const ov = byStudentCourse(overrides);

  const students = new Map<number, StudentTermData>();
  for (const id of new Set(studentIds)) {
    const ms = (membershipsOf.get(id) ?? []).map(strip);
    const groupsOf = new Set(ms.map((m) => m.groupId));
    const excusedPeriods = (periodsOf.get(id) ?? []).map(strip);
    const studentCourses: StudentCourseData[] = [];
    for (const { row: c, groupIds } of courses) {
      if (!groupIds.some((g) => groupsOf.has(g))) continue;
      const o = ov.get(id)?.get(c.courseId)?.[0];
      studentCourses.push({
        courseId: c.courseId, subjectRu: c.subjectRu, subjectEn: c.subjectEn, rulesJson: c.rulesJson,
        scale: { code: c.code, kind: c.kind, min: c.min, max: c.max, passMin: c.passMin },
        groupIds, groupNames: c.groupNames, teachers: c.teachers,
        lessons: lessonsByCourse.get(c.courseId) ?? [],
        attendance: att.get(id)?.get(c.courseId) ?? [], marks: mk.get(id)?.get(c.courseId) ?? [], makeups: mu.get(id)?.get(c.courseId) ?? [],
        override: o ? { admitted: !!o.admitted, reason: o.reason } : null,
      });
    }
    students.set(id, { memberships: ms, reasons, excusedPeriods, courses: studentCourses });
  }
  return { students, coursesWithMarks: new Set(withMarks) };
}
