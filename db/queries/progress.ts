// Everything needed to say "how is this student doing" in each course of a term, loaded with a
// handful of queries for all courses at once, then handed to the pure rules in server/domain.
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../store';
import { listAgg, valuesList } from '../sql-dialect';
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
  teachersEn: string; // passport names where the teachers have them, for English pages
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

/** The term's courses with their scale, groups and teachers (the columns both loaders share). */
function courseColumns(s: Queryable): SQL {
  return sql`c.id AS "courseId", s.name_ru AS "subjectRu", s.name_en AS "subjectEn", c.rules AS "rulesJson",
      sc.code, sc.kind, sc.min, sc.max, sc.pass_min AS "passMin",
      (SELECT ${listAgg(s, sql`g.name`, ', ')} FROM course_groups cg2 JOIN groups g ON g.id = cg2.group_id WHERE cg2.course_id = c.id) AS "groupNames",
      (SELECT ${listAgg(s, sql`cg3.group_id`, ',')} FROM course_groups cg3 WHERE cg3.course_id = c.id) AS "groupIdList",
      (SELECT ${listAgg(s, sql`u.surname || ' ' || substr(u.given_name, 1, 1) || '.'`, ', ')} FROM course_teachers ct JOIN users u ON u.id = ct.teacher_id WHERE ct.course_id = c.id) AS teachers,
      (SELECT ${listAgg(s, sql`coalesce(u.name_latin, u.surname || ' ' || substr(u.given_name, 1, 1) || '.')`, ', ')}
        FROM course_teachers ct JOIN users u ON u.id = ct.teacher_id WHERE ct.course_id = c.id) AS "teachersEn"`;
}

type CourseRow = Omit<StudentCourseData, 'scale' | 'groupIds' | 'lessons' | 'attendance' | 'marks' | 'makeups' | 'override'> & StudentCourseData['scale'] & { groupIdList: string | null };
type ReasonRow = Omit<StudentTermData['reasons'][number], 'requiresMakeup'> & { requiresMakeup: number | boolean };
type LessonRow = Omit<StudentCourseData['lessons'][number], 'cancelled'> & { courseId: number; cancelled: number | boolean };

async function absenceReasons(s: Queryable): Promise<StudentTermData['reasons']> {
  return (await s.all<ReasonRow>(sql`SELECT id, code, name_ru AS "nameRu", name_en AS "nameEn", requires_makeup AS "requiresMakeup" FROM absence_reasons`))
    .map((r) => ({ ...r, requiresMakeup: !!r.requiresMakeup }));
}

export async function loadStudentTerm(s: Queryable, studentId: number, termId: number): Promise<StudentTermData> {
  const memberships = await s.all<StudentTermData['memberships'][number]>(
    sql`SELECT group_id AS "groupId", from_date AS "from", to_date AS "to" FROM group_memberships WHERE student_id = ${studentId} ORDER BY id`);
  const reasons = await absenceReasons(s);
  const excusedPeriods = await s.all<StudentTermData['excusedPeriods'][number]>(
    sql`SELECT reason_id AS "reasonId", from_date AS "from", to_date AS "to" FROM excused_periods WHERE student_id = ${studentId} ORDER BY id`);
  const courseRows = await s.all<CourseRow>(sql`
    SELECT ${courseColumns(s)}
    FROM courses c JOIN subjects s ON s.id = c.subject_id JOIN scales sc ON sc.id = c.scale_id
    WHERE c.term_id = ${termId} AND EXISTS (SELECT 1 FROM course_groups cg JOIN group_memberships m ON m.group_id = cg.group_id
      WHERE cg.course_id = c.id AND m.student_id = ${studentId})
    ORDER BY s.name_ru, c.id`);
  if (courseRows.length === 0) return { memberships, reasons, excusedPeriods, courses: [] };
  const ids = valuesList(courseRows.map((c) => c.courseId));
  const lessons = await s.all<LessonRow>(sql`SELECT id, course_id AS "courseId", date, kind, group_id AS "groupId", cancelled, topic, starts_at AS "startsAt"
    FROM lessons WHERE course_id IN (${ids}) ORDER BY date, starts_at, id`);
  const attendance = await s.all<StudentCourseData['attendance'][number] & { courseId: number }>(sql`SELECT a.lesson_id AS "lessonId", a.status,
      a.reason_status AS "reasonStatus", a.reason_id AS "reasonId", l.course_id AS "courseId"
    FROM attendance a JOIN lessons l ON l.id = a.lesson_id WHERE a.student_id = ${studentId} AND l.course_id IN (${ids}) ORDER BY a.lesson_id`);
  const marks = await s.all<StudentCourseData['marks'][number] & { courseId: number }>(sql`SELECT k.lesson_id AS "lessonId", k.value, k.comment, l.course_id AS "courseId"
    FROM marks k JOIN lessons l ON l.id = k.lesson_id WHERE k.student_id = ${studentId} AND l.course_id IN (${ids}) ORDER BY k.lesson_id`);
  const makeups = await s.all<StudentCourseData['makeups'][number] & { courseId: number }>(sql`SELECT k.lesson_id AS "lessonId", k.status, k.mark,
      k.done_on AS "doneOn", l.course_id AS "courseId"
    FROM makeups k JOIN lessons l ON l.id = k.lesson_id WHERE k.student_id = ${studentId} AND l.course_id IN (${ids}) ORDER BY k.lesson_id`);
  const overrides = await s.all<{ courseId: number; admitted: number | boolean; reason: string }>(sql`SELECT course_id AS "courseId", admitted, reason
    FROM admission_overrides WHERE student_id = ${studentId} AND course_id IN (${ids})`);
  const by = <T extends { courseId: number }>(rows: T[], id: number) => rows.filter((r) => r.courseId === id);
  return {
    memberships, reasons, excusedPeriods,
    courses: courseRows.map((c) => {
      const o = overrides.find((x) => x.courseId === c.courseId);
      return {
        courseId: c.courseId, subjectRu: c.subjectRu, subjectEn: c.subjectEn, rulesJson: c.rulesJson,
        scale: { code: c.code, kind: c.kind, min: c.min, max: c.max, passMin: c.passMin },
        groupIds: c.groupIdList!.split(',').map(Number), groupNames: c.groupNames, teachers: c.teachers, teachersEn: c.teachersEn,
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
export async function loadTermStudents(s: Queryable, termId: number, studentIds: number[]): Promise<TermStudentsData> {
  const unique = [...new Set(studentIds)];
  // No students, nothing to say (coursesWithMarks is only ever read for the students' courses).
  if (unique.length === 0) return { students: new Map(), coursesWithMarks: new Set() };
  const ids = valuesList(unique);
  const reasons = await absenceReasons(s);
  const memberships = await s.all<StudentTermData['memberships'][number] & { studentId: number }>(sql`SELECT student_id AS "studentId", group_id AS "groupId",
      from_date AS "from", to_date AS "to"
    FROM group_memberships WHERE student_id IN (${ids}) ORDER BY student_id, id`);
  const periods = await s.all<StudentTermData['excusedPeriods'][number] & { studentId: number }>(sql`SELECT student_id AS "studentId", reason_id AS "reasonId",
      from_date AS "from", to_date AS "to"
    FROM excused_periods WHERE student_id IN (${ids}) ORDER BY student_id, id`);
  // The same columns as loadStudentTerm, for every course of the term.
  const courseRows = await s.all<CourseRow>(sql`
    SELECT ${courseColumns(s)}
    FROM courses c JOIN subjects s ON s.id = c.subject_id JOIN scales sc ON sc.id = c.scale_id
    WHERE c.term_id = ${termId} ORDER BY s.name_ru, c.id`);
  const lessons = await s.all<LessonRow>(sql`SELECT l.id, l.course_id AS "courseId", l.date, l.kind, l.group_id AS "groupId", l.cancelled, l.topic, l.starts_at AS "startsAt"
    FROM lessons l WHERE l.course_id IN (SELECT id FROM courses WHERE term_id = ${termId}) ORDER BY l.date, l.starts_at, l.id`);
  // Records of the term's lessons, looked up by lesson (one index range each) and kept for the
  // requested students here: probing (lesson, student) for every pair is far slower for a faculty.
  // Short lower-case aliases (no quoting needed) keep tens of thousands of row objects small.
  const wanted = new Set(unique);
  const courseOfLesson = new Map(lessons.map((l) => [l.id, l.courseId]));
  const termLessons = sql`k.lesson_id IN (SELECT l.id FROM lessons l JOIN courses c ON c.id = l.course_id WHERE c.term_id = ${termId})`;
  /** Rows of one record table, by student then course, for the requested students only. */
  const records = async <R extends { s: number; l: number }, T>(query: SQL, make: (r: R) => T): Promise<Map<number, Map<number, T[]>>> => {
    const out = new Map<number, Map<number, T[]>>();
    for (const r of await s.all<R>(query)) {
      if (!wanted.has(r.s)) continue;
      const courseId = courseOfLesson.get(r.l)!;
      let byCourse = out.get(r.s);
      if (!byCourse) out.set(r.s, (byCourse = new Map()));
      const list = byCourse.get(courseId);
      if (list) list.push(make(r));
      else byCourse.set(courseId, [make(r)]);
    }
    return out;
  };
  // Statuses are swapped for the vocabulary's own strings (anything else kept as stored), so the
  // tens of thousands of kept rows share a few strings and the row's copies die young.
  const intern = <V extends string>(values: readonly V[], x: string | null) => (values.find((v) => v === x) ?? x) as V;
  type Att = StudentCourseData['attendance'][number];
  type Mu = StudentCourseData['makeups'][number];
  type AttRow = { s: number; l: number; st: string | null; rs: string; r: number | null };
  type MkRow = { s: number; l: number; v: number; c: string | null };
  type MuRow = { s: number; l: number; st: string; m: number | null; d: string | null };
  const att = await records(sql`SELECT k.student_id AS s, k.lesson_id AS l, k.status AS st, k.reason_status AS rs, k.reason_id AS r
      FROM attendance k WHERE ${termLessons}`,
    (r: AttRow): Att => ({ lessonId: r.l, status: intern(ATTENDANCE_STATUSES, r.st), reasonStatus: intern(REASON_STATUSES, r.rs), reasonId: r.r }));
  const mk = await records(sql`SELECT k.student_id AS s, k.lesson_id AS l, k.value AS v, k.comment AS c FROM marks k WHERE ${termLessons}`,
    (r: MkRow): StudentCourseData['marks'][number] => ({ lessonId: r.l, value: r.v, comment: r.c }));
  const mu = await records(sql`SELECT k.student_id AS s, k.lesson_id AS l, k.status AS st, k.mark AS m, k.done_on AS d FROM makeups k WHERE ${termLessons}`,
    (r: MuRow): Mu => ({ lessonId: r.l, status: intern(MAKEUP_STATUSES, r.st), mark: r.m, doneOn: r.d }));
  const overrides = await s.all<{ studentId: number; courseId: number; admitted: number | boolean; reason: string }>(sql`SELECT o.student_id AS "studentId",
      o.course_id AS "courseId", o.admitted, o.reason
    FROM admission_overrides o JOIN courses c ON c.id = o.course_id WHERE c.term_id = ${termId} AND o.student_id IN (${ids})`);
  const withMarks = (await s.all<{ id: number }>(sql`SELECT c.id FROM courses c WHERE c.term_id = ${termId}
    AND EXISTS (SELECT 1 FROM marks k JOIN lessons l ON l.id = k.lesson_id WHERE l.course_id = c.id AND k.value IS NOT NULL)`)).map((r) => r.id);

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
      let byCourse = m.get(r.studentId);
      if (!byCourse) m.set(r.studentId, (byCourse = new Map()));
      const list = byCourse.get(r.courseId);
      if (list) list.push(r);
      else byCourse.set(r.courseId, [r]);
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
  for (const id of unique) {
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
        groupIds, groupNames: c.groupNames, teachers: c.teachers, teachersEn: c.teachersEn,
        lessons: lessonsByCourse.get(c.courseId) ?? [],
        attendance: att.get(id)?.get(c.courseId) ?? [], marks: mk.get(id)?.get(c.courseId) ?? [], makeups: mu.get(id)?.get(c.courseId) ?? [],
        override: o ? { admitted: !!o.admitted, reason: o.reason } : null,
      });
    }
    students.set(id, { memberships: ms, reasons, excusedPeriods, courses: studentCourses });
  }
  return { students, coursesWithMarks: new Set(withMarks) };
}
