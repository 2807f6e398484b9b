import { html } from '../html';
import type { ViewCtx } from '../context';
import type { JournalData } from '../../db/queries/journal';
import type { RowSummary } from './row-summary';
import { page } from '../layout/page';
import { formatDay, formatNumber } from '../format';
import { displayName, statementName } from '../names';
import { t } from './strings';

/** The exam statement sheet (экзаменационная ведомость) of one group: print-ready, one A4 page. */
export function statementPage(ctx: ViewCtx, d: JournalData, groupName: string, facultyName: string, summaries: Map<number, RowSummary>, examMarks: Map<number, number>, groupJournalHref: string | null = null) {
  const { lang } = ctx;
  const c = d.course;
  const lecturer = c.teachers.find((x) => x.role === 'lecturer') ?? c.teachers[0];
  return page(ctx, {
    title: `${t(lang, 'statementTitle')} · ${groupName}`,
    body: html`<article class="statement">
<p class="no-print"><a href="/courses/${c.id}">← ${t(lang, 'title')}</a> · <span class="muted">${t(lang, 'printHint')}</span>${groupJournalHref ? html` · <a href="${groupJournalHref}">${t(lang, 'groupJournal')}</a>` : null}</p>
<header><p>${facultyName}</p><h1>${t(lang, 'statementTitle')}</h1>
<p>${t(lang, 'subject')}: <b>${lang === 'ru' ? c.subjectRu : c.subjectEn}</b> · ${lang === 'ru' ? c.termNameRu : c.termNameEn} · ${t(lang, 'group')}: <b>${groupName}</b></p>
<p>${t(lang, 'examiner')}: ${lecturer ? displayName(lecturer, lang) : '—'} · ${t(lang, 'date')}: ${formatDay(ctx.today, lang)}</p></header>
<table class="data statement-table"><thead><tr><th scope="col">№</th><th scope="col">${t(lang, 'student')}</th><th scope="col">${t(lang, 'recordBook')}</th><th scope="col">${t(lang, 'rating')}</th>
<th scope="col">${t(lang, 'admission')}</th><th scope="col">${t(lang, 'examMark')}</th><th scope="col">${t(lang, 'finalMark')}</th><th scope="col">${t(lang, 'signature')}</th></tr></thead>
<tbody>${d.students.map((s, i) => {
  const r = summaries.get(s.id)!;
  return html`<tr><td>${i + 1}</td><td class="nm">${statementName(s)}</td><td>${s.recordBook ?? ''}</td><td class="num">${r.scaleKind === 'pass_fail' ? '' : formatNumber(r.rating, lang)}</td>
  <td>${r.admission.admitted ? t(lang, 'admitted') : t(lang, 'notAdmitted')}</td><td class="num">${examMarks.get(s.id) ?? ''}</td><td class="num">${r.finalMark ?? ''}</td><td></td></tr>`;
})}</tbody></table>
<footer class="signatures"><p>${t(lang, 'examiner')}: ____________________</p><p>${t(lang, 'deanSignature')}: ____________________</p></footer>
</article>`,
  });
}
