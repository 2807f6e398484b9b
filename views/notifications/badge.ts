import { html } from '../html';

/**
 * The unread count on the header's bell. Always present (hidden at zero) so a live push can replace
 * it by id; the page and the push render it here.
 */
export function unreadBadge(n: number) {
  return html`<span class="count" id="unread"${n ? null : html` hidden`}>${n}</span>`;
}
