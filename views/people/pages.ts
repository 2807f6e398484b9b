import { html, attr } from '../html';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import { displayName } from '../names';
import type { Person } from '../../db/queries/people';
import { t } from './strings';
import { t as tp } from './person-strings';

export function peoplePage(ctx: ViewCtx, q: string, people: (Person & { canManage: boolean })[], o: { message?: string; error?: string } = {}) {
  const { lang } = ctx;
  return page(ctx, {
    title: t(lang, 'title'),
    body: html`<h1>${t(lang, 'title')}</h1>
${o.message ? html`<p class="ok-box" role="status" id="people-message">${o.message}</p>` : null}
${o.error ? html`<p class="error-box" role="alert">${o.error}</p>` : null}
<p><a class="button primary" href="/admin/people/new" id="new-person-link">${tp(lang, 'newPerson')}</a></p>
<form method="get" action="/admin/people" class="inline-form"><label>${t(lang, 'search')} <input type="search" name="q" maxlength="100"${attr('value', q)}></label><button type="submit">${t(lang, 'find')}</button></form>
<div class="table-wrap"><table class="data"><tbody>${people.map((p) => html`<tr id="person-${p.id}"><td><a href="/admin/people/${p.id}"><b>${displayName(p)}</b></a><br><small class="muted">${p.email}</small></td><td>${(p.roles ?? '').split(',').filter(Boolean).map((r) => tp(lang, `role_${r}` as 'role_student')).join(', ')}${p.groupName ? html` · ${p.groupName}` : null}${p.disabled ? html` <span class="badge bad">${t(lang, 'disabled')}</span>` : null}</td>
<td>${p.canManage ? html`<form method="post" action="/admin/people/${p.id}/${p.disabled ? 'enable' : 'disable'}" class="inline-form">${csrfField(ctx)}<input type="text" name="reason" required minlength="3" maxlength="300" placeholder="${t(lang, 'reason')}" aria-label="${t(lang, 'reason')}"><button type="submit">${t(lang, p.disabled ? 'enable' : 'disable')}</button></form>
<form method="post" action="/admin/people/${p.id}/reset" class="inline-form">${csrfField(ctx)}<button type="submit">${t(lang, 'resetLink')}</button></form>` : null}</td></tr>`)}</tbody></table></div>`,
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
