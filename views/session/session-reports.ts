// The session reports (issue 16, item 5): per group and course the statement's figures; the students who owe
// after the session; the record-book averages for the scholarship. One description per table drives the page,
// the sorting and both exports (views/admin/sortable-table.ts), as on the Reports page.
import { html, type Html } from '../html';
import type { ViewCtx } from '../context';
import type { Lang, StatementKind, StatementStatus } from '../../db/schema';
import type { Choice } from '../../db/queries/admin-people';
import { page } from '../layout/page';
import { formatDay, formatNumber } from '../format';
import { renderTable, type SortState, type Table } from '../admin/sortable-table';
import { t } from './calendar-strings';
import { t as ts } from './strings';

type Key = Parameters<typeof t>[1];
const label = (k: Key) => (lang: Lang) => t(lang, k);
const round = (v: number | null, digits: number) => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);

export type ResultsRow = {
  statementId: number; number: string; groupName: string; subjectRu: string; subjectEn: string; kind: StatementKind; date: string; status: StatementStatus;
  total: number; passed: number; average: number | null; noShows: number; debts: number;
};
export type DebtorRow = { studentId: number; name: string; groupName: string; debts: number; overdue: number; earliestDeadline: string; subjects: string };
export type AveragesRow = {
  studentId: number; name: string; groupName: string; recordBook: string | null; termAverage: number | null; termCourses: number; overall: number | null; debts: number;
};

/** The share passed, in percent (null for a statement nobody is on). */
export const passPercent = (r: Pick<ResultsRow, 'total' | 'passed'>) => (r.total === 0 ? null : (100 * r.passed) / r.total);

export const resultsTable: Table<ResultsRow> = {
  id: 'session-results', param: 'sortResults', defaultSort: 'group', title: label('byGroupCourse'), sheet: label('sheetResults'),
  columns: [
    { key: 'group', label: label('group'), value: (r) => r.groupName, rowHeader: true, width: 8 },
    { key: 'subject', label: label('subject'), value: (r, lang) => (lang === 'ru' ? r.subjectRu : r.subjectEn), width: 36 },
    { key: 'kind', label: label('kind'), value: (r, lang) => t(lang, r.kind), width: 9 },
    { key: 'statement', label: label('statement'), value: (r) => r.number, show: (r) => html`<a href="/statements/${r.statementId}">${r.number}</a>`, width: 11 },
    { key: 'date', label: label('date'), value: (r) => r.date, show: (r, lang) => formatDay(r.date, lang), width: 12 },
    { key: 'status', label: label('status'), value: (r, lang) => ts(lang, `status.${r.status}`), width: 16 },
    { key: 'students', label: label('students'), value: (r) => r.total, num: true, width: 10 },
    { key: 'passed', label: label('passed'), value: (r) => r.passed, num: true, width: 9 },
    { key: 'passRate', label: label('passRate'), value: (r) => round(passPercent(r), 1), show: (r, lang) => formatNumber(passPercent(r), lang, 0), num: true, width: 10, numFmt: '0.0' },
    { key: 'average', label: label('average'), value: (r) => round(r.average, 2), show: (r, lang) => formatNumber(r.average, lang, 2), num: true, width: 10, numFmt: '0.00' },
    { key: 'noShows', label: label('noShows'), value: (r) => r.noShows, num: true, width: 10 },
    { key: 'debts', label: label('debts'), value: (r) => r.debts, num: true, width: 10 },
  ],
};

export const debtorsTable: Table<DebtorRow> = {
  id: 'session-debtors', param: 'sortDebtors', defaultSort: 'group', title: label('debtorsReport'), sheet: label('sheetDebtors'),
  columns: [
    { key: 'name', label: label('student'), value: (r) => r.name, show: (r) => html`<a href="/students/${r.studentId}/record-book">${r.name}</a>`, width: 28 },
    { key: 'group', label: label('group'), value: (r) => r.groupName, width: 8 },
    { key: 'debts', label: label('debts'), value: (r) => r.debts, num: true, width: 10 },
    { key: 'overdue', label: label('overdue'), value: (r) => r.overdue, num: true, width: 10 },
    { key: 'deadline', label: label('earliestDeadline'), value: (r) => r.earliestDeadline, show: (r, lang) => formatDay(r.earliestDeadline, lang), width: 14 },
    { key: 'subjects', label: label('subjects'), value: (r) => r.subjects, width: 50 },
  ],
};

export const averagesTable: Table<AveragesRow> = {
  id: 'session-averages', param: 'sortAverages', defaultSort: '-termAverage', title: label('scholarship'), sheet: label('sheetAverages'),
  columns: [
    { key: 'name', label: label('student'), value: (r) => r.name, show: (r) => html`<a href="/students/${r.studentId}/record-book">${r.name}</a>`, width: 28 },
    { key: 'group', label: label('group'), value: (r) => r.groupName, width: 8 },
    { key: 'recordBook', label: label('recordBook'), value: (r) => r.recordBook, width: 12 },
    { key: 'termAverage', label: label('termAverage'), value: (r) => round(r.termAverage, 2), show: (r, lang) => formatNumber(r.termAverage, lang, 2), num: true, width: 12, numFmt: '0.00' },
    { key: 'termCourses', label: label('termCourses'), value: (r) => r.termCourses, num: true, width: 9 },
    { key: 'overall', label: label('overallAverage'), value: (r) => round(r.overall, 2), show: (r, lang) => formatNumber(r.overall, lang, 2), num: true, width: 12, numFmt: '0.00' },
    { key: 'debts', label: label('debts'), value: (r) => r.debts, num: true, width: 10 },
  ],
};

export const SESSION_TABLES = { results: resultsTable, debtors: debtorsTable, averages: averagesTable } as const;
export type SessionTableName = keyof typeof SESSION_TABLES;
export type SessionRows = { results: ResultsRow[]; debtors: DebtorRow[]; averages: AveragesRow[] };
export type SessionFilter = { facultyId: number | null; groupId: number | null; termId: number };
export type SessionChoices = { faculties: Choice[]; groups: Choice[]; terms: { id: number; nameRu: string; nameEn: string }[] };

/** The filter as query parameters, for the links and exports that keep it. */
export function sessionFilterParams(f: SessionFilter): Record<string, string> {
  const out: Record<string, string> = { term: String(f.termId) };
  if (f.facultyId !== null) out.faculty = String(f.facultyId);
  if (f.groupId !== null) out.group = String(f.groupId);
  return out;
}

const option = (value: number | '', text: string, chosen: boolean) => html`<option value="${value}"${chosen ? html` selected` : null}>${text}</option>`;

export function sessionReportsPage(ctx: ViewCtx, rows: SessionRows, state: SortState, f: SessionFilter, c: SessionChoices): Html {
  const { lang } = ctx;
  const query = new URLSearchParams({ ...state.extra, ...state.sorts });
  const csv = (name: SessionTableName) => `/admin/session-reports.csv?${new URLSearchParams({ ...Object.fromEntries(query), table: name }).toString()}`;
  const section = <R,>(name: SessionTableName) => {
    const tb = SESSION_TABLES[name] as unknown as Table<R>;
    const list = rows[name] as R[];
    return html`<section class="card"><h2>${tb.title(lang)} <small class="muted">(${list.length})</small></h2>
<p><a class="button" href="${csv(name)}" download>CSV</a></p>
${list.length === 0 ? html`<p class="muted" id="${tb.id}-empty">${t(lang, 'emptyTable')}</p>` : renderTable(tb, list, lang, state)}</section>`;
  };
  return page(ctx, {
    title: t(lang, 'sessionReports'),
    body: html`<h1>${t(lang, 'sessionReports')}</h1><p class="muted">${t(lang, 'sessionReportsIntro')}</p>
<p><a class="button" href="/admin/session-reports.xlsx?${query.toString()}" download>${t(lang, 'exportXlsx')}</a></p>
<form method="get" action="/admin/session-reports" class="inline-form" id="session-filter">
${c.faculties.length > 1 ? html`<label>${t(lang, 'faculty')}<select name="faculty">${option('', t(lang, 'allFaculties'), f.facultyId === null)}
${c.faculties.map((x) => option(x.id, lang === 'ru' ? x.label : x.labelEn, x.id === f.facultyId))}</select></label>` : null}
<label>${t(lang, 'group')}<select name="group">${option('', t(lang, 'allGroups'), f.groupId === null)}${c.groups.map((x) => option(x.id, x.label, x.id === f.groupId))}</select></label>
<label>${t(lang, 'term')}<select name="term">${c.terms.map((x) => option(x.id, lang === 'ru' ? x.nameRu : x.nameEn, x.id === f.termId))}</select></label>
<button type="submit">${t(lang, 'show')}</button></form>
${section('results')}
${section('debtors')}
${section('averages')}`,
  });
}
