import { html, type Html } from '../html';
import type { ViewCtx } from '../context';
import { page } from '../layout/page';
import { formatNumber } from '../format';
import { barChart } from './bar-chart';
import { renderTable, type SortState, type Table } from './sortable-table';
import { REPORT_TABLES, type ReportRows, type ReportTableName } from './report-tables';
import { t } from './strings';

export type { AtRisk } from './report-tables';

export function reportsPage(ctx: ViewCtx, rows: ReportRows, days: number, state: SortState) {
  const { lang } = ctx;
  const query = new URLSearchParams({ ...state.extra, ...state.sorts });
  const xlsx = query.size ? `/admin/reports.xlsx?${query.toString()}` : '/admin/reports.xlsx';
  const csv = (name: ReportTableName) => `/admin/reports.csv?${new URLSearchParams({ ...Object.fromEntries(query), table: name }).toString()}`;
  const section = <R,>(name: ReportTableName, title: string, count?: number, before?: Html) => html`<section class="card"><h2>${title}${count === undefined ? '' : html` <small class="muted">(${count})</small>`}</h2>
  <p><a class="button" href="${csv(name)}" download>CSV</a></p>${before ?? ''}
  ${(rows[name] as R[]).length === 0
    ? html`<p class="muted" id="${name}-empty">${name === 'completeness' ? t(lang, 'completenessEmpty', { days }) : t(lang, 'emptyTable')}</p>`
    : renderTable(REPORT_TABLES[name] as unknown as Table<R>, rows[name] as R[], lang, state)}
</section>`;
  const chart = barChart(rows.group.map((g) => ({
    label: g.name, value: g.absentPercent, text: g.absentPercent === null ? '—' : `${formatNumber(g.absentPercent, lang)} %`,
    title: g.absentPercent === null ? t(lang, 'chartBarEmpty', { group: g.name }) : t(lang, 'chartBar', { group: g.name, pct: formatNumber(g.absentPercent, lang) }),
  })), { label: t(lang, 'absenceChart') });
  return page(ctx, {
    title: t(lang, 'reportsTitle'),
    body: html`<h1>${t(lang, 'reportsTitle')}</h1>
<p><a class="button" href="${xlsx}" download>${t(lang, 'exportXlsx')}</a></p>
${section('risk', t(lang, 'atRisk'), rows.risk.length)}
${section('course', t(lang, 'byCourse'))}
${section('teacher', t(lang, 'byTeacher'))}
${section('group', t(lang, 'attendanceByGroup'), undefined, html`<figure class="chart-figure">${chart}<figcaption class="muted">${t(lang, 'absenceChart')}</figcaption></figure>`)}
${section('completeness', t(lang, 'completeness', { days }))}`,
  });
}
