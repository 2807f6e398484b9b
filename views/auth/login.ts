import { html, attr } from '../html';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import { t } from './strings';
import { retryWhen } from '../format';

export type LoginError = 'failed' | 'tooMany' | 'tooManyAddress';
/** retry: when a throttled login may be tried again, and the current instant (app.clock()). */
export type LoginForm = {
  email?: string; error?: LoginError; retry?: { at: number; now: number }; next?: string; demoAccounts?: { email: string; label: string }[];
};

function errorText(lang: ViewCtx['lang'], tz: string, error: LoginError, retry: LoginForm['retry']): string {
  return error === 'failed' || !retry ? t(lang, 'failed') : t(lang, error, retryWhen(retry.at, retry.now, lang, tz));
}

export function loginPage(ctx: ViewCtx, f: LoginForm) {
  const { lang } = ctx;
  return page(ctx, {
    title: t(lang, 'title'),
    body: html`<section class="card narrow login">
  <h1>${t(lang, 'title')}</h1>
  <p class="muted">${t(lang, 'intro')}</p>
  ${f.error ? html`<p class="error-box" role="alert" id="login-error">${errorText(lang, ctx.tz, f.error, f.retry)}</p>` : null}
  <form method="post" action="/login" class="stack">
    ${csrfField(ctx)}
    ${f.next ? html`<input type="hidden" name="next" value="${f.next}">` : null}
    <label>${t(lang, 'email')}<input type="email" name="email" autocomplete="username" required maxlength="254"${attr('value', f.email)}${attr('aria-describedby', f.error ? 'login-error' : null)} autofocus></label>
    <label>${t(lang, 'password')}<input type="password" name="password" autocomplete="current-password" required maxlength="200"></label>
    <button type="submit" class="primary">${t(lang, 'submit')}</button>
  </form>
  ${f.demoAccounts?.length
    ? html`<details class="demo" open><summary>${t(lang, 'demoTitle')}</summary>
        <p class="muted">${t(lang, 'demoHint', { password: 'demo-password' })}</p>
        <ul>${f.demoAccounts.map((a) => html`<li><code>${a.email}</code> — ${a.label}</li>`)}</ul></details>`
    : null}
</section>`,
  });
}
