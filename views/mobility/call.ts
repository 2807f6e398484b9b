import { html } from '../html';
import { notice, type Notice } from '../layout/notice';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import { formatDay, formatNumber } from '../format';
import { displayName } from '../names';
import type { Application, Call } from '../../db/queries/mobility';
import type { Placement } from '../../db/queries/mobility-placements';
import type { ScoredCandidate, ScoreComponent } from '../../server/domain/mobility-score';
import { t } from './strings';

export type RankedApplicant = { application: Application; score: ScoredCandidate; placement: Placement | null };
export type FacultyCandidates = { facultyId: number; nameRu: string; nameEn: string; places: number; ranked: RankedApplicant[] };

const COMPONENTS = ['average', 'ratings', 'unexcusedAbsences', 'openDebts', 'activity', 'achievements'] as const;

/** One call's candidates, per faculty the viewer covers, ranked, every component of the score shown. */
export function mobilityCallPage(ctx: ViewCtx, call: Call, faculties: FacultyCandidates[], o: Notice = {}) {
  const { lang } = ctx;
  const partner = lang === 'ru' ? call.partnerRu : call.partnerEn;
  // Whole numbers (counts, most weights) without decimals; averages to hundredths.
  const num = (n: number) => formatNumber(n, lang, Number.isInteger(n) ? 0 : 2);
  const shown = (c: ScoreComponent, key: string) => c.value === null
    ? (key === 'average' ? html`<span class="muted">${t(lang, 'noAverage')}</span>` : html`<span class="muted">—</span>`)
    : html`${num(c.points)}<br><small class="muted">${t(lang, 'componentOf', { value: num(c.value), weight: num(c.weight), points: num(c.points) })}</small>`;
  return page(ctx, {
    title: `${t(lang, 'candidates')}: ${partner}`, wide: true,
    body: html`<p><a href="/admin/mobility">${t(lang, 'back')}</a></p><h1>${partner}</h1>
<p>${formatDay(call.fromDate, lang)} – ${formatDay(call.toDate, lang)} · ${t(lang, `programme_${call.programme}` as 'programme_degree')}, ${t(lang, 'yearN', { n: call.year })} · ${t(lang, 'deadline')}: ${formatDay(call.deadline, lang)}</p>
<p class="muted">${t(lang, 'recordSource')}</p>${notice(o)}
${faculties.map((f) => html`<section class="card" id="faculty-${f.facultyId}"><h2>${lang === 'ru' ? f.nameRu : f.nameEn} <small class="muted">${t(lang, 'places')}: ${f.places}</small></h2>
${f.ranked.length === 0 ? html`<p class="muted">${t(lang, 'noCandidates')}</p>` : html`<div class="table-wrap"><table class="data ranking"><thead><tr>
  <th scope="col" class="num">${t(lang, 'rank')}</th><th scope="col">${t(lang, 'student')}</th>
  ${COMPONENTS.map((k) => html`<th scope="col" class="num">${t(lang, `c_${k}`)}</th>`)}<th scope="col" class="num">${t(lang, 'total')}</th><th scope="col">${t(lang, 'decision')}</th></tr></thead>
<tbody>${f.ranked.map(({ application: a, score: s, placement }) => html`<tr id="applicant-${a.id}">
  <td class="num" data-label="${t(lang, 'rank')}">${s.rank}</td>
  <th scope="row">${displayName(a, lang)}<br><small class="muted">${a.groupName ?? ''}</small>
    ${s.eligible ? null : html`<br><small class="warn">${t(lang, 'ineligible')}</small>`}
    ${s.tieBrokenBy ? html`<br><small class="muted">${t(lang, `tie_${s.tieBrokenBy}`)}</small>` : null}</th>
  ${COMPONENTS.map((k) => html`<td class="num" data-label="${t(lang, `c_${k}`)}">${shown(s.components[k], k)}</td>`)}
  <td class="num" data-label="${t(lang, 'total')}"><strong>${num(s.total)}</strong></td>
  <td data-label="${t(lang, 'decision')}"><strong id="decision-${a.id}">${t(lang, `decision_${a.decision}`)}</strong>${a.decisionReason ? html`<br><small>${a.decisionReason}</small>` : null}</td></tr>
<tr class="details"><td></td><td colspan="${COMPONENTS.length + 3}">
  <details><summary>${t(lang, 'motivation')}</summary><p>${a.motivation}</p></details>
  <form method="post" action="/admin/mobility/applications/${a.id}/points" class="inline-form" id="points-${a.id}">${csrfField(ctx)}
    <label>${t(lang, 'activityPoints')}<input type="number" name="activityPoints" min="0" max="100" value="${a.activityPoints}" required></label>
    <label>${t(lang, 'achievementPoints')}<input type="number" name="achievementPoints" min="0" max="100" value="${a.achievementPoints}" required></label>
    <label>${t(lang, 'pointsNote')}<input name="note" maxlength="500" value="${a.pointsNote ?? ''}" required></label>
    <button type="submit">${t(lang, 'savePoints')}</button></form>
  <form method="post" action="/admin/mobility/applications/${a.id}/decision" class="inline-form" id="decide-${a.id}">${csrfField(ctx)}
    <label>${t(lang, 'reason')}<input name="reason" maxlength="500" required></label>
    <button type="submit" name="decision" value="selected">${t(lang, 'select')}</button>
    <button type="submit" name="decision" value="waitlisted">${t(lang, 'waitlist')}</button>
    <button type="submit" name="decision" value="declined">${t(lang, 'decline')}</button></form>
  ${a.decision === 'selected' ? placementBlock(ctx, call, a, placement) : null}
</td></tr>`)}</tbody></table></div>`}
</section>`)}`,
  });
}

/** A selected applicant's placement: the form to record it, or it with the forms to shorten or cancel it. */
function placementBlock(ctx: ViewCtx, call: Call, a: Application, p: Placement | null) {
  const { lang } = ctx;
  if (!p) {
    return html`<form method="post" action="/admin/mobility/applications/${a.id}/placement" class="inline-form" id="place-${a.id}">${csrfField(ctx)}
    <label>${t(lang, 'fromDate')}<input type="date" name="fromDate" value="${call.fromDate}" required></label>
    <label>${t(lang, 'toDate')}<input type="date" name="toDate" value="${call.toDate}" required></label>
    <label>${t(lang, 'orderNumber')}<input name="orderNumber" maxlength="60" required></label>
    <button type="submit">${t(lang, 'createPlacement')}</button></form>`;
  }
  const at = t(lang, 'placementAt', { partner: lang === 'ru' ? p.partnerRu : p.partnerEn, from: formatDay(p.fromDate, lang), to: formatDay(p.toDate, lang), order: p.orderNumber });
  if (p.cancelledAt !== null) return html`<p id="placement-${p.id}"><s>${at}</s> — ${t(lang, 'cancelled')}</p>`;
  return html`<p id="placement-${p.id}"><strong>${t(lang, 'placement')}:</strong> ${at} ·
    <a href="/admin/mobility/placements/${p.id}/recognitions">${t(lang, 'recognitions')}</a></p>
  <form method="post" action="/admin/mobility/placements/${p.id}" class="inline-form" id="change-placement-${p.id}">${csrfField(ctx)}
    <label>${t(lang, 'fromDate')}<input type="date" name="fromDate" value="${p.fromDate}"></label>
    <label>${t(lang, 'toDate')}<input type="date" name="toDate" value="${p.toDate}"></label>
    <label>${t(lang, 'reason')}<input name="reason" maxlength="500" required></label>
    <button type="submit" name="action" value="shorten">${t(lang, 'shorten')}</button>
    <button type="submit" name="action" value="cancel">${t(lang, 'cancelPlacement')}</button></form>`;
}
