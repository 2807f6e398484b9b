import { html } from '../html';
import type { ViewCtx } from '../context';
import { formatDay, formatNumber } from '../format';
import { translateKey } from '../translate';
import type { Reason, ShownProgress } from './model';
import { t } from './strings';
import { markWord } from '../scale-words';
import type { PlannedExam } from '../../db/queries/session-calendar';
import { tileExamLine } from '../session/session-calendar';

const reasonList = (ctx: ViewCtx, rs: Reason[], cls: string) =>
  rs.length ? html`<ul class="${cls}">${rs.map((r) => html`<li>${translateKey(ctx.lang, r.code, r.params)}</li>`)}</ul>` : null;

/**
 * One course of a student as a tile: rating, absences, make-ups, admission with its reasons.
 * Rendered for the student's home, the parent's view and live pushes (id = course-tile-STUDENT-COURSE).
 * The attendance view (an attendance-only guardian) has no mark, rating or final mark to show, and an
 * admission verdict only when attendance alone bars the student. The course's coming exam or credit days
 * (the session calendar's, of the student's group) are dates, shown to every view.
 */
export function courseTile(ctx: ViewCtx, studentId: number, c: ShownProgress, examDays: readonly PlannedExam[] = []) {
  const { lang } = ctx;
  return html`<article class="tile" id="course-tile-${studentId}-${c.courseId}">
  <h3><a href="/students/${studentId}/courses/${c.courseId}">${lang === 'ru' ? c.subjectRu : c.subjectEn}</a></h3>
  <div class="meta">${lang === 'en' ? c.teachersEn : c.teachers}${c.scaleKind === 'pass_fail' ? html` · ${t(lang, 'passFail')}` : null}</div>
  <div class="stats">
    ${c.view === 'full' && c.scaleKind === 'points'
      ? html`<span>${t(lang, 'rating')}: <b>${c.rating === null ? t(lang, 'noRating') : formatNumber(c.rating, lang, 2)}</b></span>`
      : null}
    <span>${t(lang, 'absences')}: <b>${c.absences.absent}</b> <small class="muted">${t(lang, 'absencesDetail', { absent: c.absences.absent, held: c.absences.held, excused: c.absences.excused, unexcused: c.absences.unexcused })}</small></span>
    ${c.pendingMakeups > 0 ? html`<span class="badge warn">${t(lang, 'makeups')}: ${c.pendingMakeups}</span>` : null}
  </div>
  ${c.view === 'full' && c.lastMark ? html`<div class="meta">${t(lang, 'lastMark', { value: markWord(lang, c.scaleKind, c.lastMark.value), date: formatDay(c.lastMark.date, lang) })}</div>` : null}
  ${c.view === 'full'
    ? html`<div>${c.admission.admitted
        ? html`<span class="badge ok">${t(lang, 'admitted')}</span>`
        : html`<span class="badge bad">${t(lang, 'notAdmitted')}</span>`}${c.admission.overridden ? html` <small class="muted">${t(lang, 'overridden')}</small>` : null}
      ${reasonList(ctx, c.admission.reasons, 'reasons')}
      ${reasonList(ctx, c.admission.warnings, 'reasons warn')}
    </div>`
    : c.barredBy.length || c.warnings.length
      ? html`<div>${c.barredBy.length ? html`<span class="badge bad">${t(lang, 'notAdmitted')}</span>` : null}
      ${reasonList(ctx, c.barredBy, 'reasons')}
      ${reasonList(ctx, c.warnings, 'reasons warn')}
    </div>`
      : null}
  ${c.view === 'full' && c.finalMark !== null ? html`<div>${t(lang, 'finalMark')}: <b>${c.finalMark}</b></div>` : null}
  ${examDays.filter((d) => d.courseId === c.courseId).map((d) => tileExamLine(ctx, d))}
</article>`;
}
