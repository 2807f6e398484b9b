import { html, type Html } from '../html';

/** What a form's answer says above the page: done (with a one-time secret to hand over), or why not. */
export type Notice = { message?: string; error?: string; link?: string };

export function notice(o: Notice, id?: string): Html {
  return html`${o.message ? html`<p class="ok-box" role="status"${id ? html` id="${id}"` : null}>${o.message}${o.link ? html` <code class="secret">${o.link}</code>` : null}</p>` : null}${o.error ? html`<p class="error-box" role="alert">${o.error}</p>` : null}`;
}
