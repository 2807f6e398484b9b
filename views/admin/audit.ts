import { html, attr } from '../html';
import type { ViewCtx } from '../context';
import { page } from '../layout/page';
import { formatDateTime } from '../format';
import { type AuditFilter, type AuditListRow } from '../../db/queries/audit-search';
import { t } from './strings';
import { t as ta } from '../audit/strings';
import { actionLabel, describeChange, roleLabel, NO_NAMES, type AuditNames } from '../audit/words';

/** A course the filter offers, by name ("Human Anatomy — 1101, 1102"), never by its number. */
export type CourseChoice = { id: number; subjectRu: string; subjectEn: string; groups: string };
export const ACTION_GROUPS = ['mark', 'attendance', 'makeup', 'lesson', 'dispute', 'correction', 'term', 'course', 'guardian_link',
  'membership', 'role', 'user', 'login.failed', 'student.view'] as const;

export type AuditPageData = { filter: AuditFilter; rows: AuditListRow[]; more: boolean; courses: CourseChoice[]; names: AuditNames; chain?: string; liveSince?: number };

export function auditPage(ctx: ViewCtx, d: AuditPageData) {
  const { filter: f, rows, more, chain, liveSince } = d;
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
  <label>${t(lang, 'fCourse')}<select name="courseId"><option value="">${ta(lang, 'anyCourse')}</option>
    ${d.courses.map((c) => html`<option value="${c.id}"${attr('selected', f.courseId === c.id ? '' : null)}>${lang === 'ru' ? c.subjectRu : c.subjectEn} — ${c.groups}</option>`)}</select></label>
  <label>${t(lang, 'fAction')}<select name="action"><option value="">${ta(lang, 'anyAction')}</option>
    ${ACTION_GROUPS.map((g) => html`<option value="${g}"${attr('selected', f.action === g ? '' : null)}>${ta(lang, `g.${g}`)}</option>`)}
    ${f.action && !(ACTION_GROUPS as readonly string[]).includes(f.action) ? html`<option value="${f.action}" selected>${actionLabel(lang, f.action)}</option>` : null}</select></label>
  <label>${t(lang, 'fFrom')}<input type="date" name="from"${attr('value', f.from)}></label>
  <label>${t(lang, 'fTo')}<input type="date" name="to"${attr('value', f.to)}></label>
  <button type="submit" class="primary">${t(lang, 'search')}</button>
  <a class="button" href="/admin/audit.csv?${qs({ page: undefined })}">CSV</a>
  <a class="button" href="/admin/audit.xlsx?${qs({ page: undefined })}">XLSX</a>
  <a class="button" href="/admin/audit?${qs({ verify: 1 } as never)}">${t(lang, 'verify')}</a>
</form>
<div class="table-wrap"><table class="data" id="audit"><thead><tr><th scope="col">#</th><th scope="col">${t(lang, 'cWhen')}</th><th scope="col">${t(lang, 'cWho')}</th><th scope="col">${t(lang, 'cWhat')}</th><th scope="col">${t(lang, 'cStudent')}</th><th scope="col">${t(lang, 'cChange')}</th><th scope="col">${t(lang, 'reason')}</th></tr></thead>
<tbody>${rows.map((r) => auditRow(ctx, r, d.names))}</tbody></table></div>
<p>${f.page > 1 ? html`<a href="/admin/audit?${qs({ page: f.page - 1 })}">← ${t(lang, 'prev')}</a>` : null} ${more ? html`<a href="/admin/audit?${qs({ page: f.page + 1 })}">${t(lang, 'next')} →</a>` : null}</p>`,
  });
}

/** One row of the trail; also what the live feed prepends to an open audit page. */
export function auditRow(ctx: Pick<ViewCtx, 'lang' | 'tz'>, r: AuditListRow, names: AuditNames = NO_NAMES, live = false) {
  const { lang } = ctx;
  return html`<tr id="audit-${r.id}"${live ? html` data-prepend="audit"` : null}><td class="num">${r.id}</td><td>${formatDateTime(r.at, lang, ctx.tz)}</td><td>${r.actorName ?? '—'}<br><small class="muted">${roleLabel(lang, r.actorRole)}${r.ip ? ` · ${r.ip}` : ''}</small></td>
<td>${actionLabel(lang, r.action)}${r.subjectRu ? html`<br><small>${lang === 'ru' ? r.subjectRu : r.subjectEn}</small>` : null}</td><td>${r.studentName ?? ''}</td><td>${describeChange(lang, ctx.tz, r, names)}</td><td>${r.reason ?? ''}</td></tr>`;
}
