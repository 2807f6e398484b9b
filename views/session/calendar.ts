import { html, type Html } from '../html';
import type { ViewCtx } from '../context';
import type { Statement, UpcomingExam } from '../../db/queries/statements';
import { formatDay } from '../format';
import { comingSessionDay, daysUntil } from '../../server/domain/session';
import type { PlannedExam } from '../../db/queries/session-calendar';
import { plannedDayText, sessionDayBadge } from './session-calendar';
import { attemptLabel } from './statement';
import { t } from './strings';

function daysLeft(ctx: ViewCtx, date: string): Html {
  const n = daysUntil(ctx.today, date);
  return html`<span class="badge">${n === 0 ? t(ctx.lang, 'today') : t(ctx.lang, 'daysLeft', { n })}</span>`;
}

/**
 * A student's (or a guardian's view of their) coming exams and credits, with days left: the days the session
 * calendar plans for their group, and the open statements they are on that it does not (a retake). Dates only: no results.
 */
export function examCalendar(ctx: ViewCtx, studentId: number, exams: UpcomingExam[], planned: PlannedExam[] = []): Html | null {
  const { lang } = ctx;
  const plannedKeys = new Set(planned.map((p) => `${p.courseId}:${p.kind}:${p.date}`));
  const extra = exams.filter((e) => !plannedKeys.has(`${e.courseId}:${e.kind}:${e.date}`));
  if (extra.length === 0 && planned.length === 0) return null;
  const items = [
    ...planned.map((p) => ({ date: comingSessionDay(p, ctx.today)?.date ?? p.date, li: html`<li id="exam-day-${p.courseId}-${p.groupId}-${p.kind}">
<b>${lang === 'ru' ? p.subjectRu : p.subjectEn}</b> · ${plannedDayText(lang, p)} ${sessionDayBadge(lang, ctx.today, p)}</li>` })),
    ...extra.map((e) => ({ date: e.date, li: html`<li>
<b>${lang === 'ru' ? e.subjectRu : e.subjectEn}</b> · ${t(lang, e.kind)}${e.attempt > 1 ? html` (${attemptLabel(lang, e.attempt)})` : null} · ${formatDay(e.date, lang)} ${daysLeft(ctx, e.date)}</li>` })),
  ].sort((a, b) => a.date.localeCompare(b.date));
  return html`<section class="card" id="exams-${studentId}"><h2>${t(lang, 'calendar')}</h2><ul class="list-plain">${items.map((i) => i.li)}</ul></section>`;
}

/** The teacher's home: the statements they examine that are still open. */
export function examinerCalendar(ctx: ViewCtx, list: Statement[]): Html | null {
  const { lang } = ctx;
  const open = list.filter((s) => s.status === 'open').sort((a, b) => a.date.localeCompare(b.date));
  if (open.length === 0) return null;
  return html`<section class="card" id="my-statements"><h2>${t(lang, 'myStatements')}</h2><ul class="list-plain">${open.map((s) => html`<li>
<a href="/statements/${s.id}">${lang === 'ru' ? s.subjectRu : s.subjectEn} · ${s.groupName ?? t(lang, 'individual')}</a> · ${t(lang, s.kind)} · ${formatDay(s.date, lang)}
${s.date >= ctx.today ? daysLeft(ctx, s.date) : null}</li>`)}</ul></section>`;
}
