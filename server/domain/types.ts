// The vocabulary of the rules. Plain data; the database stores exactly these strings.
import type { LessonKind } from '../../db/schema';

export type { LessonKind };
export type AttendanceStatus = 'present' | 'late' | 'absent';
export type ReasonStatus = 'unknown' | 'excused' | 'unexcused';
export type MakeupStatus = 'pending' | 'done' | 'waived';

export type Scale = { code: string; kind: 'points' | 'pass_fail'; min: number; max: number; passMin: number };

export type AdmissionRule = {
  minRating: number | null; // rating at or above this admits
  absenceCapPercent: number | null; // over this bars
  absenceWarnPercent: number | null; // over this warns
  capCounts: 'all' | 'unexcused';
  requireMakeups: boolean;
  requiredPassKinds: LessonKind[]; // every such lesson needs a passing mark (colloquia, credits)
};

export type FinalRule =
  | { kind: 'mean_rating_exam'; examWeight: number; rounding: 'half_up' }
  | { kind: 'exam_only' }
  | { kind: 'rating_only'; rounding: 'half_up' };

export type CourseRules = {
  ratingWeights: Partial<Record<LessonKind, number>>;
  admission: AdmissionRule;
  finalRule: FinalRule;
  makeupKinds: LessonKind[];
};

/** A reason the UI translates: a message key and its parameters. */
export type Reason = { code: string; params: Record<string, string | number> };
