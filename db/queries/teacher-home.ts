import { sql } from 'drizzle-orm';
import type { Queryable } from '../store';
import { listAgg } from '../sql-dialect';

export type TodayLesson = {
  id: number; courseId: number; kind: string; topic: string; startsAt: number; cancelled: number;
  subjectRu: string; subjectEn: string; groupName: string | null; streamGroups: string; entered: number; expected: number;
};

/** A teacher's lessons on one day, with how many attendance entries are already in. */
export async function teacherLessonsOn(s: Queryable, teacherId: number, date: string): Promise<TodayLesson[]> {
  const rows = await s.all<Omit<TodayLesson, 'cancelled'> & { cancelled: number | boolean }>(sql`
    SELECT l.id, l.course_id AS "courseId", l.kind, l.topic, l.starts_at AS "startsAt", l.cancelled,
      s.name_ru AS "subjectRu", s.name_en AS "subjectEn", g.name AS "groupName",
      (SELECT ${listAgg(s, sql`g2.name`, ', ')} FROM course_groups cg JOIN groups g2 ON g2.id = cg.group_id WHERE cg.course_id = l.course_id) AS "streamGroups",
      (SELECT count(*) FROM attendance a WHERE a.lesson_id = l.id) AS entered,
      (SELECT count(DISTINCT m.student_id) FROM group_memberships m JOIN course_groups cg ON cg.group_id = m.group_id
        WHERE cg.course_id = l.course_id AND (l.group_id IS NULL OR m.group_id = l.group_id)
        AND m.from_date <= l.date AND (m.to_date IS NULL OR m.to_date >= l.date)) AS expected
    FROM lessons l
    JOIN course_teachers ct ON ct.course_id = l.course_id AND ct.teacher_id = ${teacherId}
    JOIN courses c ON c.id = l.course_id JOIN subjects s ON s.id = c.subject_id
    LEFT JOIN groups g ON g.id = l.group_id
    WHERE l.date = ${date} ORDER BY l.starts_at`);
  // cancelled stays a 0/1 number on both dialects (PostgreSQL returns a boolean).
  return rows.map((r) => ({ ...r, cancelled: r.cancelled ? 1 : 0 }));
}

export type TeacherCourse = {
  id: number; subjectRu: string; subjectEn: string; role: string; groups: string; students: number;
  held: number; total: number; missingAttendance: number;
};

/** The teacher's courses in a term, with how complete the journal is. */
export async function teacherCourses(s: Queryable, teacherId: number, termId: number, today: string): Promise<TeacherCourse[]> {
  return s.all<TeacherCourse>(sql`
    SELECT c.id, s.name_ru AS "subjectRu", s.name_en AS "subjectEn", ct.role,
      (SELECT ${listAgg(s, sql`g.name`, ', ')} FROM course_groups cg JOIN groups g ON g.id = cg.group_id WHERE cg.course_id = c.id) AS groups,
      (SELECT count(DISTINCT m.student_id) FROM course_groups cg JOIN group_memberships m ON m.group_id = cg.group_id
        WHERE cg.course_id = c.id AND m.to_date IS NULL) AS students,
      (SELECT count(*) FROM lessons l WHERE l.course_id = c.id AND l.date <= ${today} AND l.cancelled = ${false}) AS held,
      (SELECT count(*) FROM lessons l WHERE l.course_id = c.id AND l.cancelled = ${false}) AS total,
      (SELECT count(*) FROM lessons l WHERE l.course_id = c.id AND l.date < ${today} AND l.cancelled = ${false}
        AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.lesson_id = l.id)) AS "missingAttendance"
    FROM courses c JOIN course_teachers ct ON ct.course_id = c.id AND ct.teacher_id = ${teacherId}
    JOIN subjects s ON s.id = c.subject_id
    WHERE c.term_id = ${termId} ORDER BY s.name_ru, c.id`);
}
