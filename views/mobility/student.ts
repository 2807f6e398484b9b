import { html, type Html } from '../html';
import { notice, type Notice } from '../layout/notice';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import { formatDay, formatDateTime } from '../format';
import type { Application, Call } from '../../db/queries/mobility';
import type { ApplyRefusal } from '../../server/domain/mobility-call';
import { t } from './strings';

// The tile is a grid: every line is its own element, the decision a badge coloured by its meaning.
const BADGE = { pending: 'info', selected: 'ok', waitlisted: 'warn', declined: 'bad' } as const;

export type StudentCall = { call: Call; refusal: ApplyRefusal | null };

/** The student's own page of mobility: the calls open to them and their applications with the decisions. */
export function mobilityStudentPage(ctx: ViewCtx, calls: StudentCall[], mine: (Application & { call: Call })[], o: Notice = {}, placements: Html | null = null) {
  const { lang } = ctx;
  const partner = (c: Call) => (lang === 'ru' ? c.partnerRu : c.partnerEn);
  const period = (c: Call) => `${formatDay(c.fromDate, lang)} – ${formatDay(c.toDate, lang)}`;
  return page(ctx, {
    title: t(lang, 'title'),
    body: html`<h1>${t(lang, 'title')}</h1>${notice(o)}
${placements}
<section class="card" id="my-applications"><h2>${t(lang, 'myApplications')}</h2>
${mine.length === 0 ? html`<p class="muted">${t(lang, 'noApplications')}</p>` : html`<ul class="list-plain">${mine.map((a) => html`<li class="tile" id="application-${a.id}">
  <h3>${partner(a.call)}</h3><div class="meta">${period(a.call)}</div>
  <div><span class="badge ${BADGE[a.decision]}">${t(lang, `decision_${a.decision}`)}</span>${a.decisionReason ? html` ${a.decisionReason}` : null}</div>
  <div class="meta">${t(lang, 'appliedOn', { date: formatDateTime(a.appliedAt, lang, ctx.tz) })}</div></li>`)}</ul>`}
</section>
<section class="card" id="open-calls"><h2>${t(lang, 'openCalls')}</h2>
${calls.length === 0 ? html`<p class="muted">${t(lang, 'noOpenCalls')}</p>` : calls.map(({ call: c, refusal }) => html`<article class="tile" id="call-${c.id}">
  <h3>${partner(c)}</h3><div class="meta" lang="">${c.partnerOriginal}</div>
  <div>${period(c)} · ${t(lang, 'deadline')}: ${formatDay(c.deadline, lang)}</div>
  ${refusal ? html`<div class="muted">${t(lang, `refused_${refusal}`)}</div>` : html`<form method="post" action="/mobility/calls/${c.id}/apply" id="apply-${c.id}" class="stack">${csrfField(ctx)}
    <label>${t(lang, 'motivation')}<textarea name="motivation" minlength="10" maxlength="2000" rows="4" required></textarea></label>
    <button type="submit">${t(lang, 'apply')}</button></form>`}
</article>`)}
</section>`,
  });
}
