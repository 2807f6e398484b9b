import { html } from '../html';
import type { ViewCtx } from '../context';
import type { CourseProgress } from '../progress/model';
import type { ChildSummary } from '../../server/progress/student-progress';
import { courseTile } from '../progress/course-tile';
import type { PlannedExam } from '../../db/queries/session-calendar';
import { t as tp } from '../progress/strings';
import { formatDay, formatNumber } from '../format';
import { displayName } from '../names';
import { t } from './strings';
import { comingSessionDay } from '../../server/domain/session';
import { t as tc } from '../session/calendar-strings';
import { plannedDayText, sessionDayBadge } from '../session/session-calendar';

/** The nearest coming exam or credit day of a child's courses. */
function nextExamDay(ctx: ViewCtx, days: readonly PlannedExam[]) {
  const next = days.map((d) => ({ d, on: comingSessionDay(d, ctx.today)?.date })).filter((x) => x.on).sort((a, b) => a.on!.localeCompare(b.on!))[0]?.d;
  if (!next) return null;
  return html`<div class="meta exam-day" id="child-exam-${next.courseId}-${next.groupId}-${next.kind}">${tc(ctx.lang, 'nextExam')}: <b>${ctx.lang === 'ru' ? next.subjectRu : next.subjectEn}</b> · ${plannedDayText(ctx.lang, next)} ${sessionDayBadge(ctx.lang, ctx.today, next)}</div>`;
}

export function studentHomeSection(ctx: ViewCtx, studentId: number, courses: CourseProgress[], examDays: PlannedExam[] = []) {
  const { lang } = ctx;
  return html`<section aria-labelledby="progress-h"><h2 id="progress-h">${t(lang, 'myProgress')}</h2>
  ${courses.length === 0 ? html`<p class="muted">${t(lang, 'noCourses')}</p>` : html`<div class="grid-cards">${courses.map((c) => courseTile(ctx, studentId, c, examDays))}</div>`}
</section>`;
}

/** A child on the parent's home; its next exam or credit day (dates only: shown on either link scope). */
export function childCard(ctx: ViewCtx, c: ChildSummary, examDays: readonly PlannedExam[] = []) {
  const { lang } = ctx;
  return html`<article class="tile" id="child-${c.studentId}">
  <h3><a href="/students/${c.studentId}">${displayName(c, lang)}</a></h3>
  <div class="meta">${c.groupName ? tp(lang, 'group', { name: c.groupName }) : null}${c.scope === 'attendance' ? html` · ${tp(lang, 'attendanceOnly')}` : null}</div>
  <div class="stats"><span>${tp(lang, 'absences')}: <b>${c.absent}</b> <small class="muted">${tp(lang, 'absencesDetail', { absent: c.absent, held: c.held, excused: c.excused, unexcused: c.unexcused })}</small></span>
    ${c.pendingMakeups > 0 ? html`<span class="badge warn">${tp(lang, 'makeups')}: ${c.pendingMakeups}</span>` : null}</div>
  <div class="meta">${c.lastAbsence ? tp(lang, 'lastAbsence', { date: formatDay(c.lastAbsence, lang) }) : tp(lang, 'noAbsences')}</div>
  ${nextExamDay(ctx, examDays)}
  ${c.scope === 'full'
    ? html`<div>${c.averageRating !== null ? html`<span>${tp(lang, 'average', { value: formatNumber(c.averageRating, lang, 2) })}</span> · ` : null}
        ${c.notAdmittedCourses > 0
          ? html`<span class="badge bad">${tp(lang, 'coursesNotAdmitted', { n: c.notAdmittedCourses, total: c.courses })}</span>`
          : html`<span class="badge ok">${tp(lang, 'allAdmitted')}</span>`}</div>`
    : null}
</article>`;
}

export function guardianHomeSection(ctx: ViewCtx, children: ChildSummary[], examDays: ReadonlyMap<number, PlannedExam[]> = new Map()) {
  const { lang } = ctx;
  return html`<section aria-labelledby="children-h"><h2 id="children-h">${t(lang, 'myChildren')}</h2>
  ${children.length === 0 ? html`<p class="muted">${t(lang, 'noChildren')}</p>` : html`<div class="grid-cards">${children.map((c) => childCard(ctx, c, examDays.get(c.studentId)))}</div>`}
</section>`;
}
