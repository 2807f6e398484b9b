import { html } from '../html';
import type { ViewCtx } from '../context';
import { page } from '../layout/page';
import { formatDay, formatNumber } from '../format';
import { translateKey } from '../translate';
import type { FacultyOverview } from '../../db/queries/admin-home';
import type { CompletenessRow } from '../../db/queries/reports';
import { t } from './strings';

export type AtRisk = { studentId: number; name: string; groupName: string; subject: string; reasons: { code: string; params: Record<string, string | number> }[] };

export function reportsPage(ctx: ViewCtx, atRisk: AtRisk[], faculties: FacultyOverview[], missing: CompletenessRow[], days: number, sort: string) {
  const { lang } = ctx;
  return page(ctx, {
    title: t(lang, 'reportsTitle'),
    body: html`<h1>${t(lang, 'reportsTitle')}</h1>
<section class="card"><h2>${t(lang, 'atRisk')} <small class="muted">(${atRisk.length})</small></h2>
  <p><a class="button" href="/admin/reports.csv">CSV</a> · <a href="/admin/reports?sort=group">${t(lang, 'byGroup')}</a> · <a href="/admin/reports?sort=name">${t(lang, 'byName')}</a></p>
  <div class="table-wrap"><table class="data" id="at-risk" data-sort="${sort}"><thead><tr><th scope="col">${t(lang, 'student')}</th><th scope="col">${t(lang, 'group')}</th><th scope="col">${t(lang, 'subject')}</th><th scope="col">${t(lang, 'why')}</th></tr></thead>
  <tbody>${atRisk.map((r) => html`<tr><td><a href="/students/${r.studentId}">${r.name}</a></td><td>${r.groupName}</td><td>${r.subject}</td><td>${r.reasons.map((x) => translateKey(lang, x.code, x.params)).join('; ')}</td></tr>`)}</tbody></table></div>
</section>
<section class="card"><h2>${t(lang, 'attendanceByGroup')}</h2>
  <div class="table-wrap"><table class="data"><thead><tr><th scope="col">${t(lang, 'group')}</th><th scope="col" class="num">${t(lang, 'absentPct')}</th><th scope="col" class="num">${t(lang, 'withoutAttendance')}</th></tr></thead>
  <tbody>${faculties.flatMap((f) => f.groups).map((g) => html`<tr><th scope="row">${g.name}</th><td class="num">${formatNumber(g.absentPercent, lang)}</td><td class="num">${g.missing}</td></tr>`)}</tbody></table></div>
</section>
<section class="card"><h2>${t(lang, 'completeness', { days })}</h2>
  <div class="table-wrap"><table class="data" id="completeness"><thead><tr><th scope="col">${t(lang, 'teacher')}</th><th scope="col">${t(lang, 'department')}</th><th scope="col" class="num">${t(lang, 'withoutAttendance')}</th><th scope="col">${t(lang, 'oldest')}</th></tr></thead>
  <tbody>${missing.map((m) => html`<tr><td>${m.teacher}</td><td>${m.department}</td><td class="num">${m.missing}</td><td>${m.oldest ? formatDay(m.oldest, lang) : ''}</td></tr>`)}</tbody></table></div>
</section>`,
  });
}
