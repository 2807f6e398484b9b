/** What a student's or parent's page shows for one course: plain numbers, already decided by the rules. */
export type Reason = { code: string; params: Record<string, string | number> };

export type CourseProgress = {
  courseId: number;
  subjectRu: string;
  subjectEn: string;
  groups: string;
  teachers: string;
  scaleKind: 'points' | 'pass_fail';
  rating: number | null;
  absences: { held: number; absent: number; excused: number; unexcused: number; ratePercent: number };
  pendingMakeups: number;
  admission: { admitted: boolean; overridden: boolean; reasons: Reason[]; warnings: Reason[] };
  finalMark: number | null;
  lastMark: { value: number; date: string } | null;
};
