// Credit recognition (перезачёт) after a mobility placement: what a result earned at the partner becomes
// on the student's own course. Pure: the route hands in the course's scale and what the dean's office typed.
import type { RecognitionOutcome } from '../../db/schema';

export type ScaleFacts = { kind: 'points' | 'pass_fail'; min: number; max: number; passMin: number };
export type RecognitionRefusal = 'markRequired' | 'markNotPassing' | 'noMarkOnCredit';
export type Recognised = { outcome: RecognitionOutcome; mark: number | null };

/**
 * A recognised course is a passed course: a points course takes a passing mark on its own scale (the
 * partner's grade is kept beside it as written there); a pass/fail course is credited and takes no mark.
 */
export function recognise(scale: ScaleFacts, mark: number | null): Recognised | { refusal: RecognitionRefusal } {
  if (scale.kind === 'pass_fail') return mark === null ? { outcome: 'credit', mark: null } : { refusal: 'noMarkOnCredit' };
  if (mark === null) return { refusal: 'markRequired' };
  if (!Number.isInteger(mark) || mark < Math.max(scale.min, scale.passMin) || mark > scale.max) return { refusal: 'markNotPassing' };
  return { outcome: 'mark', mark };
}
