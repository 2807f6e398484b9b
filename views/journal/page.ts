import { formTokenField } from '../layout/form-token';
import { html, attr } from '../html';
import type { ViewCtx } from '../context';
import type { JournalData } from '../../db/queries/journal';
import { page } from '../layout/page';
import { journalGrid, type PreparedRows } from './grid';
import type { RowSummary } from './row-summary';
import { t } from './strings';
import { shortName } from '../names';
import { t as tl } from '../lessons/strings';
import { t as ts } from '../session/strings';
import { t as tcal } from '../session/calendar-strings';
import { lessonFields } from '../lessons/lesson-page';
import { csrfField } from '../layout/page';

export type JournalPageOptions = {
  editable: boolean; groupId: number | null; liveSince?: number;
  /** Rows already rendered (some from the row cache) and the column heads' present counts. */
  rows?: PreparedRows;
};

export function journalPage(ctx: ViewCtx, d: JournalData, summaries: Map<number, RowSummary>, o: JournalPageOptions) {
  const { lang } = ctx;
  const c = d.course;
  const subject = lang === 'ru' ? c.subjectRu : c.subjectEn;
  return page(ctx, {
    title: `${subject} · ${t(lang, 'title')}`,
    wide: true,
    scripts: ['/public/cell-queue.js', '/public/cell-refusal.js', '/public/journal.js', '/public/journal-nav.js'],
    live: o.liveSince === undefined ? undefined : { page: `course:${c.id}`, since: o.liveSince },
    body: html`<a class="skip" href="#journal" id="skip-to-grid">${t(lang, 'skipToGrid')}</a>
<header class="journal-head">
  <h1>${subject} <small class="muted">${c.groups.map((g) => g.name).join(', ')}</small></h1>
  <p class="muted">${lang === 'ru' ? c.termNameRu : c.termNameEn} · ${t(lang, 'teachers')}: ${c.teachers.map((x) => shortName(x, lang)).join(', ')}</p>
  ${c.groups.length > 1
    ? html`<nav class="group-filter" aria-label="${t(lang, 'groupFilter')}">
        <a href="/courses/${c.id}"${attr('aria-current', o.groupId === null ? 'page' : null)}>${t(lang, 'allGroups')}</a>
        ${c.groups.map((g) => html`<a href="/courses/${c.id}?group=${g.id}"${attr('aria-current', o.groupId === g.id ? 'page' : null)}>${g.name}</a>`)}
      </nav>`
    : null}
  ${c.termLocked ? html`<p class="badge warn" role="note">${t(lang, 'locked')}</p>` : !o.editable ? html`<p class="muted">${t(lang, 'readOnly')}</p>` : html`<p class="muted legend">${t(lang, 'legend')}</p>`}
  <p class="save-state" id="save-state" role="status" aria-live="polite" data-saving="${t(lang, 'saving')}" data-saved="${t(lang, 'saved')}" data-error="${t(lang, 'error')}" data-reason="${t(lang, 'reasonPrompt')}"
    data-queued="${t(lang, 'queued')}" data-queued-cell="${t(lang, 'queuedCell')}" data-queue="zachetka.cells.${ctx.user?.id ?? 0}.${c.id}"></p>
  ${d.lessons.length && d.students.length ? html`<p class="journal-tools" id="journal-tools" hidden>
    <button type="button" id="journal-today" data-today="${ctx.today}" title="${t(lang, 'todayHint')}">${t(lang, 'today')}</button>
    <label>${t(lang, 'findStudent')} <input type="search" id="journal-filter" autocomplete="off" maxlength="60"></label>
    <span id="journal-filter-none" class="muted" role="status" data-text="${t(lang, 'nobodyMatches')}"></span>
  </p>` : null}
</header>
<p class="journal-links"><a href="/courses/${c.id}/makeups">${tl(lang, 'makeupsTitle')}</a> · <a href="/courses/${c.id}/statements" id="course-statements">${ts(lang, 'statements')}</a> · <a href="/courses/${c.id}/session-dates" id="course-session-calendar">${tcal(lang, 'sessionCalendar')}</a> · ${c.groups.map((g) => html`<a href="/courses/${c.id}/statement?group=${g.id}">${t(lang, 'statement')} ${g.name}</a> · `)} · <a id="cell-history" href="#" hidden>${t(lang, 'history')}</a></p>
${d.lessons.length === 0 ? html`<p class="muted">${t(lang, 'noLessons')}</p>` : journalGrid(ctx, d, summaries, o.editable, o.rows)}
${o.editable && !c.termLocked ? html`<details class="card add-lesson"><summary>${tl(lang, 'addLesson')} / ${tl(lang, 'addSeries')}</summary>
  <form method="post" action="/courses/${c.id}/lessons" class="stack">${csrfField(ctx)}${formTokenField()}
    ${lessonFields(ctx, d, { date: ctx.today, time: '09:45', kind: 'practical', topic: '', groupId: c.groups[0]?.id ?? null })}
    <label>${tl(lang, 'to')} (${tl(lang, 'addSeries')})<input type="date" name="until" min="${c.termStartsOn}" max="${c.termEndsOn}"></label>
    <button type="submit" class="primary">${tl(lang, 'add')}</button>
  </form></details>` : null}`,
  });
}
