import { html } from '../html';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import { displayName } from '../../db/queries/users';
import { t } from './strings';

export type PasswordFormState = { error?: string; done?: boolean };

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
      </form></section>`,
  });
}
