import { html } from '../html';
import { notice, type Notice } from '../layout/notice';
import type { ViewCtx } from '../context';
import type { Lang } from '../../db/schema';
import { page } from '../layout/page';
import { formatDay } from '../format';
import { displayName } from '../names';
import type { CsvValue } from '../csv';
import type { PlacementReportRow } from '../../db/queries/mobility-placements';
import { t } from './strings';

export type PlacementReportFilter = { facultyId: number | null; partnerId: number | null; from: string | null; to: string | null };
export type PlacementReportData = {
  rows: PlacementReportRow[]; filter: PlacementReportFilter;
  faculties: { id: number; nameRu: string; nameEn: string }[]; partners: { id: number; nameRu: string; nameEn: string }[];
};

/** The filter as query parameters (only those set): the CSV link and the clear link keep or drop them. */
export function placementFilterParams(f: PlacementReportFilter): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.facultyId !== null) out.faculty = String(f.facultyId);
  if (f.partnerId !== null) out.partner = String(f.partnerId);
  if (f.from !== null) out.from = f.from;
  if (f.to !== null) out.to = f.to;
  return out;
}

/** Faculty × partner totals: placements, of them still active. */
export function placementTotals(rows: PlacementReportRow[]) {
  const byKey = new Map<string, { row: PlacementReportRow; placements: number; active: number }>();
  for (const r of rows) {
    const k = `${r.facultyId}:${r.partnerId}`;
    const e = byKey.get(k) ?? { row: r, placements: 0, active: 0 };
    e.placements++;
    if (!r.cancelled) e.active++;
    byKey.set(k, e);
  }
  return [...byKey.values()];
}

/** The list's columns, the same on the page and in the CSV. */
export function placementColumns(lang: Lang): { head: string; value: (r: PlacementReportRow) => CsvValue }[] {
  const name = (ru: string, en: string) => (lang === 'ru' ? ru : en);
  return [
    { head: t(lang, 'faculty'), value: (r) => name(r.facultyRu, r.facultyEn) },
    { head: t(lang, 'partner'), value: (r) => name(r.partnerRu, r.partnerEn) },
    { head: t(lang, 'country'), value: (r) => r.country },
    { head: t(lang, 'fromDate'), value: (r) => r.fromDate },
    { head: t(lang, 'toDate'), value: (r) => r.toDate },
    { head: t(lang, 'student'), value: (r) => displayName(r, lang) },
    { head: t(lang, 'group'), value: (r) => r.groupName ?? '' },
    { head: t(lang, 'orderNumber'), value: (r) => r.orderNumber },
    { head: t(lang, 'status'), value: (r) => t(lang, r.cancelled ? 'cancelled' : 'statusActive') },
    { head: t(lang, 'recognisedCourses'), value: (r) => r.recognised },
  ];
}

const option = (value: number | '', label: string, chosen: boolean) => html`<option value="${value}"${chosen ? html` selected` : null}>${label}</option>`;

export function placementsReportPage(ctx: ViewCtx, d: PlacementReportData, o: Notice = {}) {
  const { lang } = ctx;
  const f = d.filter;
  const name = (x: { nameRu: string; nameEn: string }) => (lang === 'ru' ? x.nameRu : x.nameEn);
  const params = new URLSearchParams(placementFilterParams(f)).toString();
  const filtered = params !== '';
  return page(ctx, {
    title: t(lang, 'report'), wide: true,
    body: html`<p><a href="/admin/mobility">${t(lang, 'title')}</a></p><h1>${t(lang, 'report')}</h1>
<p class="muted">${t(lang, 'reportIntro')}</p>${notice(o)}
<form method="get" action="/admin/mobility/report" class="list-filters card" id="placement-filters">
${d.faculties.length > 1 ? html`<label>${t(lang, 'filterFaculty')} <select name="faculty">${option('', t(lang, 'filterAll'), f.facultyId === null)}${d.faculties.map((x) => option(x.id, name(x), f.facultyId === x.id))}</select></label>` : null}
<label>${t(lang, 'filterPartner')} <select name="partner">${option('', t(lang, 'filterAll'), f.partnerId === null)}${d.partners.map((x) => option(x.id, name(x), f.partnerId === x.id))}</select></label>
<label>${t(lang, 'filterFrom')} <input type="date" name="from" value="${f.from ?? ''}"></label>
<label>${t(lang, 'filterTo')} <input type="date" name="to" value="${f.to ?? ''}"></label>
<button type="submit" class="primary">${t(lang, 'filterShow')}</button>
${filtered ? html`<a href="/admin/mobility/report" id="placement-filters-clear">${t(lang, 'filterClear')}</a>` : null}
</form>
<p><a href="/admin/mobility/report.csv${params ? `?${params}` : ''}" id="placements-csv">${t(lang, 'exportCsv')}</a></p>
${d.rows.length === 0 ? html`<p class="muted" id="no-placements">${t(lang, 'noPlacements')}</p>` : html`
<section class="card" id="placement-totals"><h2>${t(lang, 'summary')}</h2><div class="table-wrap"><table class="data"><thead><tr>
  <th scope="col">${t(lang, 'faculty')}</th><th scope="col">${t(lang, 'partner')}</th><th scope="col" class="num">${t(lang, 'placements')}</th>
  <th scope="col" class="num">${t(lang, 'active')}</th></tr></thead>
<tbody>${placementTotals(d.rows).map((e) => html`<tr id="total-${e.row.facultyId}-${e.row.partnerId}"><th scope="row">${lang === 'ru' ? e.row.facultyRu : e.row.facultyEn}</th>
  <td>${lang === 'ru' ? e.row.partnerRu : e.row.partnerEn}</td><td class="num">${e.placements}</td><td class="num">${e.active}</td></tr>`)}</tbody></table></div></section>
<section class="card" id="placement-list"><h2>${t(lang, 'placements')}</h2><div class="table-wrap"><table class="data"><thead><tr>
  <th scope="col">${t(lang, 'faculty')}</th><th scope="col">${t(lang, 'partner')}</th><th scope="col">${t(lang, 'period')}</th><th scope="col">${t(lang, 'student')}</th>
  <th scope="col">${t(lang, 'orderNumber')}</th><th scope="col">${t(lang, 'status')}</th><th scope="col" class="num">${t(lang, 'recognisedCourses')}</th></tr></thead>
<tbody>${d.rows.map((r) => html`<tr id="report-placement-${r.id}"><td>${lang === 'ru' ? r.facultyRu : r.facultyEn}</td><td>${lang === 'ru' ? r.partnerRu : r.partnerEn} (${r.country})</td>
  <td>${formatDay(r.fromDate, lang)} – ${formatDay(r.toDate, lang)}</td>
  <th scope="row">${displayName(r, lang)}<br><small class="muted">${r.groupName ?? ''}</small></th><td>${r.orderNumber}</td>
  <td>${r.cancelled ? html`<span class="badge bad">${t(lang, 'cancelled')}</span>` : html`<span class="badge ok">${t(lang, 'statusActive')}</span>`}</td>
  <td class="num">${r.recognised > 0 ? html`<a href="/admin/mobility/placements/${r.id}/recognitions">${r.recognised}</a>` : '0'}</td></tr>`)}</tbody></table></div></section>`}`,
  });
}
