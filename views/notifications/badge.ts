import { html } from '../html';
import type { Lang } from '../../db/schema';
import { t } from './strings';

/**
 * The unread count on the header's bell. Always present (empty at zero) so a live push can replace it by
 * id; the page and the push render it here. The words a screen reader says ("1 unread notification")
 * live inside it, so the bell's spoken name changes with the number drawn.
 */
export function unreadBadge(n: number, lang: Lang) {
  return html`<span id="unread" class="unread-badge">${n
    ? html`<span class="count" aria-hidden="true">${n}</span> <span class="sr-only">${t(lang, 'badge', { n })}</span>`
    : null}</span>`;
}

/** A bell drawn inline (no emoji font needed, no request), with its word beside it. */
export function bellIcon() {
  return html`<svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"/></svg>`;
}
