import { html, attr } from '../html';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import { displayName, otherName } from '../names';
import type { Person, PeopleFilter } from '../../db/queries/people';
import type { Choice } from '../../db/queries/admin-people';
import { ROLES, type Lang } from '../../db/schema';
import { formTokenField } from '../layout/form-token';
import { listHref, pager, pageSizeField, type Paging } from '../layout/pager';
import { t } from './strings';
import { t as tp } from './person-strings';

export type PeopleListView = {
  filter: PeopleFilter; paging: Paging; total: number; people: (Person & { canManage: boolean })[];
  faculties: Choice[]; groups: Choice[];
};

const filterParams = (f: PeopleFilter) => ({ q: f.q, role: f.role, faculty: f.facultyId, group: f.groupId });

function filterForm(lang: Lang, v: PeopleListView) {
  const f = v.filter;
  const option = (value: string | number, label: string, chosen: boolean) => html`<option value="${value}"${chosen ? html` selected` : null}>${label}</option>`;
  return html`<form method="get" action="/admin/people" class="list-filters" id="people-filters">
<label>${t(lang, 'search')} <input type="search" name="q" maxlength="100"${attr('value', f.q)}></label>
<label>${t(lang, 'role')} <select name="role">${option('', t(lang, 'anyRole'), f.role === null)}${ROLES.map((r) => option(r, tp(lang, `role_${r}`), f.role === r))}</select></label>
${v.faculties.length > 1 ? html`<label>${t(lang, 'faculty')} <select name="faculty">${option('', t(lang, 'anyFaculty'), f.facultyId === null)}${v.faculties.map((x) => option(x.id, lang === 'ru' ? x.label : x.labelEn, f.facultyId === x.id))}</select></label>` : null}
<label>${t(lang, 'group')} <select name="group">${option('', t(lang, 'anyGroup'), f.groupId === null)}${v.groups.map((x) => option(x.id, x.label, f.groupId === x.id))}</select></label>
${pageSizeField(lang, v.paging)}
<button type="submit">${t(lang, 'find')}</button></form>`;
}

export function peoplePage(ctx: ViewCtx, v: PeopleListView, o: { message?: string; error?: string } = {}) {
  const { lang } = ctx;
  const href = (page: number) => listHref('/admin/people', filterParams(v.filter), { ...v.paging, page });
  const nav = (id: string) => pager(lang, v.paging, v.total, href, id);
  return page(ctx, {
    title: t(lang, 'title'),
    body: html`<h1>${t(lang, 'title')}</h1>
${o.message ? html`<p class="ok-box" role="status" id="people-message">${o.message}</p>` : null}
${o.error ? html`<p class="error-box" role="alert">${o.error}</p>` : null}
<p><a class="button primary" href="/admin/people/new" id="new-person-link">${tp(lang, 'newPerson')}</a></p>
${filterForm(lang, v)}
${nav('people-pager')}
${v.people.length ? html`<div class="table-wrap"><table class="data people-list"><tbody>${v.people.map((p) => html`<tr id="person-${p.id}"><td><a href="/admin/people/${p.id}"><b>${displayName(p, lang)}</b></a>${otherName(p, lang) ? html` <span class="muted other-name">${otherName(p, lang)}</span>` : null}<br><small class="muted">${p.email}</small></td><td>${(p.roles ?? '').split(',').filter(Boolean).map((r) => tp(lang, `role_${r}` as 'role_student')).join(', ')}${p.groupName ? html` · ${p.groupName}` : null}${p.disabled ? html` <span class="badge bad">${t(lang, 'disabled')}</span>` : null}</td>
<td>${p.canManage ? html`<form method="post" action="/admin/people/${p.id}/${p.disabled ? 'enable' : 'disable'}" class="inline-form">${csrfField(ctx)}${formTokenField()}<input type="hidden" name="back" value="${href(v.paging.page)}"><input type="text" name="reason" required minlength="3" maxlength="300" placeholder="${t(lang, 'reason')}" aria-label="${t(lang, 'reason')}"><button type="submit">${t(lang, p.disabled ? 'enable' : 'disable')}</button></form>
<form method="post" action="/admin/people/${p.id}/reset" class="inline-form">${csrfField(ctx)}${formTokenField()}<button type="submit">${t(lang, 'resetLink')}</button></form>` : null}</td></tr>`)}</tbody></table></div>
${v.total > v.paging.size ? nav('people-pager-bottom') : null}` : null}`,
  });
}

export function resetPage(ctx: ViewCtx, token: string, o: { invalid?: boolean; error?: string }) {
  const { lang } = ctx;
  return page(ctx, {
    title: t(lang, 'resetTitle'),
    body: html`<section class="card narrow"><h1>${t(lang, 'resetTitle')}</h1>
${o.invalid ? html`<p class="error-box" role="alert">${t(lang, 'resetInvalid')}</p>` : html`
${o.error ? html`<p class="error-box" role="alert">${o.error}</p>` : null}
<form method="post" action="/reset/${token}" class="stack">${csrfField(ctx)}
  <label>${t(lang, 'newPassword')}<input type="password" name="next" autocomplete="new-password" required minlength="10" maxlength="200"></label>
  <label>${t(lang, 'repeat')}<input type="password" name="repeat" autocomplete="new-password" required minlength="10" maxlength="200"></label>
  <button type="submit" class="primary">${t(lang, 'save')}</button></form>`}</section>`,
  });
}
