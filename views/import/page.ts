import { html } from '../html';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import { translateKey } from '../translate';
import type { RowVerdict } from '../../server/import/roster';
import { LIMITS } from '../../server/import/refusal';
import { formatNumber } from '../format';
import { t } from './strings';
import { formTokenField } from '../layout/form-token';
import { csvDocument } from '../csv';

export function importPage(ctx: ViewCtx, o: { verdicts?: RowVerdict[]; error?: string; message?: string } = {}) {
  const { lang } = ctx;
  const v = o.verdicts;
  const count = (a: RowVerdict['action']) => v?.filter((x) => x.action === a).length ?? 0;
  return page(ctx, {
    title: t(lang, 'title'),
    scripts: ['/public/upload-progress.js'],
    body: html`<h1>${t(lang, 'title')}</h1><p class="muted">${t(lang, 'intro')} ${t(lang, 'limits', { rows: formatNumber(LIMITS.rows, lang, 0), mb: LIMITS.uploadBytes / 1024 / 1024 })}</p>
${o.error ? html`<p class="error-box" role="alert">${o.error}</p>` : null}
${o.message ? html`<p class="ok-box" role="status" id="import-done">${o.message}</p>` : null}
<form method="post" action="/admin/import" enctype="multipart/form-data" class="inline-form" data-upload-progress>${csrfField(ctx)}
  <label>${t(lang, 'file')} <input type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required></label>
  <button type="submit">${t(lang, 'preview')}</button>
  <progress id="import-progress" max="100" value="0" hidden aria-label="${t(lang, 'uploading')}"></progress><span class="upload-percent" aria-hidden="true"></span></form>
${v ? html`<p id="import-summary">${t(lang, 'summary', { create: count('create'), unchanged: count('unchanged'), skip: count('skip') })}</p>
<div class="table-wrap"><table class="data" id="import-preview"><thead><tr><th scope="col">${t(lang, 'line')}</th><th scope="col">surname</th><th scope="col">given_name</th><th scope="col">name_latin</th><th scope="col">email</th><th scope="col">group</th><th scope="col"></th><th scope="col">${t(lang, 'problems')}</th></tr></thead>
<tbody>${v.map((r) => html`<tr class="imp-${r.action}"><td class="num">${r.line}</td><td>${r.surname}</td><td>${r.givenName}</td><td>${r.nameLatin}</td><td>${r.email}</td><td>${r.group}</td>
<td><span class="badge ${r.action === 'create' ? 'ok' : r.action === 'skip' ? 'bad' : 'info'}">${t(lang, r.action)}</span></td><td>${problemText(lang, r)}</td></tr>`)}</tbody></table></div>
${count('skip') > 0 ? html`<p class="muted" id="import-fix-hint">${t(lang, 'fixHint')}</p>
<p><a id="import-skipped-csv" download="${t(lang, 'skip')}.csv" href="${skippedCsvHref(lang, v)}">${t(lang, 'skippedCsv', { m: count('skip') })}</a></p>` : null}
${count('create') > 0 ? html`<form method="post" action="/admin/import/apply" class="inline-form">${csrfField(ctx)}${formTokenField()}
  <input type="hidden" name="rows" value="${JSON.stringify(v.map(({ problems: _p, action: _a, ...r }) => r))}">
  <button type="submit" class="primary">${count('skip') > 0 ? t(lang, 'applyValid', { n: count('create'), m: count('skip') }) : t(lang, 'apply', { n: count('create') })}</button></form>` : null}` : null}`,
  });
}

function problemText(lang: ViewCtx['lang'], r: RowVerdict): string {
  return r.problems.map((p) => translateKey(lang, p.key, p.params)).join('; ');
}


/**
 * The skipped rows as the file they came from, plus the reason: fixed and uploaded again, they import.
 * A data: link (UTF-8 with a BOM, so Excel reads Cyrillic): nothing to store or to fetch again.
 */
function skippedCsvHref(lang: ViewCtx['lang'], v: RowVerdict[]): string {
  const head = ['line', 'surname', 'given_name', 'patronymic', 'email', 'group', 'record_book', 'lang', 'name_latin', t(lang, 'reasonColumn')];
  const lines = v.filter((r) => r.action === 'skip')
    .map((r) => [r.line, r.surname, r.givenName, r.patronymic, r.email, r.group, r.recordBook, r.lang, r.nameLatin, problemText(lang, r)]);
  return `data:text/csv;charset=utf-8,${encodeURIComponent(csvDocument([head, ...lines]))}`;
}
