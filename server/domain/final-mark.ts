import type { CourseRules, Scale } from './types';
import { isPass, roundHalfUp } from './scale';

/**
 * The course's final mark. mean_rating_exam: rating and exam mark weighted, rounded half up.
 * A failed exam is a failed course whatever the rating (the exam mark stands), and nobody gets a
 * final mark without admission and an exam mark.
 */
export function finalMark(rules: CourseRules, scale: Scale, ratingValue: number | null, examMark: number | null, admitted: boolean): number | null {
  if (!admitted) return null;
  const r = rules.finalRule;
  if (r.kind === 'rating_only') return ratingValue === null ? null : clamp(scale, roundHalfUp(ratingValue));
  if (examMark === null) return null;
  if (r.kind === 'exam_only' || ratingValue === null || !isPass(scale, examMark)) return examMark;
  return clamp(scale, roundHalfUp(ratingValue * (1 - r.examWeight) + examMark * r.examWeight));
}

function clamp(scale: Scale, v: number): number {
  return Math.min(scale.max, Math.max(scale.min, v));
}
