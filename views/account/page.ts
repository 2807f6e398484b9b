import { html } from '../html';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import { displayName } from '../names';
import { t } from './strings';

export type PasswordFormState = { error?: string; done?: boolean; muted?: string[]; notifySaved?: boolean };

export function accountPage(ctx: ViewCtx, s: PasswordFormState) {
  const { lang } = ctx;
  return page(ctx, {
    title: t(lang, 'title'),
    body: html`<section class="card narrow"><h1>${t(lang, 'title')}</h1>
      <p>${ctx.user ? displayName(ctx.user) : ''}<br><span class="muted">${ctx.user?.email}</span></p>
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
        ${(['mark', 'absence', 'admission', 'dispute'] as const).map((k) => html`<label class="check"><input type="checkbox" name="notify" value="${k}"${s.muted?.includes(k) ? null : html` checked`}> ${t(lang, `kind_${k}`)}</label>`)}
        <button type="submit">${t(lang, 'saveNotify')}</button>
      </form></section>`,
  });
}
