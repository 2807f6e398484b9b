import { html } from '../html';
import type { Lang } from '../../db/schema';
import { formatNumber } from '../format';
import { translateKey } from '../translate';
import type { CourseProgress } from '../progress/model';
import { t } from './strings';

export type RowSummary = Pick<CourseProgress, 'rating' | 'absences' | 'pendingMakeups' | 'admission' | 'scaleKind' | 'finalMark'>;

/** The row end of a student in the journal; replaced as a unit when any cell of the row changes. */
export function rowSummary(lang: Lang, studentId: number, s: RowSummary) {
  const reasons = s.admission.reasons.map((r) => translateKey(lang, r.code, r.params)).join('; ');
  return html`<td class="sum num" id="r-${studentId}-rating">${s.scaleKind === 'pass_fail' ? '—' : formatNumber(s.rating, lang)}</td>
<td class="sum num" id="r-${studentId}-abs">${s.absences.absent}${s.absences.excused ? html`<small> (${s.absences.excused} ${t(lang, 'excusedShort')})</small>` : null}</td>
<td class="sum num" id="r-${studentId}-rate">${formatNumber(s.absences.ratePercent, lang, 0)}</td>
<td class="sum num" id="r-${studentId}-mk">${s.pendingMakeups || ''}</td>
<td class="sum adm" id="r-${studentId}-adm">${s.admission.admitted
    ? html`<span class="badge ok">${t(lang, 'admitted')}</span>`
    : html`<span class="badge bad" title="${reasons}">${t(lang, 'notAdmitted')}</span><span class="why">${reasons}</span>`}${s.admission.overridden ? html` <small>${t(lang, 'overridden')}</small>` : null}</td>`;
}
