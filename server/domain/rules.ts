import type { CourseRules, Scale } from './types';

// Belarusian higher education: ten-point scale, 4 and above passes; credits are pass/fail.
export const SCALES: Record<'ten' | 'pass_fail' | 'five' | 'percent', Scale> = {
  ten: { code: 'ten', kind: 'points', min: 1, max: 10, passMin: 4 },
  pass_fail: { code: 'pass_fail', kind: 'pass_fail', min: 0, max: 1, passMin: 1 },
  five: { code: 'five', kind: 'points', min: 1, max: 5, passMin: 3 },
  percent: { code: 'percent', kind: 'points', min: 0, max: 100, passMin: 50 },
};

export const DEFAULT_COURSE_RULES: CourseRules = {
  ratingWeights: { lecture: 1, practical: 1, laboratory: 1, seminar: 1, colloquium: 2, credit: 1 },
  admission: { minRating: 4, absenceCapPercent: 30, absenceWarnPercent: 25, capCounts: 'all', requireMakeups: true, requiredPassKinds: ['colloquium', 'credit'] },
  finalRule: { kind: 'mean_rating_exam', examWeight: 0.5, rounding: 'half_up' },
  makeupKinds: ['practical', 'laboratory'],
};

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Rules are stored as JSON per course; whatever is missing or malformed falls back to the defaults. */
export function parseCourseRules(json: unknown): CourseRules {
  let raw: unknown = json;
  if (typeof json === 'string') {
    try {
      raw = JSON.parse(json || '{}');
    } catch {
      raw = {};
    }
  }
  const r = isObj(raw) ? raw : {};
  const d = DEFAULT_COURSE_RULES;
  const adm = isObj(r.admission) ? r.admission : {};
  const num = (v: unknown, dflt: number | null) => (v === null ? null : typeof v === 'number' && Number.isFinite(v) ? v : dflt);
  const fr = isObj(r.finalRule) ? r.finalRule : {};
  let finalRule = d.finalRule;
  if (fr.kind === 'exam_only') finalRule = { kind: 'exam_only' };
  else if (fr.kind === 'rating_only') finalRule = { kind: 'rating_only', rounding: 'half_up' };
  else if (fr.kind === 'mean_rating_exam') finalRule = { kind: 'mean_rating_exam', examWeight: Math.min(1, Math.max(0, num(fr.examWeight, 0.5) ?? 0.5)), rounding: 'half_up' };
  return {
    ratingWeights: isObj(r.ratingWeights) ? { ...d.ratingWeights, ...(r.ratingWeights as CourseRules['ratingWeights']) } : d.ratingWeights,
    admission: {
      minRating: num(adm.minRating, d.admission.minRating),
      absenceCapPercent: num(adm.absenceCapPercent, d.admission.absenceCapPercent),
      absenceWarnPercent: num(adm.absenceWarnPercent, d.admission.absenceWarnPercent),
      capCounts: adm.capCounts === 'unexcused' ? 'unexcused' : 'all',
      requireMakeups: typeof adm.requireMakeups === 'boolean' ? adm.requireMakeups : d.admission.requireMakeups,
      requiredPassKinds: Array.isArray(adm.requiredPassKinds) ? (adm.requiredPassKinds as CourseRules['makeupKinds']) : d.admission.requiredPassKinds,
    },
    finalRule,
    makeupKinds: Array.isArray(r.makeupKinds) ? (r.makeupKinds as CourseRules['makeupKinds']) : d.makeupKinds,
  };
}
