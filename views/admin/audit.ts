import { html, attr } from '../html';
import type { ViewCtx } from '../context';
import { page } from '../layout/page';
import { formatDateTime } from '../format';
import { type AuditFilter, type AuditListRow } from '../../db/queries/audit-search';
import { t } from './strings';
import { describeChange } from './audit-describe';

export function auditPage(ctx: ViewCtx, f: AuditFilter, rows: AuditListRow[], more: boolean, chain?: string, liveSince?: number) {
  const { lang } = ctx;
  const qs = (over: Partial<AuditFilter>) => new URLSearchParams(Object.entries({ ...f, ...over }).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)])).toString();
  return page(ctx, {
    title: t(lang, 'auditTitle'),
    wide: true,
    live: liveSince === undefined ? undefined : { page: 'audit', since: liveSince },
    body: html`<h1>${t(lang, 'auditTitle')}</h1>
${chain ? html`<p class="${chain.startsWith('!') ? 'error-box' : 'ok-box'}" role="status" id="chain">${chain.replace(/^!/, '')}</p>` : null}
<form method="get" action="/admin/audit" class="inline-form filters">
  <label>${t(lang, 'fActor')}<input type="text" name="actor" maxlength="100"${attr('value', f.actor)}></label>
  <label>${t(lang, 'fStudent')}<input type="text" name="student" maxlength="100"${attr('value', f.student)}></label>
  <label>${t(lang, 'fCourse')}<input type="number" name="courseId" min="1"${attr('value', f.courseId)}></label>
  <label>${t(lang, 'fAction')}<input type="text" name="action" maxlength="60" list="actions"${attr('value', f.action)}></label>
  <datalist id="actions">${['mark', 'attendance', 'makeup', 'lesson', 'dispute', 'correction', 'term', 'guardian_link', 'login.failed', 'student.view', 'user'].map((a) => html`<option value="${a}">`)}</datalist>
  <label>${t(lang, 'fFrom')}<input type="date" name="from"${attr('value', f.from)}></label>
  <label>${t(lang, 'fTo')}<input type="date" name="to"${attr('value', f.to)}></label>
  <button type="submit" class="primary">${t(lang, 'search')}</button>
  <a class="button" href="/admin/audit.csv?${qs({ page: undefined })}">CSV</a>
  <a class="button" href="/admin/audit.xlsx?${qs({ page: undefined })}">XLSX</a>
  <a class="button" href="/admin/audit?${qs({ verify: 1 } as never)}">${t(lang, 'verify')}</a>
</form>
<div class="table-wrap"><table class="data" id="audit"><thead><tr><th scope="col">#</th><th scope="col">${t(lang, 'cWhen')}</th><th scope="col">${t(lang, 'cWho')}</th><th scope="col">${t(lang, 'cWhat')}</th><th scope="col">${t(lang, 'cStudent')}</th><th scope="col">${t(lang, 'cChange')}</th><th scope="col">${t(lang, 'reason')}</th></tr></thead>
<tbody>${rows.map((r) => auditRow(ctx, r))}</tbody></table></div>
<p>${f.page > 1 ? html`<a href="/admin/audit?${qs({ page: f.page - 1 })}">← ${t(lang, 'prev')}</a>` : null} ${more ? html`<a href="/admin/audit?${qs({ page: f.page + 1 })}">${t(lang, 'next')} →</a>` : null}</p>`,
  });
}

/** One row of the trail; also what the live feed prepends to an open audit page. */
export function auditRow(ctx: Pick<ViewCtx, 'lang' | 'tz'>, r: AuditListRow, live = false) {
  const { lang } = ctx;
  return html`<tr id="audit-${r.id}"${live ? html` data-prepend="audit"` : null}><td class="num">${r.id}</td><td>${formatDateTime(r.at, lang, ctx.tz)}</td><td>${r.actorName ?? '—'}<br><small class="muted">${r.actorRole ?? ''}${r.ip ? ` · ${r.ip}` : ''}</small></td>
<td><code>${r.action}</code>${r.subjectRu ? html`<br><small>${lang === 'ru' ? r.subjectRu : r.subjectEn}</small>` : null}</td><td>${r.studentName ?? ''}</td><td>${describeChange(r.before, r.after)}</td><td>${r.reason ?? ''}</td></tr>`;
}
