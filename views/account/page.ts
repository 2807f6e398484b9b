import { html } from '../html';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import { displayName } from '../names';
import { t } from './strings';
import { mailSection, type MailSection } from '../mail/pages';

export type PasswordFormState = { error?: string; done?: boolean; muted?: string[]; notifySaved?: boolean; tzSaved?: boolean; tzError?: string; universityTz?: string; mail?: MailSection };

/** The zones offered in the list (the runtime's canonical IANA names, UTC included). */
export const TIME_ZONES: readonly string[] = [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])];

/**
 * A zone is accepted when the runtime can format in it: browsers report current names (Asia/Kolkata,
 * Europe/Kyiv) where the runtime's list may hold older aliases (Asia/Calcutta), and both mean the same clock.
 */
export function isTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+){0,2}$/.test(tz) || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function accountPage(ctx: ViewCtx, s: PasswordFormState) {
  const { lang } = ctx;
  return page(ctx, {
    title: t(lang, 'title'),
    body: html`<section class="card narrow"><h1>${t(lang, 'title')}</h1>
      <p>${ctx.user ? displayName(ctx.user, lang) : ''}<br><span class="muted">${ctx.user?.email}</span></p>
      <h2>${t(lang, 'changePassword')}</h2>
      ${s.error ? html`<p class="error-box" role="alert">${s.error}</p>` : null}
      ${s.done ? html`<p class="ok-box" role="status">${t(lang, 'changed')}</p>` : null}
      <form method="post" action="/account/password" class="stack">
        ${csrfField(ctx)}
        <label>${t(lang, 'current')}<input type="password" name="current" autocomplete="current-password" required maxlength="200"></label>
        <label>${t(lang, 'next')}<input type="password" name="next" autocomplete="new-password" required minlength="10" maxlength="200"></label>
        <label>${t(lang, 'repeat')}<input type="password" name="repeat" autocomplete="new-password" required minlength="10" maxlength="200"></label>
        <button type="submit" class="primary">${t(lang, 'save')}</button>
      </form>
      <h2 id="notifications">${t(lang, 'notifyTitle')}</h2>
      ${s.notifySaved ? html`<p class="ok-box" role="status">${t(lang, 'notifySaved')}</p>` : null}
      <form method="post" action="/account/notifications" class="stack">${csrfField(ctx)}
        <p class="muted">${t(lang, 'notifyIntro')}</p>
        ${(['mark', 'absence', 'admission', 'dispute', 'mobility'] as const).map((k) => html`<label class="check"><input type="checkbox" name="notify" value="${k}"${s.muted?.includes(k) ? null : html` checked`}> ${t(lang, `kind_${k}`)}</label>`)}
        <button type="submit">${t(lang, 'saveNotify')}</button>
      </form>
      ${s.mail ? mailSection(ctx, s.mail) : null}
      <h2 id="tz">${t(lang, 'tzTitle')}</h2>
      ${s.tzSaved ? html`<p class="ok-box" role="status">${t(lang, 'tzSaved', { tz: ctx.tz })}</p>` : null}
      ${s.tzError ? html`<p class="error-box" role="alert">${s.tzError}</p>` : null}
      <form method="post" action="/account/timezone" class="stack">${csrfField(ctx)}
        <p class="muted">${t(lang, 'tzIntro', { university: s.universityTz ?? '' })}</p>
        <label>${t(lang, 'tzLabel')}<select name="tz" id="tz-select">${(TIME_ZONES.includes(ctx.tz) ? TIME_ZONES : [ctx.tz, ...TIME_ZONES]).map((z) => html`<option${z === ctx.tz ? html` selected` : null}>${z}</option>`)}</select></label>
        <input type="hidden" name="back" value="/account?tz=saved#tz">
        <button type="submit">${t(lang, 'tzSave')}</button>
      </form></section>`,
  });
}
