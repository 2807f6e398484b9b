// One course's journal in a handful of indexed queries: header, lessons, students (with dated
// memberships, so a transferred student shows only the lessons they were expected at), records.
import { inArray, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../store';
import { valuesList } from '../sql-dialect';
import type { LessonKind } from '../schema';
import { cellKey } from '../../server/domain/cell-key';

export type JournalLesson = { id: number; date: string; startsAt: number; kind: LessonKind; topic: string; groupId: number | null; cancelled: boolean; version: number };
export type JournalStudent = { id: number; surname: string; givenName: string; nameLatin: string | null; patronymic: string | null; recordBook: string | null; memberships: { groupId: number; from: string; to: string | null }[] };
export type CellRecord = {
  att: { status: 'present' | 'late' | 'absent' | null; reasonStatus: 'unknown' | 'excused' | 'unexcused'; reasonId: number | null; documentRef: string | null; version: number; updatedBy: number | null; updatedAt: number } | null;
  mark: { value: number | null; comment: string | null; version: number; updatedBy: number | null; updatedAt: number } | null;
  makeup: { status: 'pending' | 'done' | 'waived'; mark: number | null; doneOn: string | null; version: number } | null;
};
export type JournalCourse = {
  id: number; subjectRu: string; subjectEn: string; termId: number; termLocked: boolean; termNameRu: string; termNameEn: string;
  termStartsOn: string; termEndsOn: string;
  scale: { code: string; kind: 'points' | 'pass_fail'; min: number; max: number; passMin: number }; rulesJson: string;
  groups: { id: number; name: string; facultyId: number }[]; teachers: { id: number; surname: string; givenName: string; nameLatin: string | null; role: string }[];
};
export type JournalData = {
  course: JournalCourse;
  lessons: JournalLesson[];
  students: JournalStudent[];
  records: Map<string, CellRecord>; // key `${lessonId}:${studentId}`
  reasons: { id: number; code: string; nameRu: string; nameEn: string; requiresMakeup: boolean }[];
  excusedPeriods: Map<number, { reasonId: number; from: string; to: string }[]>;
  overrides: Map<number, { admitted: boolean; reason: string }>;
};

export async function loadJournalCourse(s: Queryable, courseId: number): Promise<JournalCourse | undefined> {
  const c = await s.get<Record<string, unknown> & { lockedAt: number | null }>(sql`SELECT c.id, s.name_ru AS "subjectRu", s.name_en AS "subjectEn",
      c.term_id AS "termId", t.locked_at AS "lockedAt", t.name_ru AS "termNameRu", t.name_en AS "termNameEn", t.starts_on AS "termStartsOn",
      t.ends_on AS "termEndsOn", c.rules AS "rulesJson", sc.code, sc.kind, sc.min, sc.max, sc.pass_min AS "passMin"
    FROM courses c JOIN subjects s ON s.id = c.subject_id JOIN terms t ON t.id = c.term_id JOIN scales sc ON sc.id = c.scale_id
    WHERE c.id = ${courseId}`);
  if (!c) return undefined;
  const groups = await s.all<JournalCourse['groups'][number]>(sql`SELECT g.id, g.name, g.faculty_id AS "facultyId"
    FROM course_groups cg JOIN groups g ON g.id = cg.group_id WHERE cg.course_id = ${courseId} ORDER BY g.name`);
  const teachers = await s.all<JournalCourse['teachers'][number]>(sql`SELECT u.id, u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin", ct.role
    FROM course_teachers ct JOIN users u ON u.id = ct.teacher_id WHERE ct.course_id = ${courseId} ORDER BY ct.role DESC, u.surname`);
  return {
    id: c.id as number, subjectRu: c.subjectRu as string, subjectEn: c.subjectEn as string, termId: c.termId as number,
    termLocked: c.lockedAt !== null, termNameRu: c.termNameRu as string, termNameEn: c.termNameEn as string,
    termStartsOn: c.termStartsOn as string, termEndsOn: c.termEndsOn as string, rulesJson: c.rulesJson as string,
    scale: { code: c.code as string, kind: c.kind as 'points' | 'pass_fail', min: c.min as number, max: c.max as number, passMin: c.passMin as number },
    groups, teachers,
  };
}

type AttRow = { l: number; s: number; st: 'present' | 'late' | 'absent' | null; rs: 'unknown' | 'excused' | 'unexcused'; r: number | null; d: string | null; v: number; ub: number | null; ua: number };
type MarkRow = { l: number; s: number; val: number | null; c: string | null; v: number; ub: number | null; ua: number };
type MakeupRow = { l: number; s: number; st: 'pending' | 'done' | 'waived'; m: number | null; d: string | null; v: number };

/**
 * The journal of a course; with groupId, only that group's students and the lessons it attends;
 * with onlyStudentId, just that student's row (what one saved cell needs re-rendered); with recordsFor,
 * every student but the records (and excused periods, overrides) of those only: the rows not cached.
 */
export async function loadJournal(s: Queryable, courseId: number, groupId: number | null = null, onlyStudentId: number | null = null,
  recordsFor: number[] | null = null): Promise<JournalData | undefined> {
  const course = await loadJournalCourse(s, courseId);
  if (!course) return undefined;
  const groupIds = groupId ? course.groups.filter((g) => g.id === groupId).map((g) => g.id) : course.groups.map((g) => g.id);
  const lessons = (await s.all<Omit<JournalLesson, 'cancelled'> & { cancelled: number | boolean }>(sql`SELECT id, date, starts_at AS "startsAt", kind, topic,
      group_id AS "groupId", cancelled, version FROM lessons WHERE course_id = ${courseId} ORDER BY date, starts_at, id`))
    .filter((l) => l.groupId === null || groupIds.includes(l.groupId))
    .map((l) => ({ ...l, cancelled: !!l.cancelled }));
  const onlyStudent = (column: SQL) => (onlyStudentId ? sql` AND ${column} = ${onlyStudentId}` : sql``);
  const recordsOf = (column: SQL) => (recordsFor && !onlyStudentId ? sql` AND ${column} IN (${valuesList(recordsFor)})` : onlyStudent(column));
  const withRecords = recordsFor === null || recordsFor.length > 0 || onlyStudentId !== null;
  // lower() folds ASCII only on SQLite, which is what COLLATE NOCASE did; PostgreSQL folds Cyrillic too.
  const memberRows = groupIds.length === 0 ? [] : await s.all<Omit<JournalStudent, 'memberships'> & { groupId: number; from: string; to: string | null }>(sql`SELECT u.id,
      u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin", u.patronymic, u.record_book AS "recordBook", m.group_id AS "groupId", m.from_date AS "from", m.to_date AS "to"
    FROM group_memberships m JOIN users u ON u.id = m.student_id
    WHERE m.group_id IN (${valuesList(groupIds)}) AND m.from_date <= ${course.termEndsOn} AND (m.to_date IS NULL OR m.to_date >= ${course.termStartsOn})${onlyStudent(sql`m.student_id`)}
    ORDER BY lower(u.surname), u.given_name, u.id`);
  const students: JournalStudent[] = [];
  const byId = new Map<number, JournalStudent>();
  for (const r of memberRows) {
    let st = byId.get(r.id);
    if (!st) {
      st = { id: r.id, surname: r.surname, givenName: r.givenName, patronymic: r.patronymic, nameLatin: r.nameLatin, recordBook: r.recordBook, memberships: [] };
      byId.set(r.id, st);
      students.push(st);
    }
    st.memberships.push({ groupId: r.groupId, from: r.from, to: r.to });
  }
  const records = new Map<string, CellRecord>();
  const get = (l: number, st: number) => {
    const k = cellKey(l, st);
    let r = records.get(k);
    if (!r) records.set(k, (r = { att: null, mark: null, makeup: null }));
    return r;
  };
  // Short lower-case aliases: the journal reads ~2,000 records per render.
  if (withRecords) for (const a of await s.all<AttRow>(sql`SELECT a.lesson_id AS l, a.student_id AS s, a.status AS st, a.reason_status AS rs, a.reason_id AS r,
      a.document_ref AS d, a.version AS v, a.updated_by AS ub, a.updated_at AS ua
    FROM attendance a JOIN lessons l ON l.id = a.lesson_id WHERE l.course_id = ${courseId}${recordsOf(sql`a.student_id`)}`)) {
    get(a.l, a.s).att = { status: a.st, reasonStatus: a.rs, reasonId: a.r, documentRef: a.d, version: a.v, updatedBy: a.ub, updatedAt: a.ua };
  }
  if (withRecords) for (const m of await s.all<MarkRow>(sql`SELECT k.lesson_id AS l, k.student_id AS s, k.value AS val, k.comment AS c, k.version AS v,
      k.updated_by AS ub, k.updated_at AS ua
    FROM marks k JOIN lessons l ON l.id = k.lesson_id WHERE l.course_id = ${courseId}${recordsOf(sql`k.student_id`)}`)) {
    get(m.l, m.s).mark = { value: m.val, comment: m.c, version: m.v, updatedBy: m.ub, updatedAt: m.ua };
  }
  if (withRecords) for (const m of await s.all<MakeupRow>(sql`SELECT k.lesson_id AS l, k.student_id AS s, k.status AS st, k.mark AS m, k.done_on AS d, k.version AS v
    FROM makeups k JOIN lessons l ON l.id = k.lesson_id WHERE l.course_id = ${courseId}${recordsOf(sql`k.student_id`)}`)) {
    get(m.l, m.s).makeup = { status: m.st, mark: m.m, doneOn: m.d, version: m.v };
  }
  const reasons = (await s.all<Omit<JournalData['reasons'][number], 'requiresMakeup'> & { requiresMakeup: number | boolean }>(sql`SELECT id, code,
      name_ru AS "nameRu", name_en AS "nameEn", requires_makeup AS "requiresMakeup" FROM absence_reasons ORDER BY id`))
    .map((r) => ({ ...r, requiresMakeup: !!r.requiresMakeup }));
  const excusedPeriods = new Map<number, { reasonId: number; from: string; to: string }[]>();
  const overrides = new Map<number, { admitted: boolean; reason: string }>();
  if (students.length && withRecords) {
    const ids = valuesList(recordsFor && !onlyStudentId ? recordsFor : students.map((st) => st.id));
    for (const p of await s.all<{ s: number; reasonId: number; from: string; to: string }>(sql`SELECT student_id AS s, reason_id AS "reasonId",
        from_date AS "from", to_date AS "to" FROM excused_periods WHERE student_id IN (${ids})`)) {
      const list = excusedPeriods.get(p.s) ?? [];
      list.push({ reasonId: p.reasonId, from: p.from, to: p.to });
      excusedPeriods.set(p.s, list);
    }
    for (const o of await s.all<{ s: number; admitted: number | boolean; reason: string }>(sql`SELECT student_id AS s, admitted, reason
        FROM admission_overrides WHERE course_id = ${courseId}`)) {
      overrides.set(o.s, { admitted: !!o.admitted, reason: o.reason });
    }
  }
  return { course, lessons, students, records, reasons, excusedPeriods, overrides };
}

/** Per lesson of the course, how many of these students were present (or late): the column heads. */
export async function presentCounts(s: Queryable, courseId: number, studentIds: number[]): Promise<Map<number, number>> {
  if (studentIds.length === 0) return new Map();
  const rows = await s.all<{ l: number; n: number }>(sql`SELECT a.lesson_id AS l, count(*) AS n
    FROM attendance a JOIN lessons l ON l.id = a.lesson_id
    WHERE l.course_id = ${courseId} AND a.status IN ('present', 'late') AND a.student_id IN (${valuesList(studentIds)})
    GROUP BY a.lesson_id`);
  return new Map(rows.map((r) => [Number(r.l), Number(r.n)]));
}

/** How many were present (or late) at a lesson: the column head, without loading the journal. */
export async function presentAt(s: Queryable, lessonId: number): Promise<number> {
  return Number((await s.get<{ n: number }>(sql`SELECT count(*) AS n FROM attendance WHERE lesson_id = ${lessonId} AND status IN ('present', 'late')`))!.n);
}

/** Whether anyone in the course has a mark yet (admission treats "no rating" differently before that). */
/** The courses among `courseIds` where anyone has a mark, in one query (a student's home shows them all). */
export async function coursesWithMarks(s: Queryable, courseIds: number[]): Promise<Set<number>> {
  if (courseIds.length === 0) return new Set();
  const rows = await s.all<{ c: number }>(sql`SELECT DISTINCT l.course_id AS c FROM marks k JOIN lessons l ON l.id = k.lesson_id
    WHERE ${inArray(sql`l.course_id`, courseIds)} AND k.value IS NOT NULL`);
  return new Set(rows.map((r) => r.c));
}

export async function courseHasMarks(s: Queryable, courseId: number): Promise<boolean> {
  return !!(await s.get(sql`SELECT 1 AS one FROM marks k JOIN lessons l ON l.id = k.lesson_id WHERE l.course_id = ${courseId} AND k.value IS NOT NULL LIMIT 1`));
}
