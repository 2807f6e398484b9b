import { html, type Html } from '../html';
import type { ViewCtx } from '../context';
import type { Statement, UpcomingExam } from '../../db/queries/statements';
import { formatDay } from '../format';
import { daysUntil } from '../../server/domain/session';
import { attemptLabel } from './statement';
import { t } from './strings';

function daysLeft(ctx: ViewCtx, date: string): Html {
  const n = daysUntil(ctx.today, date);
  return html`<span class="badge">${n === 0 ? t(ctx.lang, 'today') : t(ctx.lang, 'daysLeft', { n })}</span>`;
}

/** A student's (or a guardian's view of their) coming exams and credits, with days left. Dates only: no results. */
export function examCalendar(ctx: ViewCtx, studentId: number, exams: UpcomingExam[]): Html | null {
  const { lang } = ctx;
  if (exams.length === 0) return null;
  return html`<section class="card" id="exams-${studentId}"><h2>${t(lang, 'calendar')}</h2><ul class="list-plain">${exams.map((e) => html`<li>
<b>${lang === 'ru' ? e.subjectRu : e.subjectEn}</b> · ${t(lang, e.kind)}${e.attempt > 1 ? html` (${attemptLabel(lang, e.attempt)})` : null} · ${formatDay(e.date, lang)} ${daysLeft(ctx, e.date)}</li>`)}</ul></section>`;
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
