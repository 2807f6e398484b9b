import { formTokenField } from '../layout/form-token';
import { html, attr } from '../html';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import { formatDateTime, dateInZone, formatDay } from '../format';
import { displayName } from '../names';
import type { GuardianLink, GuardianView } from '../../db/queries/guardians';
import { t } from './strings';
import type { Recipient } from '../../db/queries/mail';
import { mailState, mailStateBadge } from '../mail/pages';

export function guardiansPage(ctx: ViewCtx, studentId: number, links: GuardianLink[], views: GuardianView[], o: { code?: string; message?: string; error?: string },
  mail: Map<number, Recipient> | null = null) {
  const { lang } = ctx;
  const day = (ms: number) => formatDay(dateInZone(ms, ctx.tz), lang);
  return page(ctx, {
    title: t(lang, 'title'),
    body: html`<h1>${t(lang, 'title')}</h1><p class="muted">${t(lang, 'intro')}</p>
${o.code ? html`<p class="ok-box" role="status" id="pairing-code">${t(lang, 'codeCreated', { code: o.code })}</p>` : null}
${o.message ? html`<p class="ok-box" role="status">${o.message}</p>` : null}
${o.error ? html`<p class="error-box" role="alert">${o.error}</p>` : null}
<section class="card"><h2>${t(lang, 'links')}</h2>
${links.length === 0 ? html`<p class="muted">${t(lang, 'noLinks')}</p>` : html`<ul class="list-plain">${links.map((l) => html`<li class="tile" id="link-${l.id}">
  <div><b>${displayName(l, lang)}</b> <small class="muted">${l.email}</small>${mail ? html` · ${mailStateBadge(ctx, mailState(mail.get(l.guardianId)))}` : null}</div>
  <div>${t(lang, 'scope')}: ${t(lang, l.scope === 'full' ? 'scopeFull' : 'scopeAttendance')} · ${t(lang, 'since', { date: day(l.consentedAt) })} · ${t(lang, l.consent === 'pairing_code' ? 'consentCode' : 'consentDean')}${l.consentNote ? html` (${l.consentNote})` : null}</div>
  ${l.revokedAt ? html`<div class="muted">${t(lang, 'revoked', { date: day(l.revokedAt) })}</div>` : html`<div class="inline-form">
    <form method="post" action="/students/${studentId}/guardians/${l.id}" class="inline-form">${csrfField(ctx)}${formTokenField()}
      <select name="scope" aria-label="${t(lang, 'scope')}"><option value="full"${attr('selected', l.scope === 'full' ? 'selected' : null)}>${t(lang, 'scopeFull')}</option><option value="attendance"${attr('selected', l.scope === 'attendance' ? 'selected' : null)}>${t(lang, 'scopeAttendance')}</option></select>
      <button type="submit">${t(lang, 'changeScope')}</button></form>
    <form method="post" action="/students/${studentId}/guardians/${l.id}/revoke" class="inline-form">${csrfField(ctx)}${formTokenField()}<button type="submit">${t(lang, 'revoke')}</button></form>
  </div>`}
</li>`)}</ul>`}
</section>
<section class="card"><h2>${t(lang, 'newCode')}</h2><p class="muted">${t(lang, 'newCodeHint')}</p>
  <form method="post" action="/students/${studentId}/guardians/codes" class="inline-form">${csrfField(ctx)}${formTokenField()}
    <select name="scope" aria-label="${t(lang, 'scope')}"><option value="full">${t(lang, 'scopeFull')}</option><option value="attendance">${t(lang, 'scopeAttendance')}</option></select>
    <button type="submit" class="primary">${t(lang, 'create')}</button></form>
</section>
<section class="card"><h2>${t(lang, 'views')}</h2>
${views.length === 0 ? html`<p class="muted">${t(lang, 'noViews')}</p>` : html`<ul class="changes">${views.map((v) => html`<li><time>${formatDateTime(v.at, lang, ctx.tz)}</time> · ${displayName(v, lang)} <small class="muted">(${t(lang, v.actorRole === 'admin' ? 'roleAdmin' : 'roleGuardian')})</small></li>`)}</ul>`}
</section>`,
  });
}

export function linkPage(ctx: ViewCtx, o: { error?: string }) {
  const { lang } = ctx;
  return page(ctx, {
    title: t(lang, 'linkTitle'),
    body: html`<section class="card narrow"><h1>${t(lang, 'linkTitle')}</h1><p class="muted">${t(lang, 'linkIntro')}</p>
${o.error ? html`<p class="error-box" role="alert">${o.error}</p>` : null}
<form method="post" action="/guardian/link" class="stack">${csrfField(ctx)}${formTokenField()}
  <label>${t(lang, 'code')}<input type="text" name="code" required maxlength="20" autocomplete="one-time-code" autocapitalize="characters"></label>
  <button type="submit" class="primary">${t(lang, 'link')}</button></form></section>`,
  });
}
