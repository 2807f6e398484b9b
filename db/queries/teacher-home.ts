import type { DB } from '../client';

export type TodayLesson = {
  id: number; courseId: number; kind: string; topic: string; startsAt: number; cancelled: number;
  subjectRu: string; subjectEn: string; groupName: string | null; streamGroups: string; entered: number; expected: number;
};

/** A teacher's lessons on one day, with how many attendance entries are already in. */
export function teacherLessonsOn(db: DB, teacherId: number, date: string): TodayLesson[] {
  return db.$client.prepare(`
    SELECT l.id, l.course_id AS courseId, l.kind, l.topic, l.starts_at AS startsAt, l.cancelled,
      s.name_ru AS subjectRu, s.name_en AS subjectEn, g.name AS groupName,
      (SELECT group_concat(g2.name, ', ') FROM course_groups cg JOIN groups g2 ON g2.id = cg.group_id WHERE cg.course_id = l.course_id) AS streamGroups,
      (SELECT count(*) FROM attendance a WHERE a.lesson_id = l.id) AS entered,
      (SELECT count(DISTINCT m.student_id) FROM group_memberships m JOIN course_groups cg ON cg.group_id = m.group_id
        WHERE cg.course_id = l.course_id AND (l.group_id IS NULL OR m.group_id = l.group_id)
        AND m.from_date <= l.date AND (m.to_date IS NULL OR m.to_date >= l.date)) AS expected
    FROM lessons l
    JOIN course_teachers ct ON ct.course_id = l.course_id AND ct.teacher_id = ?
    JOIN courses c ON c.id = l.course_id JOIN subjects s ON s.id = c.subject_id
    LEFT JOIN groups g ON g.id = l.group_id
    WHERE l.date = ? ORDER BY l.starts_at`).all(teacherId, date) as TodayLesson[];
}

export type TeacherCourse = {
  id: number; subjectRu: string; subjectEn: string; role: string; groups: string; students: number;
  held: number; total: number; missingAttendance: number;
};

/** The teacher's courses in a term, with how complete the journal is. */
export function teacherCourses(db: DB, teacherId: number, termId: number, today: string): TeacherCourse[] {
  return db.$client.prepare(`
    SELECT c.id, s.name_ru AS subjectRu, s.name_en AS subjectEn, ct.role,
      (SELECT group_concat(g.name, ', ') FROM course_groups cg JOIN groups g ON g.id = cg.group_id WHERE cg.course_id = c.id) AS groups,
      (SELECT count(DISTINCT m.student_id) FROM course_groups cg JOIN group_memberships m ON m.group_id = cg.group_id
        WHERE cg.course_id = c.id AND m.to_date IS NULL) AS students,
      (SELECT count(*) FROM lessons l WHERE l.course_id = c.id AND l.date <= ? AND l.cancelled = 0) AS held,
      (SELECT count(*) FROM lessons l WHERE l.course_id = c.id AND l.cancelled = 0) AS total,
      (SELECT count(*) FROM lessons l WHERE l.course_id = c.id AND l.date < ? AND l.cancelled = 0
        AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.lesson_id = l.id)) AS missingAttendance
    FROM courses c JOIN course_teachers ct ON ct.course_id = c.id AND ct.teacher_id = ?
    JOIN subjects s ON s.id = c.subject_id
    WHERE c.term_id = ? ORDER BY s.name_ru, c.id`).all(today, today, teacherId, termId) as TeacherCourse[];
}
