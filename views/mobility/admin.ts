import { html, attr } from '../html';
import { notice, type Notice } from '../layout/notice';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import { formatDay } from '../format';
import type { Call, Partner, QuotaUse } from '../../db/queries/mobility';
import { PROGRAMMES } from '../../db/schema';
import { DEFAULT_WEIGHTS } from '../../server/domain/mobility-score';
import { t } from './strings';

const field = (label: string, name: string, o: { type?: string; max?: number; min?: number; step?: string; required?: boolean; value?: string } = {}) =>
  html`<label>${label}<input type="${o.type ?? 'text'}" name="${name}"${o.type === 'number' ? html`${attr('min', o.min ?? null)}${attr('max', o.max ?? null)}${attr('step', o.step ?? null)}` : o.type === 'date' ? null : attr('maxlength', o.max ?? 200)}${o.required === false ? null : html` required`}${attr('value', o.value ?? null)}></label>`;

export type MobilityAdminData = { partners: Partner[]; calls: Call[]; quotaUse: QuotaUse[]; faculties: { id: number; nameRu: string; nameEn: string }[]; university: boolean };

const WEIGHT_KEYS = ['average', 'ratings', 'unexcusedAbsence', 'openDebt', 'activity', 'achievements'] as const;

export function mobilityAdminPage(ctx: ViewCtx, d: MobilityAdminData, o: Notice = {}) {
  const { lang } = ctx;
  const name = (x: { nameRu: string; nameEn: string }) => (lang === 'ru' ? x.nameRu : x.nameEn);
  const partnerName = (x: { partnerRu: string; partnerEn: string }) => (lang === 'ru' ? x.partnerRu : x.partnerEn);
  return page(ctx, {
    title: t(lang, 'title'),
    body: html`<h1>${t(lang, 'title')}</h1>${notice(o)}
<p><a href="/admin/mobility/report" id="placements-report">${t(lang, 'report')}</a></p>
<section class="card" id="calls"><h2>${t(lang, 'calls')}</h2>
${d.calls.length === 0 ? html`<p class="muted">${t(lang, 'noCalls')}</p>` : html`<div class="table-wrap"><table class="data"><thead><tr>
  <th scope="col">${t(lang, 'partner')}</th><th scope="col">${t(lang, 'period')}</th><th scope="col">${t(lang, 'programme')}</th>
  <th scope="col">${t(lang, 'deadline')}</th><th scope="col">${t(lang, 'places')}</th></tr></thead>
<tbody>${d.calls.map((c) => html`<tr id="call-${c.id}"><th scope="row"><a href="/admin/mobility/calls/${c.id}">${partnerName(c)}</a></th>
  <td>${formatDay(c.fromDate, lang)} – ${formatDay(c.toDate, lang)}</td><td>${t(lang, `programme_${c.programme}` as 'programme_degree')}, ${t(lang, 'yearN', { n: c.year })}</td>
  <td>${formatDay(c.deadline, lang)}</td><td>${c.quotas.map((q) => html`<div>${name(q)}: ${t(lang, 'selectedOf', q)}</div>`)}</td></tr>`)}</tbody></table></div>`}
${d.university ? callEdits(ctx, d) : null}
${d.university ? callForm(ctx, d) : null}
</section>
<section class="card" id="quota-use"><h2>${t(lang, 'quotaUse')}</h2>
<div class="table-wrap"><table class="data"><thead><tr><th scope="col">${t(lang, 'partner')}</th><th scope="col">${t(lang, 'period')}</th>
  <th scope="col">${t(lang, 'group')}</th><th scope="col" class="num">${t(lang, 'places')}</th><th scope="col" class="num">${t(lang, 'decision_selected')}</th><th scope="col" class="num">${t(lang, 'candidates')}</th></tr></thead>
<tbody>${d.quotaUse.map((q) => html`<tr><th scope="row">${partnerName(q)}</th><td>${formatDay(q.fromDate, lang)} – ${formatDay(q.toDate, lang)}</td>
  <td>${lang === 'ru' ? q.facultyRu : q.facultyEn}</td><td class="num">${q.places}</td><td class="num">${q.selected}</td><td class="num">${q.applicants}</td></tr>`)}</tbody></table></div>
</section>
<section class="card" id="partners"><h2>${t(lang, 'partners')}</h2>
<div class="table-wrap"><table class="data"><thead><tr><th scope="col">${t(lang, 'partner')}</th><th scope="col">${t(lang, 'nameOriginal')}</th>
  <th scope="col">${t(lang, 'country')}</th><th scope="col">${t(lang, 'agreement')}</th></tr></thead>
<tbody>${d.partners.map((p) => html`<tr id="partner-${p.id}"><th scope="row">${name(p)}</th><td lang="">${p.nameOriginal}</td><td>${p.country}</td>
  <td>№ ${p.agreementNumber}, ${formatDay(p.agreementFrom, lang)} – ${p.agreementTo ? formatDay(p.agreementTo, lang) : t(lang, 'openEnded')}</td></tr>`)}</tbody></table></div>
${d.university ? partnerEdits(ctx, d) : null}
${d.university ? html`<form method="post" action="/admin/mobility/partners" class="inline-form" id="new-partner">${csrfField(ctx)}
  ${field(t(lang, 'nameOriginal'), 'nameOriginal')}${field(t(lang, 'nameRu'), 'nameRu')}${field(t(lang, 'nameEn'), 'nameEn')}
  ${field(t(lang, 'country'), 'country', { max: 2 })}${field(t(lang, 'agreementNumber'), 'agreementNumber', { max: 40 })}
  ${field(t(lang, 'agreementFrom'), 'agreementFrom', { type: 'date' })}${field(t(lang, 'agreementTo'), 'agreementTo', { type: 'date', required: false })}
  <button type="submit">${t(lang, 'newPartner')}</button></form>` : null}
</section>`,
  });
}

function callForm(ctx: ViewCtx, d: MobilityAdminData) {
  const { lang } = ctx;
  return html`<form method="post" action="/admin/mobility/calls" class="inline-form" id="new-call">${csrfField(ctx)}<h3>${t(lang, 'newCall')}</h3>
  <label>${t(lang, 'partner')}<select name="partnerId" required>${d.partners.map((p) => html`<option value="${p.id}">${lang === 'ru' ? p.nameRu : p.nameEn}</option>`)}</select></label>
  ${field(t(lang, 'fromDate'), 'fromDate', { type: 'date' })}${field(t(lang, 'toDate'), 'toDate', { type: 'date' })}
  <label>${t(lang, 'programme')}<select name="programme">${PROGRAMMES.map((p) => html`<option value="${p}">${t(lang, `programme_${p}`)}</option>`)}</select></label>
  ${field(t(lang, 'year'), 'year', { type: 'number', min: 1, max: 7, value: '4' })}${field(t(lang, 'deadline'), 'deadline', { type: 'date' })}
  <fieldset><legend>${t(lang, 'places')}</legend>${d.faculties.map((f) => field(t(lang, 'placesOf', { faculty: lang === 'ru' ? f.nameRu : f.nameEn }), `places_${f.id}`, { type: 'number', min: 0, max: 100, value: '0' }))}</fieldset>
  <fieldset><legend>${t(lang, 'weights')}</legend>${WEIGHT_KEYS.map((k) => field(t(lang, `w_${k}`), `w_${k}`, { type: 'number', min: 0, max: 100, step: '0.1', value: String(DEFAULT_WEIGHTS[k]) }))}
    ${field(t(lang, 'w_maxOpenDebts'), 'w_maxOpenDebts', { type: 'number', min: 0, max: 20, required: false, value: String(DEFAULT_WEIGHTS.maxOpenDebts) })}</fieldset>
  <button type="submit">${t(lang, 'newCall')}</button></form>`;
}

/** Each call's edit (dates, places) and its early close, folded away under the call's name. */
function callEdits(ctx: ViewCtx, d: MobilityAdminData) {
  const { lang } = ctx;
  if (d.calls.length === 0) return null;
  return html`<div class="stack" id="call-edits">${d.calls.map((c) => {
    const places = (facultyId: number) => String(c.quotas.find((q) => q.facultyId === facultyId)?.places ?? 0);
    return html`<details id="edit-call-${c.id}"><summary>${t(lang, 'edit')}: ${lang === 'ru' ? c.partnerRu : c.partnerEn}, ${formatDay(c.fromDate, lang)}</summary>
  <form method="post" action="/admin/mobility/calls/${c.id}" class="inline-form" id="call-form-${c.id}">${csrfField(ctx)}
    ${field(t(lang, 'fromDate'), 'fromDate', { type: 'date', value: c.fromDate })}${field(t(lang, 'toDate'), 'toDate', { type: 'date', value: c.toDate })}
    ${field(t(lang, 'deadline'), 'deadline', { type: 'date', value: c.deadline })}
    ${d.faculties.map((f) => field(t(lang, 'placesOf', { faculty: lang === 'ru' ? f.nameRu : f.nameEn }), `places_${f.id}`, { type: 'number', min: 0, max: 100, value: places(f.id) }))}
    <button type="submit">${t(lang, 'save')}</button></form>
  ${ctx.today <= c.deadline ? html`<form method="post" action="/admin/mobility/calls/${c.id}/close" class="inline-form" id="close-call-${c.id}">${csrfField(ctx)}
    <button type="submit">${t(lang, 'closeCall')}</button></form>` : null}</details>`;
  })}</div>`;
}

/** Each partner's edit and the closing of its agreement (today), folded away under its name. */
function partnerEdits(ctx: ViewCtx, d: MobilityAdminData) {
  const { lang } = ctx;
  return html`<div class="stack" id="partner-edits">${d.partners.map((p) => html`<details id="edit-partner-${p.id}"><summary>${t(lang, 'edit')}: ${lang === 'ru' ? p.nameRu : p.nameEn}</summary>
  <form method="post" action="/admin/mobility/partners/${p.id}" class="inline-form" id="partner-form-${p.id}">${csrfField(ctx)}
    ${field(t(lang, 'nameOriginal'), 'nameOriginal', { value: p.nameOriginal })}${field(t(lang, 'nameRu'), 'nameRu', { value: p.nameRu })}
    ${field(t(lang, 'nameEn'), 'nameEn', { value: p.nameEn })}${field(t(lang, 'country'), 'country', { max: 2, value: p.country })}
    ${field(t(lang, 'agreementNumber'), 'agreementNumber', { max: 40, value: p.agreementNumber })}
    ${field(t(lang, 'agreementFrom'), 'agreementFrom', { type: 'date', value: p.agreementFrom })}
    ${field(t(lang, 'agreementTo'), 'agreementTo', { type: 'date', required: false, value: p.agreementTo ?? '' })}
    <button type="submit">${t(lang, 'save')}</button></form>
  ${p.agreementTo === null || p.agreementTo > ctx.today ? html`<form method="post" action="/admin/mobility/partners/${p.id}/close" class="inline-form" id="close-partner-${p.id}">${csrfField(ctx)}
    <button type="submit">${t(lang, 'closeAgreement')}</button></form>` : null}</details>`)}</div>`;
}
