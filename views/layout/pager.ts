// Long lists in pages (issue 14, item 8): "41–80 of 1,234", links that keep the list's filters, and a page
// size a phone can scroll. The route says where a page's link goes; the pager only counts.
import { z } from 'zod';
import { html, type Html } from '../html';
import { defineStrings, type Lang } from '../i18n';
import { numberFormat } from '../i18n/plural';

export const PAGE_SIZES = [20, 40, 100] as const;
export const DEFAULT_PAGE_SIZE = 40;
const MAX_PAGE = 100_000;

export type Paging = { page: number; size: number };

/** `page` and `size` of a query; anything else (a typo, a hostile value) is the first page of 40. */
export const PagingQuery = z.object({
  page: z.coerce.number().int().min(1).max(MAX_PAGE).catch(1).default(1),
  size: z.coerce.number().int().refine((n) => (PAGE_SIZES as readonly number[]).includes(n)).catch(DEFAULT_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

export function pagingOf(query: unknown): Paging {
  return PagingQuery.parse(query && typeof query === 'object' ? query : {});
}

/** The page actually shown: a page past the end (the list shrank since the link was made) is the last one. */
export function shownPage(p: Paging, total: number): Paging {
  const last = Math.max(1, Math.ceil(total / p.size));
  return p.page > last ? { ...p, page: last } : p;
}

export const offsetOf = (p: Paging) => (p.page - 1) * p.size;

/** The query string of a list's filters and page, leaving out what is the default. */
export function listHref(path: string, filters: Record<string, string | number | null | undefined>, p: Paging): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  if (p.size !== DEFAULT_PAGE_SIZE) q.set('size', String(p.size));
  if (p.page > 1) q.set('page', String(p.page));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

const t = defineStrings(
  {
    range: '{from}–{to} of {total}',
    none: 'Nothing found.',
    pages: 'Pages',
    previous: '← Previous',
    next: 'Next →',
    pageN: 'Page {n}',
    perPage: 'Per page',
  },
  {
    range: '{from}–{to} из {total}',
    none: 'Ничего не найдено.',
    pages: 'Страницы',
    previous: '← Назад',
    next: 'Вперёд →',
    pageN: 'Страница {n}',
    perPage: 'На странице',
  },
);

const count = (n: number, lang: Lang) => numberFormat(lang, 0, true).format(n);

/** "41–80 of 1,234", or that nothing matched. */
export function rangeText(lang: Lang, p: Paging, total: number): string {
  if (total === 0) return t(lang, 'none');
  const from = (p.page - 1) * p.size + 1;
  return t(lang, 'range', { from: count(from, lang), to: count(Math.min(total, from + p.size - 1), lang), total: count(total, lang) });
}

/** The pages around this one, the first and the last, with gaps between (1 … 4 5 6 … 31). */
function pageNumbers(page: number, last: number): (number | null)[] {
  const want = new Set([1, last, page - 1, page, page + 1].filter((n) => n >= 1 && n <= last));
  const sorted = [...want].sort((a, b) => a - b);
  const out: (number | null)[] = [];
  for (const n of sorted) {
    if (out.length && n - (out[out.length - 1] as number) > 1) out.push(null);
    out.push(n);
  }
  return out;
}

/** The count and the page links of a list; `href(page)` keeps the list's filters. */
export function pager(lang: Lang, p: Paging, total: number, href: (page: number) => string, id: string): Html {
  const last = Math.max(1, Math.ceil(total / p.size));
  const links = last > 1 ? html`<ul class="pages">
${p.page > 1 ? html`<li><a href="${href(p.page - 1)}" rel="prev">${t(lang, 'previous')}</a></li>` : null}
${pageNumbers(p.page, last).map((n) => n === null ? html`<li aria-hidden="true">…</li>`
    : n === p.page ? html`<li><a href="${href(n)}" aria-current="page" aria-label="${t(lang, 'pageN', { n })}">${count(n, lang)}</a></li>`
      : html`<li><a href="${href(n)}" aria-label="${t(lang, 'pageN', { n })}">${count(n, lang)}</a></li>`)}
${p.page < last ? html`<li><a href="${href(p.page + 1)}" rel="next">${t(lang, 'next')}</a></li>` : null}
</ul>` : null;
  return html`<nav class="pager" id="${id}" aria-label="${t(lang, 'pages')}"><p class="pager-count" role="status">${rangeText(lang, p, total)}</p>${links}</nav>`;
}

/** A page-size choice for a list's filter form (the form's other fields keep the filters). */
export function pageSizeField(lang: Lang, p: Paging): Html {
  return html`<label>${t(lang, 'perPage')} <select name="size">${PAGE_SIZES.map((n) => html`<option value="${n}"${n === p.size ? html` selected` : null}>${n}</option>`)}</select></label>`;
}
