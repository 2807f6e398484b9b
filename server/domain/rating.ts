import type { CourseRules, LessonKind, Scale } from './types';

export type MarkFact = { lessonId: number; kind: LessonKind; date: string; value: number };

/**
 * The current average of a course: marks weighted by lesson kind (weights are data), the exam
 * excluded (it is the final control, not part of the rating). A pass/fail course has no rating.
 */
export function rating(marks: MarkFact[], scale: Scale, rules: CourseRules): number | null {
  if (scale.kind === 'pass_fail') return null;
  let sum = 0;
  let weight = 0;
  for (const m of marks) {
    if (m.kind === 'exam') continue;
    const w = rules.ratingWeights[m.kind] ?? 1;
    sum += w * m.value;
    weight += w;
  }
  return weight > 0 ? Math.round((sum / weight) * 100) / 100 : null;
}

/** The running rating after each dated mark, for the student's chart. */
export function ratingSeries(marks: MarkFact[], scale: Scale, rules: CourseRules): { date: string; rating: number }[] {
  if (scale.kind === 'pass_fail') return [];
  const sorted = [...marks].filter((m) => m.kind !== 'exam').sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const out: { date: string; rating: number }[] = [];
  let sum = 0;
  let weight = 0;
  for (const m of sorted) {
    const w = rules.ratingWeights[m.kind] ?? 1;
    sum += w * m.value;
    weight += w;
    const r = Math.round((sum / weight) * 100) / 100;
    if (out.length && out[out.length - 1].date === m.date) out[out.length - 1].rating = r;
    else out.push({ date: m.date, rating: r });
  }
  return out;
}
