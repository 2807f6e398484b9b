/** What a student's or parent's page shows for one course: plain numbers, already decided by the rules. */
export type Reason = { code: string; params: Record<string, string | number> };

export type CourseProgress = {
  view: 'full';
  courseId: number;
  subjectRu: string;
  subjectEn: string;
  groups: string;
  teachers: string;
  teachersEn: string;
  scaleKind: 'points' | 'pass_fail';
  rating: number | null;
  absences: { held: number; absent: number; excused: number; unexcused: number; ratePercent: number };
  pendingMakeups: number;
  admission: { admitted: boolean; overridden: boolean; reasons: Reason[]; warnings: Reason[] };
  finalMark: number | null;
  lastMark: { value: number; date: string } | null;
};

/**
 * A course as an attendance-only guardian may see it (server/progress attendanceProgress): attendance
 * and make-ups, and of admission only what attendance alone decides. No rating, mark or final mark,
 * and no verdict when nothing on attendance bars the student: "admitted" would tell marks too.
 */
export type AttendanceProgress = Pick<CourseProgress,
  'courseId' | 'subjectRu' | 'subjectEn' | 'groups' | 'teachers' | 'teachersEn' | 'scaleKind' | 'absences' | 'pendingMakeups'> & {
  view: 'attendance';
  barredBy: Reason[]; // attendance reasons that bar the exam (then the student is not admitted, whatever the marks)
  warnings: Reason[];
};

/** What one viewer is shown of a course: everything, or the attendance view. */
export type ShownProgress = CourseProgress | AttendanceProgress;
