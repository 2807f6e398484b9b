import { html, type Html } from '../html';
import type { ViewCtx } from '../context';
import type { RecordRow } from '../../db/queries/record-book';
import type { RecordTerm } from '../../server/domain/record-book';
import type { CourseProgress } from '../progress/model';
import type { Debt } from '../../db/queries/debts';
import { page } from '../layout/page';
import { formatDay, formatNumber } from '../format';
import { resultWords, attemptLabel } from './statement';
import { debtsSection } from './debts';
import { t } from './strings';
import { t as tm } from '../mobility/strings';

/** A result recognised from a mobility placement names the partner it was earned at. */
export const recognised = (lang: ViewCtx['lang'], r: Pick<RecordRow, 'recognisedRu' | 'recognisedEn'>) => r.recognisedRu === null
  ? null : html` <small class="recognised">${tm(lang, 'recognisedFrom', { partner: lang === 'ru' ? r.recognisedRu : r.recognisedEn ?? '' })}</small>`;

export type RecordBookView = {
  studentId: number; name: string; recordBook: string | null; groupName: string | null; rows: RecordRow[];
  book: { terms: RecordTerm[]; overall: number | null }; current: CourseProgress[]; currentTermName: string | null; debts: Debt[];
};

/** The record book: one table per term, the current term's provisional state beside, open debts. */
export function recordBookPage(ctx: ViewCtx, v: RecordBookView): Html {
  const { lang } = ctx;
  const info = new Map(v.rows.map((r) => [r.statementId * 1_000_000 + r.courseId, r]));
  const title = t(lang, 'recordBookOf', { name: v.name });
  return page(ctx, {
    title,
    body: html`<article class="record-book" id="record-book-${v.studentId}"><h1>${title}</h1>
<p class="muted">${v.groupName ? html`${t(lang, 'group')}: ${v.groupName}` : null}${v.recordBook ? html` · № ${v.recordBook}` : null}</p>
<p class="no-print"><a href="/students/${v.studentId}/record-book.xlsx" id="record-book-xlsx">${t(lang, 'exportXlsx')}</a> · <span class="muted">${t(lang, 'printHint')}</span></p>
${v.book.terms.length === 0 ? html`<p class="muted">${t(lang, 'noResults')}</p>` : v.book.terms.map((term) => {
  const first = info.get(term.courses[0]!.result.statementId * 1_000_000 + term.courses[0]!.courseId)!;
  return html`<section class="card" id="rb-term-${term.termId}"><h2>${lang === 'ru' ? first.termNameRu : first.termNameEn}</h2>
<div class="table-wrap"><table class="data"><thead><tr><th scope="col">${t(lang, 'subject')}</th><th scope="col">${t(lang, 'kind')}</th><th scope="col">${t(lang, 'result')}</th>
<th scope="col">${t(lang, 'finalMark')}</th><th scope="col">${t(lang, 'date')}</th><th scope="col">${t(lang, 'examiner')}</th><th scope="col">${t(lang, 'statementNo')}</th>
<th scope="col">${t(lang, 'attempt')}</th></tr></thead><tbody>${term.courses.map((c) => {
    const r = info.get(c.result.statementId * 1_000_000 + c.courseId)!;
    return html`<tr id="rb-${c.courseId}"><th scope="row">${lang === 'ru' ? r.subjectRu : r.subjectEn}</th><td>${t(lang, r.kind)}</td><td>${resultWords(lang, r.outcome, r.mark)}${recognised(lang, r)}</td>
<td class="num">${r.finalMark ?? ''}</td><td>${formatDay(r.date, lang)}</td><td>${lang === 'en' ? r.examinerEn : r.examiner}</td><td>${r.number}</td><td>${r.recognisedRu === null ? attemptLabel(lang, r.attempt) : ''}</td></tr>`;
  })}</tbody></table></div>
<p>${t(lang, 'termAverage')}: <b class="rb-term-avg">${term.average === null ? '—' : formatNumber(term.average, lang, 2)}</b></p></section>`;
})}
<p id="rb-overall">${t(lang, 'overallAverage')}: <b>${v.book.overall === null ? '—' : formatNumber(v.book.overall, lang, 2)}</b></p>
${v.current.length > 0 ? html`<section class="card" id="rb-current"><h2>${t(lang, 'provisional')}${v.currentTermName ? html` · ${v.currentTermName}` : null}</h2>
<p class="muted">${t(lang, 'provisionalNote')}</p><div class="table-wrap"><table class="data"><thead><tr><th scope="col">${t(lang, 'subject')}</th><th scope="col">${t(lang, 'rating')}</th>
<th scope="col">${t(lang, 'admission')}</th></tr></thead><tbody>${v.current.map((c) => html`<tr><th scope="row">${lang === 'ru' ? c.subjectRu : c.subjectEn}</th>
<td class="num">${c.scaleKind === 'pass_fail' ? '—' : formatNumber(c.rating, lang)}</td><td>${t(lang, c.admission.admitted ? 'admitted' : 'notAdmitted')}</td></tr>`)}</tbody></table></div></section>` : null}
${debtsSection(ctx, v.studentId, v.debts)}
</article>`,
  });
}
