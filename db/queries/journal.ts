// One course's journal in a handful of indexed queries: header, lessons, students (with dated
// memberships, so a transferred student shows only the lessons they were expected at), records.
import { prepared, type DB } from '../client';
import type { LessonKind } from '../schema';
import { cellKey } from '../../server/domain/cell-key';

export type JournalLesson = { id: number; date: string; startsAt: number; kind: LessonKind; topic: string; groupId: number | null; cancelled: boolean; version: number };
export type JournalStudent = { id: number; surname: string; givenName: string; patronymic: string | null; recordBook: string | null; memberships: { groupId: number; from: string; to: string | null }[] };
export type CellRecord = {
  att: { status: 'present' | 'late' | 'absent' | null; reasonStatus: 'unknown' | 'excused' | 'unexcused'; reasonId: number | null; documentRef: string | null; version: number; updatedBy: number | null; updatedAt: number } | null;
  mark: { value: number | null; comment: string | null; version: number; updatedBy: number | null; updatedAt: number } | null;
  makeup: { status: 'pending' | 'done' | 'waived'; mark: number | null; doneOn: string | null; version: number } | null;
};
export type JournalCourse = {
  id: number; subjectRu: string; subjectEn: string; termId: number; termLocked: boolean; termNameRu: string; termNameEn: string;
  termStartsOn: string; termEndsOn: string;
  scale: { code: string; kind: 'points' | 'pass_fail'; min: number; max: number; passMin: number }; rulesJson: string;
  groups: { id: number; name: string; facultyId: number }[]; teachers: { id: number; surname: string; givenName: string; role: string }[];
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

export function loadJournalCourse(db: DB, courseId: number): JournalCourse | undefined {
  const c = prepared(db, `SELECT c.id, s.name_ru AS subjectRu, s.name_en AS subjectEn, c.term_id AS termId, t.locked_at AS lockedAt,
      t.name_ru AS termNameRu, t.name_en AS termNameEn, t.starts_on AS termStartsOn, t.ends_on AS termEndsOn, c.rules AS rulesJson,
      sc.code, sc.kind, sc.min, sc.max, sc.pass_min AS passMin
    FROM courses c JOIN subjects s ON s.id = c.subject_id JOIN terms t ON t.id = c.term_id JOIN scales sc ON sc.id = c.scale_id
    WHERE c.id = ?`).get(courseId) as (Record<string, unknown> & { lockedAt: number | null }) | undefined;
  if (!c) return undefined;
  const groups = prepared(db, 'SELECT g.id, g.name, g.faculty_id AS facultyId FROM course_groups cg JOIN groups g ON g.id = cg.group_id WHERE cg.course_id = ? ORDER BY g.name').all(courseId) as JournalCourse['groups'];
  const teachers = prepared(db, 'SELECT u.id, u.surname, u.given_name AS givenName, ct.role FROM course_teachers ct JOIN users u ON u.id = ct.teacher_id WHERE ct.course_id = ? ORDER BY ct.role DESC, u.surname').all(courseId) as JournalCourse['teachers'];
  return {
    id: c.id as number, subjectRu: c.subjectRu as string, subjectEn: c.subjectEn as string, termId: c.termId as number,
    termLocked: c.lockedAt !== null, termNameRu: c.termNameRu as string, termNameEn: c.termNameEn as string,
    termStartsOn: c.termStartsOn as string, termEndsOn: c.termEndsOn as string, rulesJson: c.rulesJson as string,
    scale: { code: c.code as string, kind: c.kind as 'points' | 'pass_fail', min: c.min as number, max: c.max as number, passMin: c.passMin as number },
    groups, teachers,
  };
}

/**
 * The journal of a course; with groupId, only that group's students and the lessons it attends;
 * with onlyStudentId, just that student's row (what one saved cell needs re-rendered).
 */
export function loadJournal(db: DB, courseId: number, groupId: number | null = null, onlyStudentId: number | null = null): JournalData | undefined {
  const course = loadJournalCourse(db, courseId);
  if (!course) return undefined;
  const q = { prepare: (sql: string) => prepared(db, sql) };
  const groupIds = groupId ? course.groups.filter((g) => g.id === groupId).map((g) => g.id) : course.groups.map((g) => g.id);
  const lessons = (q.prepare('SELECT id, date, starts_at AS startsAt, kind, topic, group_id AS groupId, cancelled, version FROM lessons WHERE course_id = ? ORDER BY date, starts_at, id').all(courseId) as (Omit<JournalLesson, 'cancelled'> & { cancelled: number })[])
    .filter((l) => l.groupId === null || groupIds.includes(l.groupId))
    .map((l) => ({ ...l, cancelled: !!l.cancelled }));
  const inGroups = groupIds.map(() => '?').join(',') || 'NULL';
  const memberRows = q.prepare(`SELECT u.id, u.surname, u.given_name AS givenName, u.patronymic, u.record_book AS recordBook,
      m.group_id AS groupId, m.from_date AS "from", m.to_date AS "to"
    FROM group_memberships m JOIN users u ON u.id = m.student_id
    WHERE m.group_id IN (${inGroups}) AND m.from_date <= ? AND (m.to_date IS NULL OR m.to_date >= ?) ${onlyStudentId ? 'AND u.id = ?' : ''}
    ORDER BY u.surname COLLATE NOCASE, u.given_name, u.id`).all(...groupIds, course.termEndsOn, course.termStartsOn, ...(onlyStudentId ? [onlyStudentId] : [])) as (Omit<JournalStudent, 'memberships'> & { groupId: number; from: string; to: string | null })[];
  const students: JournalStudent[] = [];
  const byId = new Map<number, JournalStudent>();
  for (const r of memberRows) {
    let s = byId.get(r.id);
    if (!s) {
      s = { id: r.id, surname: r.surname, givenName: r.givenName, patronymic: r.patronymic, recordBook: r.recordBook, memberships: [] };
      byId.set(r.id, s);
      students.push(s);
    }
    s.memberships.push({ groupId: r.groupId, from: r.from, to: r.to });
  }
  const sf = (alias: string) => (onlyStudentId ? `AND ${alias}.student_id = ?` : '');
  const sa = onlyStudentId ? [onlyStudentId] : [];
  const records = new Map<string, CellRecord>();
  const get = (l: number, s: number) => {
    const k = cellKey(l, s);
    let r = records.get(k);
    if (!r) records.set(k, (r = { att: null, mark: null, makeup: null }));
    return r;
  };
  // Rows as arrays (.raw()): the journal reads ~2,000 records per render and objects cost more.
  for (const a of q.prepare(`SELECT a.lesson_id, a.student_id, a.status, a.reason_status, a.reason_id, a.document_ref, a.version, a.updated_by, a.updated_at
      FROM attendance a JOIN lessons l ON l.id = a.lesson_id WHERE l.course_id = ? ${sf('a')}`).raw(true).iterate(courseId, ...sa) as Iterable<never[]>) {
    get(a[0], a[1]).att = { status: a[2], reasonStatus: a[3], reasonId: a[4], documentRef: a[5], version: a[6], updatedBy: a[7], updatedAt: a[8] };
  }
  for (const m of q.prepare(`SELECT k.lesson_id, k.student_id, k.value, k.comment, k.version, k.updated_by, k.updated_at
      FROM marks k JOIN lessons l ON l.id = k.lesson_id WHERE l.course_id = ? ${sf('k')}`).raw(true).iterate(courseId, ...sa) as Iterable<never[]>) {
    get(m[0], m[1]).mark = { value: m[2], comment: m[3], version: m[4], updatedBy: m[5], updatedAt: m[6] };
  }
  for (const m of q.prepare(`SELECT k.lesson_id, k.student_id, k.status, k.mark, k.done_on, k.version
      FROM makeups k JOIN lessons l ON l.id = k.lesson_id WHERE l.course_id = ? ${sf('k')}`).raw(true).iterate(courseId, ...sa) as Iterable<never[]>) {
    get(m[0], m[1]).makeup = { status: m[2], mark: m[3], doneOn: m[4], version: m[5] };
  }
  const reasons = (q.prepare('SELECT id, code, name_ru AS nameRu, name_en AS nameEn, requires_makeup AS requiresMakeup FROM absence_reasons ORDER BY id').all() as (Omit<JournalData['reasons'][number], 'requiresMakeup'> & { requiresMakeup: number })[])
    .map((r) => ({ ...r, requiresMakeup: !!r.requiresMakeup }));
  const excusedPeriods = new Map<number, { reasonId: number; from: string; to: string }[]>();
  const overrides = new Map<number, { admitted: boolean; reason: string }>();
  if (students.length) {
    const ids = students.map((s) => s.id);
    const inS = ids.map(() => '?').join(',');
    for (const p of q.prepare(`SELECT student_id AS s, reason_id AS reasonId, from_date AS "from", to_date AS "to" FROM excused_periods WHERE student_id IN (${inS})`).all(...ids) as { s: number; reasonId: number; from: string; to: string }[]) {
      const list = excusedPeriods.get(p.s) ?? [];
      list.push({ reasonId: p.reasonId, from: p.from, to: p.to });
      excusedPeriods.set(p.s, list);
    }
    for (const o of q.prepare(`SELECT student_id AS s, admitted, reason FROM admission_overrides WHERE course_id = ?`).all(courseId) as { s: number; admitted: number; reason: string }[]) {
      overrides.set(o.s, { admitted: !!o.admitted, reason: o.reason });
    }
  }
  return { course, lessons, students, records, reasons, excusedPeriods, overrides };
}

/** How many were present (or late) at a lesson: the column head, without loading the journal. */
export function presentAt(db: DB, lessonId: number): number {
  return (prepared(db, "SELECT count(*) AS n FROM attendance WHERE lesson_id = ? AND status IN ('present', 'late')").get(lessonId) as { n: number }).n;
}

/** Whether anyone in the course has a mark yet (admission treats "no rating" differently before that). */
export function courseHasMarks(db: DB, courseId: number): boolean {
  return !!prepared(db, 'SELECT 1 FROM marks k JOIN lessons l ON l.id = k.lesson_id WHERE l.course_id = ? AND k.value IS NOT NULL LIMIT 1').get(courseId);
}
