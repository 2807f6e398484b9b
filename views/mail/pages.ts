// The account page's e-mail section, and the pages the links in e-mail open (no login needed).
import { html, attr, type Html } from '../html';
import type { ViewCtx } from '../context';
import { page } from '../layout/page';
import { csrfField } from '../layout/page';
import type { Recipient } from '../../db/queries/mail';
import type { MailMode } from '../../db/schema';
import type { NotifyKind } from '../../db/queries/notify-settings';
import { t } from './page-strings';

const KINDS = ['mark', 'absence', 'admission', 'dispute', 'mobility'] as const;
const MODES = ['instant', 'daily', 'weekly', 'off'] as const;

export type MailState = 'confirmed' | 'waiting' | 'failing' | 'none';

export function mailState(r: Recipient | undefined): MailState {
  if (!r) return 'none';
  if (r.failingAt !== null) return 'failing';
  return r.confirmedAt !== null ? 'confirmed' : 'waiting';
}

export type MailSection = {
  enabled: boolean; address: string; recipient: Recipient | undefined; modes: Record<NotifyKind, MailMode>; saved?: 'modes' | 'link'; error?: string;
};

export function mailSection(ctx: ViewCtx, s: MailSection): Html {
  const { lang } = ctx;
  if (!s.enabled) return html`<h2 id="mail">${t(lang, 'sectionTitle')}</h2><p class="muted" id="mail-state">${t(lang, 'off')}</p>`;
  const r = s.recipient;
  const state = mailState(r);
  const address = r?.address ?? s.address;
  const line = state === 'failing' ? t(lang, 'failing', { address, reason: r?.failingReason ?? '' }) : t(lang, state, { address });
  return html`<h2 id="mail">${t(lang, 'sectionTitle')}</h2>
${s.saved ? html`<p class="ok-box" role="status">${t(lang, s.saved === 'modes' ? 'modesSaved' : 'linkSent')}</p>` : null}
${s.error ? html`<p class="error-box" role="alert">${s.error}</p>` : null}
<p id="mail-state" data-state="${state}"${state === 'failing' ? html` class="error-box"` : null}>${line}</p>
${state === 'confirmed' ? null : html`<form method="post" action="/account/mail/confirm" class="inline-form">${csrfField(ctx)}
  <button type="submit">${t(lang, state === 'none' ? 'askLink' : 'askAgain')}</button></form>`}
<form method="post" action="/account/mail" class="stack">${csrfField(ctx)}
  <p class="muted">${t(lang, 'modesIntro')}</p>
  ${KINDS.map((k) => html`<label>${t(lang, `kind_${k}`)}<select name="mode_${k}">${MODES.map((m) => html`<option value="${m}"${attr('selected', s.modes[k] === m ? 'selected' : null)}>${t(lang, `mode_${m}`)}</option>`)}</select></label>`)}
  <label>${t(lang, 'digestHour', { tz: ctx.tz })}<select name="digestHour">${Array.from({ length: 24 }, (_, h) => html`<option value="${h}"${attr('selected', (r?.digestHour ?? 19) === h ? 'selected' : null)}>${String(h).padStart(2, '0')}:00</option>`)}</select></label>
  <button type="submit">${t(lang, 'saveModes')}</button>
</form>`;
}

const kindWords = (ctx: ViewCtx, kinds: readonly string[]) => kinds.map((k) => t(ctx.lang, `kind_${k}` as 'kind_mark')).join(', ');

/** The unsubscribe link's page: a button, so that a link checker opening it changes nothing. */
export function unsubscribePage(ctx: ViewCtx, o: { action: string; kinds: readonly string[]; done?: boolean; bad?: boolean }) {
  const { lang } = ctx;
  return page(ctx, {
    title: t(lang, 'unsubTitle'),
    body: html`<section class="card narrow"><h1>${t(lang, 'unsubTitle')}</h1>
${o.bad ? html`<p class="error-box" role="alert" id="mail-link-bad">${t(lang, 'badLink')}</p>`
  : o.done ? html`<p class="ok-box" role="status" id="mail-unsubscribed">${t(lang, 'unsubDone', { kinds: kindWords(ctx, o.kinds) })}</p>`
  : html`<form method="post" action="${o.action}" class="stack"><p>${t(lang, 'unsubAsk', { kinds: kindWords(ctx, o.kinds) })}</p>
  <input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit" class="primary">${t(lang, 'unsubButton')}</button></form>`}
</section>`,
  });
}

export function confirmPage(ctx: ViewCtx, o: { action: string; address: string; done?: boolean; bad?: boolean | 'expired' }) {
  const { lang } = ctx;
  return page(ctx, {
    title: t(lang, 'confirmTitle'),
    body: html`<section class="card narrow"><h1>${t(lang, 'confirmTitle')}</h1>
${o.bad ? html`<p class="error-box" role="alert" id="mail-link-bad">${t(lang, o.bad === 'expired' ? 'expiredLink' : 'badLink')}</p>`
  : o.done ? html`<p class="ok-box" role="status" id="mail-confirmed">${t(lang, 'confirmDone', { address: o.address })}</p>`
  : html`<form method="post" action="${o.action}" class="stack"><p>${t(lang, 'confirmAsk', { address: o.address })}</p>
  <button type="submit" class="primary">${t(lang, 'confirmButton')}</button></form>`}
</section>`,
  });
}

export function mailStateBadge(ctx: ViewCtx, state: MailState): Html {
  return html`<small class="mail-state mail-${state}">${t(ctx.lang, `mailState_${state}`)}</small>`;
}
