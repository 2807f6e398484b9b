import { html } from '../html';
import type { ViewCtx } from '../context';
import type { FacultyOverview } from '../../db/queries/admin-home';
import { formatNumber } from '../format';
import { t } from './strings';

export function adminOverview(ctx: ViewCtx, faculties: FacultyOverview[]) {
  const { lang } = ctx;
  return html`<section aria-labelledby="fac-h"><h2 id="fac-h">${t(lang, 'facultiesTitle')}</h2>
  ${faculties.map((f) => html`<article class="card">
    <h3>${lang === 'ru' ? f.nameRu : f.nameEn}</h3>
    <div class="table-wrap"><table class="data">
      <thead><tr><th scope="col">${t(lang, 'colGroup')}</th><th scope="col">${t(lang, 'colYear')}</th>
        <th scope="col" class="num">${t(lang, 'students')}</th><th scope="col" class="num">${t(lang, 'colAbsences')}</th>
        <th scope="col" class="num">${t(lang, 'colMissing')}</th><th scope="col" class="no-print">${t(lang, 'colPrint')}</th></tr></thead>
      <tbody>${f.groups.map((g) => html`<tr><th scope="row"><a href="/groups/${g.id}/journal">${g.name}</a></th><td>${t(lang, 'yearN', { n: g.year })}, ${t(lang, 'teachingIn', { lang: t(lang, g.language === 'ru' ? 'langRu' : 'langEn') })}</td>
        <td class="num">${g.students}</td><td class="num">${formatNumber(g.absentPercent, lang)}</td>
        <td class="num">${g.missing > 0 ? html`<span class="badge warn">${g.missing}</span>` : '0'}</td>
        <td class="no-print"><a href="/groups/${g.id}/journal">${t(lang, 'printJournal')}<span class="sr-only">: ${g.name}</span></a></td></tr>`)}</tbody>
    </table></div>
  </article>`)}
</section>`;
}
