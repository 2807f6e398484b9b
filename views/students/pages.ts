import { html, type Html } from '../html';
import type { ViewCtx } from '../context';
import { page } from '../layout/page';
import { formatDay, formatDateTime, formatWeekday } from '../format';
import { kindLabel } from '../lesson-kinds';
import { translateKey } from '../translate';
import { courseTile } from '../progress/course-tile';
import type { PlannedExam } from '../../db/queries/session-calendar';
import { displayName, givenNameOf } from '../names';
import type { ShownProgress } from '../progress/model';
import type { ChangeRow } from '../../db/queries/changes';
import { ratingChart, attendanceCalendar, type CalendarDay } from './charts';
import { t } from './strings';
import { t as tp } from '../progress/strings';
import { markWord } from '../scale-words';

export type StudentHead = { id: number; surname: string; givenName: string; patronymic: string | null; recordBook: string | null; groupName: string | null };

/** "What changed since your last visit": one line per change, marks only where the viewer may see them. */
export function changesList(ctx: ViewCtx, rows: ChangeRow[]): Html {
  const { lang } = ctx;
  return html`<section aria-labelledby="changes-h" class="card"><h2 id="changes-h">${t(lang, 'changesTitle')}</h2>
  ${rows.length === 0 ? html`<p class="muted">${t(lang, 'noChanges')}</p>` : html`<ul class="changes">${rows.slice(0, 5).map((r) => changeLine(ctx, r))}</ul>
    ${rows.length > 5 ? html`<details><summary>${t(lang, 'moreChanges', { n: rows.length - 5 })}</summary><ul class="changes">${rows.slice(5).map((r) => changeLine(ctx, r))}</ul></details>` : null}`}
</section>`;
}

function changeLine(ctx: ViewCtx, r: ChangeRow): Html {
  const { lang } = ctx;
  const after = r.after ? (JSON.parse(r.after) as Record<string, unknown>) : {};
  const what = r.entity === 'mark'
    ? (after.value === null || after.value === undefined ? t(lang, 'cleared') : t(lang, 'newMark', { value: markWord(lang, r.scaleKind, Number(after.value)) }))
    : r.entity === 'attendance'
      ? t(lang, 'attendance', { status: after.status ? t(lang, after.status as 'present') : t(lang, 'cleared') })
      : t(lang, 'makeupRecorded', { status: t(lang, (after.status as 'pending') ?? 'pending') });
  return html`<li><time>${formatDateTime(r.at, lang, ctx.tz)}</time> · ${lang === 'ru' ? r.subjectRu : r.subjectEn}${r.date ? html`, ${formatDay(r.date, lang)}` : null} — <b>${what}</b></li>`;
}

export function studentOverviewPage(ctx: ViewCtx, s: StudentHead, courses: ShownProgress[], showMarks: boolean, changes: ChangeRow[], liveSince?: number,
  o: { session?: Html | null; mobility?: Html | null; examDays?: PlannedExam[] } = {}) {
  const { session = null, mobility = null, examDays = [] } = o;
  const { lang } = ctx;
  return page(ctx, {
    title: displayName(s, lang),
    live: liveSince === undefined ? undefined : { page: `student:${s.id}`, since: liveSince },
    body: html`<h1>${displayName(s, lang)}</h1>
<p class="muted">${s.groupName ? tp(lang, 'group', { name: s.groupName }) : null}${s.recordBook ? html` · № ${s.recordBook}` : null}</p>
${showMarks ? null : html`<p class="badge info">${t(lang, 'attendanceOnlyNote')}</p>`}
${changesList(ctx, changes)}
${mobility}
<h2>${t(lang, 'coursesTitle')}</h2>
<div class="grid-cards">${courses.map((c) => courseTile(ctx, s.id, c, examDays))}</div>
${session}`,
  });
}

export type TimelineRow = {
  lessonId: number; date: string; startsAt: number; kind: string; topic: string;
  status: 'present' | 'late' | 'absent' | null; reasonStatus: 'unknown' | 'excused' | 'unexcused'; reasonName: string | null;
  mark: string | null; makeup: 'outstanding' | 'done' | 'waived' | null; makeupMark: number | null;
};

export type CoursePageData = {
  student: StudentHead; progress: ShownProgress; rows: TimelineRow[]; // marks and the chart only with the full view
  series: { date: string; rating: number }[]; scale: { min: number; max: number; kind: string }; threshold: number | null;
  termFrom: string; termTo: string; outstanding: { date: string; kind: string; lessonId: number }[]; extra?: Html | null;
  liveSince?: number;
  /** The course's coming exam and credit days for the student's group. */
  examDays?: PlannedExam[];
};

export function studentCoursePage(ctx: ViewCtx, d: CoursePageData) {
  const { lang } = ctx;
  const c = d.progress;
  const subject = lang === 'ru' ? c.subjectRu : c.subjectEn;
  const legend = { present: t(lang, 'legendPresent'), late: t(lang, 'legendLate'), absent: t(lang, 'legendAbsent'), excused: t(lang, 'legendExcused'), none: '' };
  const calendar: CalendarDay[] = d.rows.map((r) => ({ date: r.date, state: r.status === 'absent' ? (r.reasonStatus === 'excused' ? 'excused' : 'absent') : r.status ?? 'none' }));
  const showMarks = c.view === 'full';
  const reasons = c.view === 'full' ? c.admission.reasons : c.barredBy;
  // "Nothing: you are admitted" is a verdict that depends on marks too: the attendance view says only what attendance says.
  // Only the student is addressed as "you": a parent or the dean's office reads about the student.
  const self = ctx.user?.id === d.student.id;
  const nothing = c.view !== 'full' ? t(lang, 'nothingOnAttendance')
    : self ? t(lang, 'nothingToDo') : t(lang, 'nothingToDoOther', { name: givenNameOf(d.student, lang) });
  // Live like the home page: the course's tile arrives by the student's topic, and the page then re-reads
  // its own parts (the to-do list, chart, calendar, timeline), rendered here once more (public/live.js).
  const tile = `course-tile-${d.student.id}-${c.courseId}`;
  return page(ctx, {
    title: `${subject} · ${displayName(d.student, lang)}`,
    live: d.liveSince === undefined ? undefined : { page: `student:${d.student.id}`, since: d.liveSince },
    body: html`<p><a href="/students/${d.student.id}">← ${displayName(d.student, lang)}</a></p>
<h1>${subject}</h1>
<p class="muted">${c.groups} · ${lang === 'en' ? c.teachersEn : c.teachers}</p>
${courseTile(ctx, d.student.id, c, d.examDays ?? [])}
<div id="cp-todo" data-live-part="${tile}"><section class="card" aria-labelledby="todo-h"><h2 id="todo-h">${t(lang, 'toBeAdmitted')}</h2>
  ${reasons.length === 0 && d.outstanding.length === 0 ? html`<p>${nothing}</p>` : html`<ul class="reasons">${reasons.map((r) => html`<li>${translateKey(lang, r.code, r.params)}</li>`)}</ul>`}
  ${d.outstanding.length ? html`<p>${t(lang, 'makeUpThese')}</p><ul>${d.outstanding.map((o) => html`<li>${formatWeekday(o.date, lang)}, ${formatDay(o.date, lang)} — ${kindLabel(lang, o.kind)}</li>`)}</ul>` : null}
</section>
${showMarks && c.scaleKind === 'points'
  ? html`<section class="card" aria-labelledby="chart-h"><h2 id="chart-h">${t(lang, 'ratingChart')}</h2>
      ${d.series.length ? ratingChart(d.series, { from: d.termFrom, to: d.termTo, min: d.scale.min, max: d.scale.max, threshold: d.threshold, lang, label: t(lang, 'ratingChart'), thresholdLabel: d.threshold === null ? undefined : t(lang, 'passLine', { min: d.threshold }) }) : html`<p class="muted">${t(lang, 'ratingChartEmpty')}</p>`}
    </section>`
  : null}</div>
${d.extra ?? null}
<div id="cp-records" data-live-part="${tile}"><section class="card" aria-labelledby="cal-h"><h2 id="cal-h">${t(lang, 'calendar')}</h2>${attendanceCalendar(calendar, { lang, label: t(lang, 'calendar'), legend })}</section>
<section aria-labelledby="tl-h"><h2 id="tl-h">${t(lang, 'timeline')}</h2>
<ol class="timeline">${d.rows.slice().reverse().map((r) => html`<li class="tl-${r.status ?? 'none'}" id="tl-${r.lessonId}">
  <div><b>${formatDay(r.date, lang)}</b> · ${kindLabel(lang, r.kind)}${r.topic ? html` · ${r.topic}` : null}</div>
  <div>${r.status === null ? html`<span class="muted">${t(lang, 'notYet')}</span>` : html`<span class="st">${t(lang, r.status)}</span>`}
    ${r.status === 'absent' ? html` (${r.reasonStatus === 'excused' ? t(lang, 'excused') : r.reasonStatus === 'unexcused' ? t(lang, 'unexcused') : t(lang, 'reasonUnknown')}${r.reasonName ? html`: ${r.reasonName}` : null})` : null}
    ${showMarks && r.mark !== null ? html` · ${t(lang, 'markCol')}: <b>${r.mark}</b>` : null}
    ${r.makeup ? html` · <span class="badge ${r.makeup === 'outstanding' ? 'warn' : 'ok'}">${t(lang, r.makeup === 'outstanding' ? 'pending' : r.makeup)}${showMarks && r.makeupMark !== null ? ` (${markWord(lang, c.scaleKind, r.makeupMark)})` : ''}</span>` : null}
  </div></li>`)}</ol>
</section></div>`,
  });
}

