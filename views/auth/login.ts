import { html, attr } from '../html';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import { t } from './strings';
import { formatTime } from '../format';

export type LoginError = 'failed' | 'tooMany' | 'tooManyAddress';
/** retry: when a throttled login may be tried again, and the current instant (app.clock()). */
export type LoginForm = {
  email?: string; error?: LoginError; retry?: { at: number; now: number }; next?: string; demoAccounts?: { email: string; label: string }[];
};

/** Rounded up to the whole minute, so that trying at the stated time always works. */
function errorText(lang: ViewCtx['lang'], tz: string, error: LoginError, retry: LoginForm['retry']): string {
  if (error === 'failed' || !retry) return t(lang, 'failed');
  const at = Math.ceil(retry.at / 60_000) * 60_000;
  return t(lang, error, { time: formatTime(at, lang, tz), minutes: Math.max(1, Math.round((at - retry.now) / 60_000)) });
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
