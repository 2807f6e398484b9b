import { formTokenField } from '../layout/form-token';
import { displayName } from '../names';
import { html } from '../html';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import { formatDay, formatDateTime } from '../format';
import type { TermRow, Correction } from '../../db/queries/admin-terms';
import { kindLabel } from '../lesson-kinds';
import { t } from './strings';
import { t as ts } from './structure-strings';

export function termsPage(ctx: ViewCtx, terms: TermRow[], canLock: boolean, o: { message?: string; error?: string } = {}) {
  const { lang } = ctx;
  return page(ctx, {
    title: t(lang, 'termsTitle'),
    body: html`<h1>${t(lang, 'termsTitle')}</h1>
${o.message ? html`<p class="ok-box" role="status">${o.message}</p>` : null}
${o.error ? html`<p class="error-box" role="alert">${o.error}</p>` : null}
${canLock ? null : html`<p class="muted">${t(lang, 'onlyUniversity')}</p>`}
<div class="table-wrap"><table class="data"><thead><tr><th scope="col">${t(lang, 'term')}</th><th scope="col">${t(lang, 'dates')}</th><th scope="col" class="num">${t(lang, 'courses')}</th><th scope="col">${t(lang, 'status')}</th></tr></thead>
<tbody>${terms.map((x) => html`<tr id="term-${x.id}"><th scope="row">${lang === 'ru' ? x.nameRu : x.nameEn}</th><td>${formatDay(x.startsOn, lang)} — ${formatDay(x.endsOn, lang)}</td><td class="num">${x.courses}</td>
<td>${x.lockedAt ? html`<span class="badge warn">${t(lang, 'locked')}</span> <small>${formatDateTime(x.lockedAt, lang, ctx.tz)}${x.lockReason ? ` — ${x.lockReason}` : ''}</small>` : html`<span class="badge ok">${t(lang, 'open')}</span>`}
${canLock ? html` <a class="button" id="term-${x.lockedAt ? 'unlock' : 'lock'}-${x.id}" href="/admin/terms/${x.id}/${x.lockedAt ? 'unlock' : 'lock'}">${t(lang, x.lockedAt ? 'unlockAsk' : 'lockAsk')}</a>` : null}</td></tr>`)}</tbody></table></div>
${canLock ? html`<section class="card"><h2>${ts(lang, 'newTerm')}</h2><form method="post" action="/admin/terms" class="inline-form" id="new-term">${csrfField(ctx)}${formTokenField()}
  <label>${ts(lang, 'nameRu')}<input type="text" name="nameRu" required minlength="3" maxlength="100"></label>
  <label>${ts(lang, 'nameEn')}<input type="text" name="nameEn" required minlength="3" maxlength="100"></label>
  <label>${ts(lang, 'startsOn')}<input type="date" name="startsOn" required></label>
  <label>${ts(lang, 'endsOn')}<input type="date" name="endsOn" required></label>
  <button type="submit">${ts(lang, 'create')}</button></form></section>` : null}`,
  });
}

/** A wide action asks first, saying what it touches: the term's courses, teachers and students. */
export function termConfirmPage(ctx: ViewCtx, x: TermRow, action: 'lock' | 'unlock', reach: { courses: number; teachers: number; students: number }, o: { error?: string; reason?: string } = {}) {
  const { lang } = ctx;
  const term = lang === 'ru' ? x.nameRu : x.nameEn;
  const title = t(lang, action === 'lock' ? 'lockConfirmTitle' : 'unlockConfirmTitle', { term });
  return page(ctx, {
    title,
    body: html`<h1>${title}</h1>
${o.error ? html`<p class="error-box" role="alert">${o.error}</p>` : null}
<p id="term-reach">${t(lang, action === 'lock' ? 'lockReach' : 'unlockReach', reach)}</p>
<form method="post" action="/admin/terms/${x.id}/${action}" class="stack">${csrfField(ctx)}${formTokenField()}<input type="hidden" name="confirm" value="1">
  <label>${t(lang, 'reason')}<input type="text" name="reason" required minlength="3" maxlength="300" value="${o.reason ?? ''}"></label>
  <p><button type="submit" class="primary">${t(lang, action === 'lock' ? 'lockConfirm' : 'unlockConfirm', reach)}</button> <a href="/admin/terms">${t(lang, 'cancel')}</a></p>
</form>`,
  });
}

export function correctionsPage(ctx: ViewCtx, list: Correction[], o: { message?: string; error?: string; current?: Map<number, string> } = {}) {
  const { lang } = ctx;
  return page(ctx, {
    title: t(lang, 'correctionsTitle'),
    body: html`<h1>${t(lang, 'correctionsTitle')} <small class="muted">(${list.length})</small></h1>
${o.message ? html`<p class="ok-box" role="status">${o.message}</p>` : null}
${o.error ? html`<p class="error-box" role="alert">${o.error}</p>` : null}
${list.length === 0 ? html`<p class="muted">${t(lang, 'noCorrections')}</p>` : html`<ul class="list-plain">${list.map((c) => html`<li class="tile" id="correction-${c.id}">
  <div><b>${displayName(c, lang)}</b> · ${lang === 'ru' ? c.subjectRu : c.subjectEn} · ${formatDay(c.date, lang)}, ${kindLabel(lang, c.kind)} · ${t(lang, c.field === 'mark' ? 'fieldMark' : 'fieldAttendance')}: <span class="was">${t(lang, 'was')} <b>${o.current?.get(c.id) || '∅'}</b></span> → <b>${c.newValue || '∅'}</b></div>
  <div>${c.reason} <small class="muted">${t(lang, 'requestedBy', { name: `${c.requesterSurname} ${c.requesterGiven}` })}</small></div>
  <form method="post" action="/admin/corrections/${c.id}" class="inline-form">${csrfField(ctx)}${formTokenField()}
    <input type="text" name="note" required minlength="3" maxlength="300" placeholder="${t(lang, 'note')}" aria-label="${t(lang, 'note')}">
    <button type="submit" name="decision" value="approve" class="primary">${t(lang, 'approve')}</button>
    <button type="submit" name="decision" value="reject">${t(lang, 'reject')}</button></form></li>`)}</ul>`}`,
  });
}
