import { html, type Html } from '../html';
import type { ViewCtx } from '../context';
import { page } from '../layout/page';
import { formatNumber } from '../format';
import { barChart } from './bar-chart';
import { renderTable, type SortState, type Table } from './sortable-table';
import { REPORT_TABLES, type ReportRows, type ReportTableName } from './report-tables';
import { t } from './strings';
import { listHref, offsetOf, pager } from '../layout/pager';
import { reportFilterForm, type ReportFilterView } from './report-filters';

export type { AtRisk } from './report-tables';

export function reportsPage(ctx: ViewCtx, rows: ReportRows, days: number, state: SortState, v: ReportFilterView) {
  const { lang } = ctx;
  // The at-risk list is the long one (129 rows on a faculty's page): it comes in pages, the rest are short.
  const riskHref = (page: number) => `${listHref('/admin/reports', { ...state.extra, ...state.sorts }, { ...v.paging, page })}#at-risk`;
  const riskPage = rows.risk.slice(offsetOf(v.paging), offsetOf(v.paging) + v.paging.size);
  const riskPager = (id: string) => pager(lang, v.paging, rows.risk.length, riskHref, id);
  const query = new URLSearchParams({ ...state.extra, ...state.sorts });
  const xlsx = query.size ? `/admin/reports.xlsx?${query.toString()}` : '/admin/reports.xlsx';
  const csv = (name: ReportTableName) => `/admin/reports.csv?${new URLSearchParams({ ...Object.fromEntries(query), table: name }).toString()}`;
  const section = <R,>(name: ReportTableName, title: string, count?: number, before?: Html, shown?: R[], after?: Html) => html`<section class="card"><h2>${title}${count === undefined ? '' : html` <small class="muted">(${count})</small>`}</h2>
  <p><a class="button" href="${csv(name)}" download>CSV</a></p>${before ?? ''}
  ${(rows[name] as R[]).length === 0
    ? html`<p class="muted" id="${name}-empty">${name === 'completeness' ? t(lang, 'completenessEmpty', { days }) : t(lang, 'emptyTable')}</p>`
    : html`${renderTable(REPORT_TABLES[name] as unknown as Table<R>, shown ?? (rows[name] as R[]), lang, state)}${after ?? ''}`}
</section>`;
  const chart = barChart(rows.group.map((g) => ({
    label: g.name, value: g.absentPercent, text: g.absentPercent === null ? '—' : `${formatNumber(g.absentPercent, lang)} %`,
    title: g.absentPercent === null ? t(lang, 'chartBarEmpty', { group: g.name }) : t(lang, 'chartBar', { group: g.name, pct: formatNumber(g.absentPercent, lang) }),
  })), { label: t(lang, 'absenceChart') });
  return page(ctx, {
    title: t(lang, 'reportsTitle'),
    body: html`<h1>${t(lang, 'reportsTitle')}</h1>
<p><a class="button" href="${xlsx}" download>${t(lang, 'exportXlsx')}</a></p>
${reportFilterForm(lang, v, state.extra.days ? { days: state.extra.days } : {})}
${section('risk', t(lang, 'atRisk'), rows.risk.length, riskPager('risk-pager'), riskPage, rows.risk.length > v.paging.size ? riskPager('risk-pager-bottom') : undefined)}
${section('course', t(lang, 'byCourse'))}
${section('teacher', t(lang, 'byTeacher'))}
${section('group', t(lang, 'attendanceByGroup'), undefined, html`${v.filter.courseId !== null || v.filter.teacherId !== null ? html`<p class="muted" id="group-not-narrowed">${t(lang, 'notByGroupTable')}</p>` : null}<figure class="chart-figure">${chart}<figcaption class="muted">${t(lang, 'absenceChart')}</figcaption></figure>`)}
${section('completeness', t(lang, 'completeness', { days }))}`,
  });
}
