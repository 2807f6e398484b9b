// One description per report table drives the page, the sorting and both exports, so a column
// added once shows up everywhere with the same header in the user's language.
import { html, attr, type Html } from '../html';
import type { Lang } from '../../db/schema';

export type Cell = string | number | null;

export type Column<R> = {
  key: string;
  label: (lang: Lang) => string;
  value: (r: R, lang: Lang) => Cell; // what sorting and the exports use
  show?: (r: R, lang: Lang) => Html | string; // the page's rendering when it differs from the value
  num?: boolean;
  rowHeader?: boolean;
  width?: number; // spreadsheet column width, characters
  numFmt?: string; // spreadsheet number format, e.g. '0.0'
};

export type Table<R> = { id: string; param: string; defaultSort: string; title: (lang: Lang) => string; sheet: (lang: Lang) => string; columns: Column<R>[] };

/** Every valid value of the table's sort parameter: a column key, or `-key` for descending. */
export const sortKeys = (tb: Table<never>): [string, ...string[]] => tb.columns.flatMap((c) => [c.key, `-${c.key}`]) as [string, ...string[]];

/** Stable sort by a column; blanks always last, whatever the direction. */
export function sortRows<R>(rows: R[], tb: Table<R>, sort: string, lang: Lang): R[] {
  const desc = sort.startsWith('-');
  const col = tb.columns.find((c) => c.key === sort.replace(/^-/, '')) ?? tb.columns[0];
  const collator = new Intl.Collator(lang === 'ru' ? 'ru-RU' : 'en-GB', { numeric: true });
  const keyed = rows.map((r, i) => ({ r, i, v: col.value(r, lang) }));
  keyed.sort((a, b) => {
    if (a.v === null || a.v === '' || b.v === null || b.v === '') return (a.v === null || a.v === '' ? 1 : 0) - (b.v === null || b.v === '' ? 1 : 0) || a.i - b.i;
    const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : collator.compare(String(a.v), String(b.v));
    return (desc ? -c : c) || a.i - b.i;
  });
  return keyed.map((k) => k.r);
}

/** Only the parameters that differ from their defaults, so links stay short. */
export type SortState = { sorts: Record<string, string>; extra: Record<string, string>; /** The page the sort links go to (default the Reports page). */ path?: string };

/** The page URL with this table sorted by `key` and everything else kept as it is. */
export function sortHref(tb: Table<never>, state: SortState, key: string): string {
  const current = state.sorts[tb.param] ?? tb.defaultSort;
  const q = new URLSearchParams({ ...state.extra, ...state.sorts, [tb.param]: current === key ? `-${key}` : key });
  return `${state.path ?? '/admin/reports'}?${q.toString()}#${tb.id}`;
}

export function renderTable<R>(tb: Table<R>, rows: R[], lang: Lang, state: SortState): Html {
  const current = state.sorts[tb.param] ?? tb.defaultSort;
  const head = tb.columns.map((c) => {
    const dir = current === c.key ? 'ascending' : current === `-${c.key}` ? 'descending' : null;
    const arrow = dir === 'ascending' ? ' ▲' : dir === 'descending' ? ' ▼' : '';
    return html`<th scope="col"${attr('class', c.num ? 'num' : null)}${attr('aria-sort', dir)}><a href="${sortHref(tb as Table<never>, state, c.key)}">${c.label(lang)}${arrow}</a></th>`;
  });
  const body = rows.map((r) => html`<tr>${tb.columns.map((c) => {
    const v = c.show ? c.show(r, lang) : (c.value(r, lang) ?? '—');
    return c.rowHeader ? html`<th scope="row">${v}</th>` : html`<td${attr('class', c.num ? 'num' : null)}>${v}</td>`;
  })}</tr>`);
  return html`<div class="table-wrap"><table class="data" id="${tb.id}" data-sort="${current}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}
