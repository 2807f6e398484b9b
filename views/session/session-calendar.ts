// The session calendar (issue 16, item 1): the dean's office's page of a course's exam and credit days per
// group, and the lines that show a coming day with the days left (a student's page and course tile, a
// parent's view, the teacher's home).
import { html, type Html } from '../html';
import type { ViewCtx } from '../context';
import type { Lang, StatementKind } from '../../db/schema';
import type { PlannedExam, SessionDate } from '../../db/queries/session-calendar';
import { page, csrfField } from '../layout/page';
import { formTokenField } from '../layout/form-token';
import { formatDay } from '../format';
import { comingSessionDay, daysUntil } from '../../server/domain/session';
import { t } from './calendar-strings';

/** "exam in 5 days", "credit today", "reserve day in 2 days": the coming day of a planned exam, or null when it is over. */
export function sessionDayBadge(lang: Lang, today: string, d: { kind: StatementKind; date: string; reserveDate: string | null }): Html | null {
  const day = comingSessionDay(d, today);
  if (!day) return null;
  const n = daysUntil(today, day.date);
  const text = day.reserve ? (n === 0 ? t(lang, 'reserveToday') : t(lang, 'reserveIn', { n }))
    : n === 0 ? t(lang, d.kind === 'exam' ? 'examToday' : 'creditToday') : t(lang, d.kind === 'exam' ? 'examIn' : 'creditIn', { n });
  return html`<span class="badge${n <= 3 ? ' warn' : ''}" data-days-left="${n}">${text}</span>`;
}

/** One planned day in words: "exam · 24 Jan 2027, 09:00, room 214 · reserve day 30 Jan 2027". */
export function plannedDayText(lang: Lang, d: Pick<PlannedExam, 'kind' | 'date' | 'reserveDate' | 'startsAt' | 'room'>): Html {
  const where = [d.startsAt, d.room ? t(lang, 'roomN', { room: d.room }) : null].filter(Boolean).join(', ');
  return html`${t(lang, d.kind)} · ${formatDay(d.date, lang)}${where ? `, ${where}` : ''}${d.reserveDate ? html` · ${t(lang, 'reserveOn', { date: formatDay(d.reserveDate, lang) })}` : null}`;
}

/** The line of a course tile (the student's, a parent's view): the course's coming exam or credit. */
export function tileExamLine(ctx: ViewCtx, d: PlannedExam | undefined): Html | null {
  if (!d) return null;
  return html`<div class="meta exam-day" id="exam-day-${d.courseId}-${d.groupId}-${d.kind}">${plannedDayText(ctx.lang, d)} ${sessionDayBadge(ctx.lang, ctx.today, d)}</div>`;
}

/** The teacher's home: the coming exams and credits of the courses they teach, per group. */
export function teacherExamDays(ctx: ViewCtx, list: PlannedExam[]): Html | null {
  const { lang } = ctx;
  if (list.length === 0) return null;
  return html`<section class="card" id="my-exam-days"><h2>${t(lang, 'myComingExams')}</h2><ul class="list-plain">${list.map((d) => html`<li
id="exam-day-${d.courseId}-${d.groupId}-${d.kind}">
<a href="/courses/${d.courseId}/session-dates">${lang === 'ru' ? d.subjectRu : d.subjectEn} · ${d.groupName}</a> · ${plannedDayText(lang, d)}
${sessionDayBadge(lang, ctx.today, d)}</li>`)}</ul></section>`;
}

export type CourseCalendarView = {
  courseId: number; subject: string; groups: { id: number; name: string }[]; dates: SessionDate[]; passFail: boolean; editable: boolean;
  term: { startsOn: string; endsOn: string }; message?: string; error?: string;
  /** What the dean typed when it was refused: shown again in its row. */
  typed?: { groupId: number; kind: StatementKind; date: string; reserveDate: string; startsAt: string; room: string };
};

/** The course's calendar: a row per group and kind; the dean's office sets or changes each in place. */
export function courseCalendarPage(ctx: ViewCtx, v: CourseCalendarView): Html {
  const { lang } = ctx;
  const title = t(lang, 'sessionCalendarOf', { subject: v.subject });
  const kinds: StatementKind[] = v.passFail ? ['credit'] : ['exam', 'credit'];
  const rows = v.groups.flatMap((g) => kinds.map((kind) => ({ g, kind, d: v.dates.find((x) => x.groupId === g.id && x.kind === kind) })))
    // A credit row of an exam course only where one is set or for the dean to set: read-only viewers see what is planned.
    .filter((r) => v.editable || r.d);
  const body = rows.length === 0 ? html`<p class="muted" id="no-session-dates">${t(lang, 'noSessionDates')}</p>` : html`<div class="stack" id="session-dates">${rows.map(({ g, kind, d }) => {
    const typed = v.typed && v.typed.groupId === g.id && v.typed.kind === kind ? v.typed : null;
    const val = (k: 'date' | 'reserveDate' | 'startsAt' | 'room') => typed ? typed[k] : (d?.[k] ?? '');
    const id = `sd-${g.id}-${kind}`;
    if (!v.editable) {
      return html`<p id="${id}"><b>${g.name}</b> · ${plannedDayText(lang, d!)} ${sessionDayBadge(lang, ctx.today, d!)}</p>`;
    }
    return html`<form method="post" action="/courses/${v.courseId}/session-dates" class="inline-form" id="${id}">${csrfField(ctx)}${formTokenField()}
<input type="hidden" name="groupId" value="${g.id}"><input type="hidden" name="kind" value="${kind}"><input type="hidden" name="version" value="${d?.version ?? ''}">
<b>${g.name} · ${t(lang, kind)}</b>${d ? html` ${sessionDayBadge(lang, ctx.today, d)}` : html` <small class="muted">${t(lang, 'notSet')}</small>`}
<label>${t(lang, 'date')}<input type="date" name="date" required value="${val('date')}" min="${v.term.startsOn}"></label>
<label>${t(lang, 'reserveDate')} <small class="muted">(${t(lang, 'optional')})</small><input type="date" name="reserveDate" value="${val('reserveDate')}"></label>
<label>${t(lang, 'startsAt')}<input type="time" name="startsAt" value="${val('startsAt')}"></label>
<label>${t(lang, 'room')}<input type="text" name="room" maxlength="40" size="8" value="${val('room')}"></label>
<button type="submit" class="primary">${t(lang, 'save')}</button></form>
${d ? html`<form method="post" action="/session-dates/${d.id}/remove" class="inline-form" id="${id}-remove">${csrfField(ctx)}${formTokenField()}
<input type="hidden" name="version" value="${d.version}"><button type="submit">${t(lang, 'remove')}: ${g.name} · ${t(lang, kind)}</button></form>` : null}`;
  })}</div>`;
  return page(ctx, {
    title,
    body: html`<p><a href="/courses/${v.courseId}">← ${t(lang, 'back')}</a> · <a href="/courses/${v.courseId}/statements">${t(lang, 'statementsLink')}</a></p><h1>${title}</h1>
<p class="muted">${t(lang, 'calendarIntro')}</p>
${v.message ? html`<p class="ok-box" role="status">${v.message}</p>` : null}
${v.error ? html`<p class="error-box" role="alert">${v.error}</p>` : null}
<section class="card">${body}</section>`,
  });
}
