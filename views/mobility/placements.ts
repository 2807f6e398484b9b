import { html } from '../html';
import type { Lang } from '../../db/schema';
import { formatDay } from '../format';
import type { Placement } from '../../db/queries/mobility-placements';
import { t } from './strings';

/** A student's placements, on their own and their guardians' pages: where, when, and that those lessons are excused. */
export function placementsCard(lang: Lang, placements: Placement[]) {
  if (placements.length === 0) return null;
  return html`<section class="card" id="placements"><h2>${t(lang, 'myPlacements')}</h2><ul class="list-plain">${placements.map((p) => {
    const at = t(lang, 'placementAt', { partner: lang === 'ru' ? p.partnerRu : p.partnerEn, from: formatDay(p.fromDate, lang), to: formatDay(p.toDate, lang), order: p.orderNumber });
    return p.cancelledAt !== null
      ? html`<li class="tile" id="placement-${p.id}"><s>${at}</s> — ${t(lang, 'cancelled')}</li>`
      : html`<li class="tile" id="placement-${p.id}">${at}<br><small class="muted">${t(lang, 'placementExcused')}</small></li>`;
  })}</ul></section>`;
}
