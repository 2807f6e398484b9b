import { html } from '../html';
import type { ViewCtx } from '../context';
import { formatDay, formatNumber } from '../format';
import { translateKey } from '../translate';
import type { CourseProgress } from './model';
import { t } from './strings';

/**
 * One course of a student as a tile: rating, absences, make-ups, admission with its reasons.
 * Rendered for the student's home, the parent's view and live pushes (id = course-tile-STUDENT-COURSE).
 * With showMarks false (an attendance-only guardian) no mark, rating or mark-based reason appears.
 */
export function courseTile(ctx: ViewCtx, studentId: number, c: CourseProgress, showMarks: boolean) {
  const { lang } = ctx;
  const reasons = showMarks ? c.admission.reasons : c.admission.reasons.filter((r) => !/rating|required|noRating/i.test(r.code));
  return html`<article class="tile" id="course-tile-${studentId}-${c.courseId}">
  <h3><a href="/students/${studentId}/courses/${c.courseId}">${lang === 'ru' ? c.subjectRu : c.subjectEn}</a></h3>
  <div class="meta">${c.teachers}${c.scaleKind === 'pass_fail' ? html` · ${t(lang, 'passFail')}` : null}</div>
  <div class="stats">
    ${showMarks && c.scaleKind === 'points'
      ? html`<span>${t(lang, 'rating')}: <b>${c.rating === null ? t(lang, 'noRating') : formatNumber(c.rating, lang, 2)}</b></span>`
      : null}
    <span>${t(lang, 'absences')}: <b>${c.absences.absent}</b> <small class="muted">${t(lang, 'absencesDetail', { absent: c.absences.absent, held: c.absences.held, excused: c.absences.excused, unexcused: c.absences.unexcused })}</small></span>
    ${c.pendingMakeups > 0 ? html`<span class="badge warn">${t(lang, 'makeups')}: ${c.pendingMakeups}</span>` : null}
  </div>
  ${showMarks && c.lastMark ? html`<div class="meta">${t(lang, 'lastMark', { value: c.scaleKind === 'pass_fail' ? t(lang, c.lastMark.value >= 1 ? 'pass' : 'fail') : c.lastMark.value, date: formatDay(c.lastMark.date, lang) })}</div>` : null}
  <div>${c.admission.admitted
    ? html`<span class="badge ok">${t(lang, 'admitted')}</span>`
    : html`<span class="badge bad">${t(lang, 'notAdmitted')}</span>`}${c.admission.overridden ? html` <small class="muted">${t(lang, 'overridden')}</small>` : null}
    ${reasons.length ? html`<ul class="reasons">${reasons.map((r) => html`<li>${translateKey(lang, r.code, r.params)}</li>`)}</ul>` : null}
    ${c.admission.warnings.length ? html`<ul class="reasons warn">${c.admission.warnings.map((r) => html`<li>${translateKey(lang, r.code, r.params)}</li>`)}</ul>` : null}
  </div>
  ${showMarks && c.finalMark !== null ? html`<div>${t(lang, 'finalMark')}: <b>${c.finalMark}</b></div>` : null}
</article>`;
}
