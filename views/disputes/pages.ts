import { html, type Html } from '../html';
import { displayName } from '../names';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import { formatDay } from '../format';
import { formTokenField } from '../layout/form-token';
import { kindLabel } from '../lesson-kinds';
import type { Dispute } from '../../db/queries/disputes';
import { t } from './strings';

const status = (ctx: ViewCtx, d: Dispute) => html`<span class="badge ${d.status === 'open' ? 'warn' : d.status === 'accepted' ? 'ok' : 'bad'}">${t(ctx.lang, d.status)}</span>`;

/** On the student's course page: their disputes with answers, and the form to open one. */
export function studentDisputes(ctx: ViewCtx, studentId: number, courseId: number, disputes: Dispute[], lessons: { id: number; date: string; kind: string }[], message?: string, error?: string): Html {
  const { lang } = ctx;
  return html`<section class="card" id="disputes" aria-labelledby="disputes-h"><h2 id="disputes-h">${t(lang, 'myDisputes')}</h2>
  ${message ? html`<p class="ok-box" role="status">${message}</p>` : null}
  ${error ? html`<p class="error-box" role="alert">${error}</p>` : null}
  ${disputes.length ? html`<ul class="list-plain">${disputes.map((d) => html`<li class="tile" id="dispute-${d.id}"><div>${formatDay(d.date, lang)} · ${t(lang, d.subject)} · ${status(ctx, d)}</div><div>${d.comment}</div>${d.answer ? html`<div><b>${t(lang, 'answer')}:</b> ${d.answer}</div>` : null}</li>`)}</ul>` : null}
  ${lessons.length ? html`<details><summary>${t(lang, 'dispute')}</summary>
    <form method="post" action="/students/${studentId}/courses/${courseId}/disputes" class="stack">${csrfField(ctx)}${formTokenField()}
      <label>${t(lang, 'lesson')}<select name="lessonId">${lessons.map((l) => html`<option value="${l.id}">${formatDay(l.date, lang)} — ${kindLabel(lang, l.kind)}</option>`)}</select></label>
      <label>${t(lang, 'what')}<select name="subject"><option value="mark">${t(lang, 'mark')}</option><option value="attendance">${t(lang, 'attendance')}</option></select></label>
      <label>${t(lang, 'comment')}<textarea name="comment" required minlength="5" maxlength="1000" rows="3"></textarea></label>
      <button type="submit" class="primary">${t(lang, 'send')}</button></form></details>` : null}
</section>`;
}

export function disputesPage(ctx: ViewCtx, list: Dispute[], current: Map<number, string>, o: { message?: string; error?: string } = {}) {
  const { lang } = ctx;
  return page(ctx, {
    title: t(lang, 'title'),
    body: html`<h1>${t(lang, 'title')} <small class="muted">(${list.length})</small></h1>
${o.message ? html`<p class="ok-box" role="status">${o.message}</p>` : null}
${o.error ? html`<p class="error-box" role="alert">${o.error}</p>` : null}
${list.length === 0 ? html`<p class="muted">${t(lang, 'none')}</p>` : html`<ul class="list-plain">${list.map((d) => html`<li class="tile" id="dispute-${d.id}">
  <div><b>${displayName(d, lang)}</b> ${d.groupName ?? ''} · ${lang === 'ru' ? d.subjectRu : d.subjectEn} · <a href="/courses/${d.courseId}/lessons/${d.lessonId}">${formatDay(d.date, lang)}, ${kindLabel(lang, d.kind)}</a> · ${t(lang, d.subject)}: <b>${current.get(d.id) ?? '—'}</b></div>
  <div>${d.comment}</div>
  <form method="post" action="/disputes/${d.id}" class="inline-form">${csrfField(ctx)}${formTokenField()}
    <label>${t(lang, 'correction')} <input type="text" name="value" maxlength="20" size="4"></label>
    <label>${t(lang, 'answer')} <input type="text" name="answer" required minlength="3" maxlength="500"></label>
    <button type="submit" name="decision" value="accepted" class="primary">${t(lang, 'accept')}</button>
    <button type="submit" name="decision" value="rejected">${t(lang, 'reject')}</button>
  </form></li>`)}</ul>`}`,
  });
}
