import { html, attr, SafeHtml } from '../html';
import type { ViewCtx } from '../context';
import { type JournalData, type JournalLesson, type JournalStudent } from '../../db/queries/journal';
import { cellKey } from '../../server/domain/cell-key';
import { reasonForDate } from '../../server/domain/attendance';
import { formatDayShort, formatWeekday, formatTime } from '../format';
import { kindLabel, kindShort } from '../lesson-kinds';
import { shortName } from '../names';
import { cell } from './cell';
import { rowSummary, type RowSummary } from './row-summary';
import { t } from './strings';

/** Was the student in one of the lesson's groups on its date? (transfers keep history) */
export function expectedAt(s: JournalStudent, l: JournalLesson, courseGroupIds: number[]): boolean {
  for (const m of s.memberships) {
    if (m.from <= l.date && (m.to === null || m.to >= l.date) && (l.groupId === null ? courseGroupIds.includes(m.groupId) : m.groupId === l.groupId)) return true;
  }
  return false;
}

export function presentCount(d: JournalData, l: JournalLesson): number {
  let n = 0;
  for (const s of d.students) {
    const st = d.records.get(cellKey(l.id, s.id))?.att?.status;
    if (st === 'present' || st === 'late') n++;
  }
  return n;
}

/** Rows rendered before the page (from the row cache or just now), and how many were present per lesson. */
export type PreparedRows = { rows: string[]; present: Map<number, number> };

export function lessonHead(ctx: ViewCtx, d: JournalData, l: JournalLesson, presentAt?: Map<number, number>) {
  const { lang } = ctx;
  const group = l.groupId ? d.course.groups.find((g) => g.id === l.groupId)?.name : null;
  const present = presentAt ? (presentAt.get(l.id) ?? 0) : presentCount(d, l);
  return html`<th scope="col" id="h-${l.id}" class="${l.cancelled ? 'lh cancelled' : l.date === ctx.today ? 'lh today' : 'lh'}" data-l="${l.id}" data-date="${l.date}"
  title="${kindLabel(lang, l.kind)}${group ? ` · ${group}` : ''} · ${formatTime(l.startsAt, lang, ctx.tz)}${l.topic ? ` · ${l.topic}` : ''}">
  <a href="/courses/${d.course.id}/lessons/${l.id}"><span class="d">${formatDayShort(l.date, lang)}</span><span class="w">${formatWeekday(l.date, lang)}</span></a>
  <span class="k k-${l.kind}">${kindShort(lang, l.kind)}${group ? html`<small> ${group}</small>` : null}</span>
  <span class="pc" id="pc-${l.id}">${l.cancelled ? t(lang, 'cancelledLesson') : l.date <= ctx.today ? present : ''}</span>
</th>`;
}

export function journalGrid(ctx: ViewCtx, d: JournalData, summaries: Map<number, RowSummary>, editable: boolean, prepared?: PreparedRows) {
  const { lang } = ctx;
  const groupIds = d.course.groups.map((g) => g.id);
  const passFail = d.course.scale.kind === 'pass_fail';
  if (d.students.length === 0) return html`<p class="muted">${t(lang, 'noStudents')}</p>`;
  // Rows joined as a flat array, not appended to one rope: the page is one flat string before Fastify
  // measures it (Buffer.byteLength of a 300 KB rope flattens it first, milliseconds per page).
  let rows = prepared?.rows;
  if (!rows) {
    rows = [];
    for (const s of d.students) rows.push(studentRow(lang, d, s, summaries.get(s.id)!, groupIds, passFail));
  }
  return html`<div class="journal-wrap" tabindex="-1">
<table class="journal" role="grid" id="journal" data-course="${d.course.id}"${attr('data-editable', editable ? '1' : null)} aria-readonly="${editable ? 'false' : 'true'}" aria-label="${t(lang, 'title')}: ${lang === 'ru' ? d.course.subjectRu : d.course.subjectEn}">
<thead><tr><th scope="col" class="st">${t(lang, 'student')}</th>
${d.lessons.map((l) => lessonHead(ctx, d, l, prepared?.present))}
<th scope="col" class="sum">${t(lang, 'rating')}</th><th scope="col" class="sum">${t(lang, 'absences')}</th><th scope="col" class="sum">${t(lang, 'absenceRate')}</th><th scope="col" class="sum">${t(lang, 'makeups')}</th><th scope="col" class="sum">${t(lang, 'admission')}</th>
</tr></thead>
<tbody>
${new SafeHtml(rows.join('\n'))}
</tbody></table></div>`;
}

/** One student's row: name, a cell per lesson, the row's summary. */
export function studentRow(lang: ViewCtx['lang'], d: JournalData, s: JournalStudent, summary: RowSummary, groupIds: number[], passFail: boolean): string {
  const parts: string[] = [html`<tr id="row-${s.id}"><th scope="row" class="st"><span class="nm">${shortName(s, lang)}</span>${s.recordBook ? html`<small class="rb">${s.recordBook}</small>` : null}</th>`.value];
  for (const l of d.lessons) {
    parts.push(cell({
      lang, lessonId: l.id, studentId: s.id, record: d.records.get(cellKey(l.id, s.id)), expected: !l.cancelled && expectedAt(s, l, groupIds),
      passFail, passMin: d.course.scale.passMin, period: periodCodeAt(d, s.id, l.date),
    }).value);
  }
  parts.push(rowSummary(lang, s.id, summary).value, '</tr>');
  return parts.join('');
}

/** The reason code of the excused period (a mobility placement, say) covering this student's date, if any. */
export function periodCodeAt(d: Pick<JournalData, 'excusedPeriods' | 'reasons'>, studentId: number, date: string): string | null {
  const periods = d.excusedPeriods.get(studentId);
  if (!periods) return null;
  const reasonId = reasonForDate(periods, date);
  return reasonId === null ? null : (d.reasons.find((r) => r.id === reasonId)?.code ?? 'excused');
}
