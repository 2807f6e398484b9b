// "How is each student doing" for a whole faculty at once: the reports page's at-risk table and
// per-course counts. The data comes from loadTermStudents (a fixed number of queries for the whole
// term, not a batch per student); each (student, course) verdict is computed by the same
// summarizeCourse / toCourseProgress as a student's own page, so the rules live in one place.
import type { Queryable } from '../../db/store';
import { loadTermStudents } from '../../db/queries/progress';
import { studentsInFaculties } from '../../db/queries/reports';
import { summarizeCourse, toCourseProgress } from './student-progress';
import type { CourseProgress } from '../../views/progress/model';

/** studentCourseProgress for each of these students (by id), in a fixed number of queries. */
export async function termCourseProgress(s: Queryable, studentIds: number[], termId: number, today: string): Promise<Map<number, CourseProgress[]>> {
  const data = await loadTermStudents(s, termId, studentIds);
  const out = new Map<number, CourseProgress[]>();
  for (const [id, t] of data.students) {
    out.set(id, t.courses.map((c) => toCourseProgress(c, summarizeCourse(t, c, today, data.coursesWithMarks.has(c.courseId)))));
  }
  return out;
}

export type FacultyStudentProgress = {
  student: Awaited<ReturnType<typeof studentsInFaculties>>[number];
  courses: CourseProgress[];
};

/** Every current student of these faculties (or of one group) in studentsInFaculties' order, with their courses of the term. */
export async function facultyTermProgress(s: Queryable, facultyIds: number[] | 'all', termId: number, today: string, groupId: number | null = null): Promise<FacultyStudentProgress[]> {
  const students = await studentsInFaculties(s, facultyIds, groupId);
  const progress = await termCourseProgress(s, students.map((x) => x.id), termId, today);
  return students.map((student) => ({ student, courses: progress.get(student.id) ?? [] }));
}
