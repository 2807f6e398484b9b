import { html } from '../html';
import type { ViewCtx } from '../context';
import { page } from '../layout/page';
import { type JournalData } from '../../db/queries/journal';
import { cellKey } from '../../server/domain/cell-key';
import type { PrintGroup, TermRow } from '../../db/queries/group-journal';
import { displayName } from '../names';
import type { RowSummary } from '../journal/row-summary';
import { cellText, cellClass } from '../journal/cell';
import { expectedAt } from '../journal/grid';
import { t as tj } from '../journal/strings';
import { formatDay, formatDayShort, formatNumber } from '../format';
import { kindShort } from '../lesson-kinds';
import { t } from './strings';

export type GroupJournalCourse = { d: JournalData; summaries: Map<number, RowSummary> };

/** The journal of one group for a term, every course on its own A4 landscape sheet. */
export function groupJournalPage(ctx: ViewCtx, group: PrintGroup, term: TermRow, terms: TermRow[], courses: GroupJournalCourse[]) {
  const { lang } = ctx;
  const termName = lang === 'ru' ? term.nameRu : term.nameEn;
  const others = terms.filter((x) => x.id !== term.id);
  return page(ctx, {
    title: `${t(lang, 'title')} · ${group.name}`,
    wide: true,
    body: html`<article class="group-journal">
<p class="no-print"><a href="/">←</a> <span class="muted">${t(lang, 'printHint')}</span>${others.length
    ? html` · ${t(lang, 'otherTerms')}: ${others.map((x, i) => html`${i ? ', ' : ''}<a href="/groups/${group.id}/journal?term=${x.id}">${lang === 'ru' ? x.nameRu : x.nameEn}</a>`)}`
    : null}</p>
${courses.length === 0 ? html`${sheetHeader(ctx, group, termName)}<p class="muted">${t(lang, 'noCourses')}</p>` : courses.map((c, i) => courseSheet(ctx, group, termName, c, i === 0))}
</article>`,
  });
}

// Every printed sheet carries the title; only the first is the page's heading (one h1 per page).
function sheetHeader(ctx: ViewCtx, group: PrintGroup, termName: string, first = true) {
  const { lang } = ctx;
  const title = `${t(lang, 'title')} · ${t(lang, 'group')} ${group.name}`;
  return html`<header><p>${lang === 'ru' ? group.facultyRu : group.facultyEn}</p>
${first ? html`<h1>${title}</h1>` : html`<p class="gj-title">${title}</p>`}<p>${t(lang, 'term')}: ${termName}</p></header>`;
}

function courseSheet(ctx: ViewCtx, group: PrintGroup, termName: string, { d, summaries }: GroupJournalCourse, first: boolean) {
  const { lang } = ctx;
  const c = d.course;
  const passFail = c.scale.kind === 'pass_fail';
  const groupIds = c.groups.map((g) => g.id);
  // A printed journal records what happened: cancelled and future lessons have no column.
  const held = d.lessons.filter((l) => !l.cancelled && l.date <= ctx.today);
  const teachers = c.teachers.map((x) => displayName(x, lang)).join(', ') || '—';
  return html`<section class="gj-course" id="gj-course-${c.id}">
${sheetHeader(ctx, group, termName, first)}
<h2>${lang === 'ru' ? c.subjectRu : c.subjectEn}</h2>
<p>${t(lang, 'teachers')}: ${teachers}</p>
${d.students.length === 0 ? html`<p class="muted">${t(lang, 'noStudents')}</p>` : html`<table class="gj-table">
<thead><tr><th scope="col">№</th><th scope="col" class="st">${t(lang, 'student')}</th>
${held.map((l) => html`<th scope="col" class="lh"><span class="d">${formatDayShort(l.date, lang)}</span><span class="k">${kindShort(lang, l.kind)}</span></th>`)}
<th scope="col" class="num">${t(lang, 'average')}</th><th scope="col" class="num">${t(lang, 'absences')}</th></tr></thead>
<tbody>${d.students.map((s, i) => {
  const r = summaries.get(s.id)!;
  return html`<tr><td class="num">${i + 1}</td><th scope="row" class="st"><a href="/students/${s.id}">${displayName(s, lang)}</a></th>
${held.map((l) => {
    const rec = d.records.get(cellKey(l.id, s.id));
    const expected = expectedAt(s, l, groupIds);
    return html`<td id="gj-${l.id}-${s.id}" class="${cellClass(rec, expected, c.scale.passMin)}">${expected ? cellText(lang, rec, passFail) : ''}</td>`;
  })}
<td class="num">${passFail ? '—' : formatNumber(r.rating, lang)}</td>
<td class="num">${r.absences.absent}${r.absences.excused ? html` (${r.absences.excused} ${t(lang, 'excusedShort')})` : null}</td></tr>`;
})}</tbody></table>
${held.length === 0 ? html`<p class="muted">${t(lang, 'noLessons')}</p>` : null}
<p class="legend">${t(lang, 'legend', { absent: tj(lang, 'codeAbsent'), excused: tj(lang, 'codeExcused'), late: tj(lang, 'codeLate') })}</p>`}
<footer class="signatures"><p>${t(lang, 'deanSignature')}: ____________________</p><p>${t(lang, 'printed', { date: formatDay(ctx.today, lang) })}</p></footer>
</section>`;
}
