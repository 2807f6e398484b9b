import { html, attr, type Html } from '../html';
import type { ViewCtx } from '../context';
import { t } from './strings';
import { t as tn } from '../notifications/strings';
import { unreadBadge, bellIcon } from '../notifications/badge';
import { navFor } from './nav';
import { displayName } from '../names';

/** htmx attributes must carry the page nonce (hx-csp gates every htmx element behind it). */
export function hxNonce(ctx: ViewCtx): Html {
  return attr('hx-nonce', ctx.nonce);
}

export function csrfField(ctx: ViewCtx): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
}

/** live: the page's topic for /live ('course:12', 'student:7', 'home') and the last audit id it shows. */
export type PageOptions = { title: string; body: Html; scripts?: string[]; wide?: boolean; live?: { page: string; since: number } };

export function page(ctx: ViewCtx, opts: PageOptions): Html {
  const { lang } = ctx;
  const other = lang === 'ru' ? 'en' : 'ru';
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${ctx.csrf}">
<meta name="htmx-config" content='{"extensions":"hx-csp,ws","includeIndicatorCSS":false}'>
<title>${opts.title} · ${t(lang, 'appName')}</title>
<link rel="stylesheet" href="/public/app.css">
<link rel="icon" href="/public/favicon.svg" type="image/svg+xml">
<script nonce="${ctx.nonce}" src="/vendor/htmx.min.js"></script>
<script nonce="${ctx.nonce}" src="/vendor/ext/hx-csp.min.js"></script>
<script nonce="${ctx.nonce}" src="/vendor/ext/hx-ws.min.js"></script>
<script nonce="${ctx.nonce}" src="/public/app.js" defer></script>
${(opts.scripts ?? []).map((s) => html`<script nonce="${ctx.nonce}" src="${s}" defer></script>`)}
${opts.live ? html`<script nonce="${ctx.nonce}" src="/public/live.js" defer></script>` : null}
${ctx.user ? html`<script nonce="${ctx.nonce}" src="/public/tz.js" defer></script>` : null}
</head>
<body${attr('class', opts.wide ? 'wide' : null)}>
<a class="skip" href="#main">${t(lang, 'skipToContent')}</a>
<header class="top">
  <a class="brand" href="/"><span class="logo" aria-hidden="true">З</span> <span class="brand-name">${t(lang, 'appName')}</span><span class="tagline"> · ${t(lang, 'tagline')}</span></a>
  ${ctx.user
    ? html`<nav aria-label="${t(lang, 'mainNav')}" class="nav">
        <a href="/"${attr('aria-current', ctx.path === '/' ? 'page' : null)}>${t(lang, 'home')}</a>
        ${navFor(ctx).map((n) => html`<a href="${n.href}"${attr('aria-current', ctx.path.startsWith(n.href) ? 'page' : null)}>${n.label[lang]}</a>`)}
      </nav>`
    : null}
  <div class="account">
    <form method="post" action="/lang" class="inline">
      ${csrfField(ctx)}<input type="hidden" name="lang" value="${other}"><input type="hidden" name="back" value="${ctx.here ?? ctx.path}">
      <button type="submit" class="link" lang="${other}" aria-label="${t(lang, 'language')}: ${t(lang, 'switchTo')}">${t(lang, 'switchTo')}</button>
    </form>
    ${ctx.user
      ? html`<a href="/notifications" class="bell">${bellIcon()}<span class="bell-label">${tn(lang, 'title')}</span>${unreadBadge(ctx.unread ?? 0, lang)}</a>
        <span class="who" title="${t(lang, 'signedInAs', { name: displayName(ctx.user, lang) })}">${ctx.user.nameLatin && lang === 'en' ? ctx.user.nameLatin : `${ctx.user.surname} ${ctx.user.givenName}`}</span>
        <form method="post" action="/logout" class="inline">${csrfField(ctx)}<button type="submit" class="link">${t(lang, 'logout')}</button></form>`
      : null}
  </div>
</header>
${ctx.user ? html`<form method="post" action="/account/timezone" class="tz-offer no-print" id="tz-offer" hidden data-tz="${ctx.tz}">
  ${csrfField(ctx)}<input type="hidden" name="tz" value=""><input type="hidden" name="back" value="${ctx.path}">
  <span>${t(lang, 'tzOffer')} <b data-tz-browser></b>. ${t(lang, 'tzOfferAsk')}</span>
  <button type="submit" class="primary">${t(lang, 'tzYes')}</button> <button type="button" data-tz-no>${t(lang, 'tzNo', { tz: ctx.tz })}</button>
</form>` : null}
<main id="main" tabindex="-1">
${opts.live ? html`<div id="live" hidden hx-ws:connect="/live?page=${opts.live.page}" data-since="${opts.live.since}"${hxNonce(ctx)}></div>` : null}
${ctx.repeated ? html`<p class="info-box" role="status" id="form-repeated">${t(lang, 'formRepeated')}</p>` : null}
${opts.body}
</main>
<footer class="foot"><small>${t(lang, 'timeZone', { tz: ctx.tz })}${ctx.user ? html` · <a href="/account#tz">${t(lang, 'tzChange')}</a>` : null}</small></footer>
</body>
</html>`;
}
