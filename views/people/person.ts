import { formTokenField } from '../layout/form-token';
import { html, attr, type Html } from '../html';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import { formatDay } from '../format';
import { displayName, otherName } from '../names';
import type { PersonDetails, RoleRow, MembershipRow, Choice, NewPerson } from '../../db/queries/admin-people';
import type { GuardianLink } from '../../db/queries/guardians';
import type { Lang } from '../../db/schema';
import { t } from './person-strings';
import { notice, type Notice } from '../layout/notice';

export type Choices = { groups: Choice[]; departments: Choice[]; faculties: Choice[]; canGrantAdmin: boolean };
export type PersonCard = {
  person: PersonDetails; roles: RoleRow[]; memberships: MembershipRow[];
  links: GuardianLink[]; children: { id: number; surname: string; givenName: string; patronymic: string | null; scope: string }[];
  /** False for an account the admin only sees (server/policy/person.ts): the card then offers no change. */
  canManage: boolean;
};

const label = (lang: Lang, c: Choice) => (lang === 'ru' ? c.label : c.labelEn);
const options = (lang: Lang, list: Choice[], selected?: number | null) => list.map((c) => html`<option value="${c.id}"${attr('selected', c.id === selected ? 'selected' : null)}>${label(lang, c)}</option>`);


/** The personal fields; the same inputs serve the new-person form and the card. */
function detailFields(ctx: ViewCtx, p: Partial<NewPerson>): Html {
  const { lang } = ctx;
  const input = (name: keyof NewPerson, type = 'text', required = false, max = 100) =>
    html`<label>${t(lang, name as 'email')}<input type="${type}" name="${name}" maxlength="${max}"${attr('value', (p[name] as string | null | undefined) ?? '')}${required ? html` required` : null}></label>`;
  return html`${input('email', 'email', true, 200)}${input('surname', 'text', true)}${input('givenName', 'text', true)}${input('patronymic')}
${input('nameLatin')}<small class="muted">${t(lang, 'nameLatinHint')}</small>${input('recordBook', 'text', false, 30)}${input('country', 'text', false, 60)}
<label>${t(lang, 'language')}<select name="lang"><option value="ru"${attr('selected', p.lang !== 'en' ? 'selected' : null)}>Русский</option><option value="en"${attr('selected', p.lang === 'en' ? 'selected' : null)}>English</option></select></label>`;
}

export function newPersonPage(ctx: ViewCtx, c: Choices, draft: Partial<NewPerson> & { role?: string; groupId?: number; departmentId?: number; facultyId?: number; fromDate?: string }, o: Notice = {}) {
  const { lang } = ctx;
  return page(ctx, {
    title: t(lang, 'newPerson'),
    body: html`<p><a href="/admin/people">← ${t(lang, 'backToList')}</a></p><h1>${t(lang, 'newPerson')}</h1>${notice(o, 'people-message')}
<form method="post" action="/admin/people" class="card stack" id="new-person">${csrfField(ctx)}${formTokenField()}
${detailFields(ctx, draft)}
<fieldset class="stack"><legend>${t(lang, 'firstRole')}</legend>
  <label><input type="radio" name="role" value="student"${attr('checked', draft.role !== 'teacher' && draft.role !== 'admin' ? 'checked' : null)}> ${t(lang, 'role_student')}</label>
  <label>${t(lang, 'group')}<select name="groupId"><option value=""></option>${options(lang, c.groups, draft.groupId)}</select></label>
  <label>${t(lang, 'fromDate')}<input type="date" name="fromDate"${attr('value', draft.fromDate ?? ctx.today)}></label>
  <label><input type="radio" name="role" value="teacher"${attr('checked', draft.role === 'teacher' ? 'checked' : null)}> ${t(lang, 'role_teacher')}</label>
  <label>${t(lang, 'department')}<select name="departmentId"><option value=""></option>${options(lang, c.departments, draft.departmentId)}</select></label>
  ${c.canGrantAdmin ? html`<label><input type="radio" name="role" value="admin"${attr('checked', draft.role === 'admin' ? 'checked' : null)}> ${t(lang, 'role_admin')}</label>
  <label>${t(lang, 'faculty')}<select name="facultyId"><option value="">${t(lang, 'university')}</option>${options(lang, c.faculties, draft.facultyId)}</select></label>` : null}
</fieldset>
<p class="muted">${t(lang, 'initialPassword')}</p>
<button type="submit" class="primary">${t(lang, 'create')}</button></form>`,
  });
}

export function personPage(ctx: ViewCtx, card: PersonCard, c: Choices, o: Notice = {}, draft?: Partial<NewPerson>) {
  const { lang } = ctx;
  const p = card.person;
  const base = `/admin/people/${p.id}`;
  const isStudent = card.roles.some((r) => r.role === 'student') || card.memberships.length > 0;
  const m = card.canManage;
  const scopeOf = (r: RoleRow) => (r.departmentId ? (lang === 'ru' ? r.departmentRu : r.departmentEn) : r.role === 'admin' ? (r.facultyId ? (lang === 'ru' ? r.facultyRu : r.facultyEn) : t(lang, 'university')) : '');
  return page(ctx, {
    title: displayName(p, lang),
    body: html`<p><a href="/admin/people">← ${t(lang, 'backToList')}</a></p>
<h1 id="person-${p.id}">${displayName(p, lang)}${otherName(p, lang) ? html` <small class="muted other-name">${otherName(p, lang)}</small>` : null}${p.disabled ? html` <span class="badge bad">${t(lang, 'disabled')}</span>` : null}</h1>${notice(o, 'people-message')}
${isStudent ? html`<p><a class="button" href="/students/${p.id}" id="student-record">${t(lang, 'studentRecord')}</a></p>` : null}
<section class="card"><h2>${t(lang, 'details')}</h2>
${m ? html`<form method="post" action="${base}" class="stack" id="person-details">${csrfField(ctx)}<input type="hidden" name="version" value="${p.version}">
${detailFields(ctx, draft ?? p)}
<button type="submit" class="primary">${t(lang, 'saveDetails')}</button></form>
<div class="inline-form">
<form method="post" action="${base}/${p.disabled ? 'enable' : 'disable'}" class="inline-form" id="person-access">${csrfField(ctx)}${formTokenField()}<input type="hidden" name="from" value="card"><input type="text" name="reason" required minlength="3" maxlength="300" placeholder="${t(lang, 'reason')}" aria-label="${t(lang, 'reason')}"><button type="submit">${t(lang, p.disabled ? 'enable' : 'disable')}</button></form>
<form method="post" action="${base}/reset" class="inline-form">${csrfField(ctx)}${formTokenField()}<input type="hidden" name="from" value="card"><button type="submit">${t(lang, 'resetLink')}</button></form>
</div>` : html`<p class="muted" id="person-read-only">${t(lang, 'readOnly')}</p><fieldset disabled class="stack">${detailFields(ctx, p)}</fieldset>`}</section>
<section class="card"><h2>${t(lang, 'roles')}</h2>
${card.roles.length === 0 ? html`<p class="muted">${t(lang, 'noRoles')}</p>` : html`<ul class="list-plain">${card.roles.map((r) => html`<li class="tile" id="role-${r.id}"><b>${t(lang, `role_${r.role}`)}</b> ${scopeOf(r)}
  ${m ? html`<form method="post" action="${base}/roles/${r.id}/revoke" class="inline-form">${csrfField(ctx)}${formTokenField()}<input type="text" name="reason" required minlength="3" maxlength="300" placeholder="${t(lang, 'reason')}" aria-label="${t(lang, 'reason')}"><button type="submit">${t(lang, 'revoke')}</button></form>` : null}</li>`)}</ul>`}
${m ? html`<form method="post" action="${base}/roles" class="inline-form" id="grant-role">${csrfField(ctx)}${formTokenField()}
  <label>${t(lang, 'addRole')}<select name="role"><option value="teacher">${t(lang, 'role_teacher')}</option>${c.canGrantAdmin ? html`<option value="admin">${t(lang, 'role_admin')}</option>` : null}</select></label>
  <label>${t(lang, 'department')}<select name="departmentId"><option value=""></option>${options(lang, c.departments)}</select></label>
  ${c.canGrantAdmin ? html`<label>${t(lang, 'faculty')}<select name="facultyId"><option value="">${t(lang, 'university')}</option>${options(lang, c.faculties)}</select></label>` : null}
  <button type="submit">${t(lang, 'grant')}</button></form>` : null}</section>
<section class="card"><h2>${t(lang, 'groupHistory')}</h2>
${card.memberships.length ? html`<div class="table-wrap"><table class="data" id="memberships"><thead><tr><th scope="col">${t(lang, 'group')}</th><th scope="col">${t(lang, 'fromDate')}</th><th scope="col">${t(lang, 'toDate')}</th></tr></thead>
<tbody>${card.memberships.map((m) => html`<tr><th scope="row">${m.groupName}</th><td>${formatDay(m.fromDate, lang)}</td><td>${m.toDate ? formatDay(m.toDate, lang) : html`<span class="badge ok">${t(lang, 'current')}</span>`}</td></tr>`)}</tbody></table></div>` : null}
${m ? html`<form method="post" action="${base}/group" class="inline-form" id="move-student">${csrfField(ctx)}${formTokenField()}
  <label>${t(lang, 'transfer')}<select name="groupId">${options(lang, c.groups)}<option value="">${t(lang, 'leaveGroup')}</option></select></label>
  <label>${t(lang, 'fromDate')}<input type="date" name="fromDate" required${attr('value', ctx.today)}></label>
  <input type="text" name="reason" required minlength="3" maxlength="300" placeholder="${t(lang, 'reason')}" aria-label="${t(lang, 'reason')}">
  <button type="submit">${t(lang, 'move')}</button></form>` : null}</section>
${isStudent ? html`<section class="card"><h2>${t(lang, 'guardians')}</h2>
<ul class="list-plain">${card.links.filter((l) => !l.revokedAt).map((l) => html`<li id="link-${l.id}">${displayName(l, lang)} <small class="muted">${l.email}</small> · ${t(lang, 'scope')}: ${t(lang, l.scope === 'full' ? 'scope_full' : 'scope_attendance')}</li>`)}</ul>
<p><a href="/students/${p.id}/guardians">${t(lang, 'manageLinks')}</a></p>
${m ? html`<form method="post" action="${base}/guardians" class="stack" id="record-guardian">${csrfField(ctx)}${formTokenField()}<h3>${t(lang, 'recordLink')}</h3>
  <label>${t(lang, 'email')}<input type="email" name="email" required maxlength="200"></label>
  <label>${t(lang, 'surname')}<input type="text" name="surname" maxlength="100"></label>
  <label>${t(lang, 'givenName')}<input type="text" name="givenName" maxlength="100"></label>
  <label>${t(lang, 'scope')}<select name="scope"><option value="full">${t(lang, 'scope_full')}</option><option value="attendance">${t(lang, 'scope_attendance')}</option></select></label>
  <label>${t(lang, 'consentNote')}<input type="text" name="consentNote" required minlength="3" maxlength="300"></label>
  <button type="submit">${t(lang, 'record')}</button></form>` : null}</section>` : null}
${card.children.length ? html`<section class="card"><h2>${t(lang, 'children')}</h2><ul class="list-plain">${card.children.map((ch) => html`<li><a href="/students/${ch.id}">${displayName(ch, lang)}</a> · ${t(lang, ch.scope === 'full' ? 'scope_full' : 'scope_attendance')}</li>`)}</ul></section>` : null}`,
  });
}
