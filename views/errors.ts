import { html, type Html } from './html';
import type { ViewCtx } from './context';
import { page } from './layout/page';
import { t } from './layout/strings';

const TITLES = { 400: 'badRequestTitle', 401: 'forbiddenTitle', 403: 'forbiddenTitle', 404: 'notFoundTitle', 429: 'tooManyTitle', 500: 'errorTitle' } as const;
const TEXTS = { 400: 'badRequestTitle', 401: 'forbiddenText', 403: 'forbiddenText', 404: 'notFoundText', 429: 'tooManyTitle', 500: 'errorText' } as const;

type Known = keyof typeof TITLES;
const known = (s: number): Known => (s in TITLES ? (s as Known) : s >= 500 ? 500 : 400);

/** The small block that an htmx request swaps in, and that the full error page wraps. */
export function errorMessage(ctx: ViewCtx, status: number, message?: string): Html {
  const k = known(status);
  return html`<div class="error-box" role="alert"><strong>${t(ctx.lang, TITLES[k])}</strong> <span>${message ?? t(ctx.lang, TEXTS[k])}</span></div>`;
}

export function errorPage(ctx: ViewCtx, status: number, message?: string): Html {
  const k = known(status);
  return page(ctx, {
    title: t(ctx.lang, TITLES[k]),
    body: html`<section class="card narrow"><h1>${t(ctx.lang, TITLES[k])}</h1><p>${message ?? t(ctx.lang, TEXTS[k])}</p>
      <p><a href="/">${t(ctx.lang, 'backHome')}</a></p></section>`,
  });
}

export const csrfMessage = (ctx: ViewCtx) => t(ctx.lang, 'csrfText');
