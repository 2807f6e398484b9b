import type { CourseRules, LessonKind, Reason, Scale } from './types';
import type { AbsenceSummary } from './attendance';
import { isPass } from './scale';

export type AdmissionInput = {
  rating: number | null;
  hasMarkedLessons: boolean; // the course has given marks to anyone yet
  absences: AbsenceSummary;
  outstandingMakeups: number;
  requiredLessons: { lessonId: number; kind: LessonKind; date: string; mark: number | null }[]; // held lessons of requiredPassKinds
  scale: Scale;
  rules: CourseRules;
  override: { admitted: boolean; reason: string } | null;
};

export type Admission = { admitted: boolean; reasons: Reason[]; warnings: Reason[]; overridden: boolean };

/**
 * The reasons and warnings that come from attendance alone (absences, make-ups owed), never from a
 * mark or a decision that may rest on marks: all an attendance-only guardian may read of admission.
 * A reason added later stays hidden from them until it is listed here.
 */
export const ATTENDANCE_REASON_CODES: ReadonlySet<string> = new Set([
  'admission.makeupsOutstanding', 'admission.absenceOverCap', 'admission.absenceNearCap',
]);

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Exam admission (допуск): no outstanding make-ups, rating at or above the threshold, required
 * colloquia/credits passed, absences under the cap. The reasons are listed so a student reads
 * "not admitted: 2 practicals to make up, rating 3.6 < 4.0". The dean's office may override.
 */
export function admission(i: AdmissionInput): Admission {
  const a = i.rules.admission;
  const reasons: Reason[] = [];
  const warnings: Reason[] = [];
  if (a.requireMakeups && i.outstandingMakeups > 0) reasons.push({ code: 'admission.makeupsOutstanding', params: { n: i.outstandingMakeups } });
  if (a.minRating !== null && i.scale.kind === 'points') {
    if (i.rating === null) {
      // No rating is only a reason once the course has marked anyone: on day one nobody is barred.
      if (i.hasMarkedLessons) reasons.push({ code: 'admission.noRating', params: { min: a.minRating } });
    } else if (i.rating < a.minRating) {
      reasons.push({ code: 'admission.ratingBelow', params: { rating: floor2(i.rating), min: a.minRating } });
    }
  }
  const failed = i.requiredLessons.filter((l) => l.mark === null || !isPass(i.scale, l.mark));
  if (failed.length > 0) reasons.push({ code: 'admission.requiredNotPassed', params: { n: failed.length } });
  const rate = a.capCounts === 'unexcused' ? i.absences.unexcusedRatePercent : i.absences.ratePercent;
  if (a.absenceCapPercent !== null && rate > a.absenceCapPercent) {
    reasons.push({ code: 'admission.absenceOverCap', params: { rate: round1(rate), cap: a.absenceCapPercent } });
  } else if (a.absenceWarnPercent !== null && rate > a.absenceWarnPercent) {
    warnings.push({ code: 'admission.absenceNearCap', params: { rate: round1(rate), cap: a.absenceCapPercent ?? a.absenceWarnPercent } });
  }
  if (i.override) {
    return { admitted: i.override.admitted, reasons: i.override.admitted ? [] : [{ code: 'admission.barredByDean', params: { reason: i.override.reason } }, ...reasons], warnings, overridden: true };
  }
  return { admitted: reasons.length === 0, reasons, warnings, overridden: false };
}

// Rounded down, so that "rating 3.99 below 4" never reads "4 below 4"; the views write it the language's way.
const floor2 = (x: number) => Math.floor(x * 100 + 1e-9) / 100;
