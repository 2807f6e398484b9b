import { formTokenField } from '../layout/form-token';
import { html, attr, type Html } from '../html';
import type { ViewCtx } from '../context';
import type { CellRecord, JournalData, JournalStudent } from '../../db/queries/journal';
import type { LessonRow } from '../../db/queries/lessons';
import { page, csrfField, hxNonce } from '../layout/page';
import { formatDay, formatTime, formatWeekday } from '../format';
import { kindLabel } from '../lesson-kinds';
import { shortName } from '../names';
import { cellText } from '../journal/cell';
import { LESSON_KINDS } from '../../db/schema';
import { t } from './strings';
import { t as ta } from '../admin/strings';

export type LessonRowProps = {
  ctx: ViewCtx; courseId: number; lesson: LessonRow; student: JournalStudent; record: CellRecord | undefined;
  reasons: JournalData['reasons']; editable: boolean; needsReason: boolean; isAdmin: boolean; passFail: boolean; makeupRequired: boolean; error?: string;
};

function reasonField(ctx: ViewCtx, needsReason: boolean): Html | null {
  return needsReason ? html`<input type="text" name="reason" required minlength="3" maxlength="500" placeholder="${t(ctx.lang, 'reason')}" aria-label="${t(ctx.lang, 'reason')}" class="reason">` : null;
}

/**
 * One student on the phone-sized lesson list: big status buttons and a mark field in one form, so an
 * old lesson asks for its reason once per student. A status button sends the status; Save (and Enter in
 * the mark field, through the first, unseen submit button) sends the mark. It posts to the same cell
 * endpoint as the grid (view=list) and gets this row back.
 */
export function lessonRow(p: LessonRowProps): Html {
  const { ctx, lesson, student, record: r } = p;
  const { lang } = ctx;
  const status = r?.att?.status ?? null;
  const text = cellText(lang, r, p.passFail);
  const common = html`${csrfField(ctx)}<input type="hidden" name="lessonId" value="${lesson.id}"><input type="hidden" name="studentId" value="${student.id}">
    <input type="hidden" name="av" value="${r?.att?.version ?? 0}"><input type="hidden" name="mv" value="${r?.mark?.version ?? 0}"><input type="hidden" name="view" value="list">`;
  const target = `#lr-${lesson.id}-${student.id}`;
  const absence = status === 'absent' ? absenceBlock(p) : null;
  return html`<li class="lesson-row${status ? ` st-${status}` : ''}" id="lr-${lesson.id}-${student.id}">
  <div class="who"><b>${shortName(student, lang)}</b>${student.recordBook ? html` <small class="muted">${student.recordBook}</small>` : null}
    <span class="now">${text}</span>
    <a class="hist" href="/courses/${p.courseId}/cells/${lesson.id}/${student.id}/history">${t(lang, 'history')}</a></div>
  ${p.error ? html`<p class="error-box" role="alert">${p.error}</p>` : null}
  ${p.editable
    ? html`<form method="post" action="/courses/${p.courseId}/cells" class="row-form" hx-post="/courses/${p.courseId}/cells" hx-target="${target}" hx-swap="outerHTML"${hxNonce(ctx)}>
        ${common}
        <button type="submit" name="value" value="" class="implicit-submit" tabindex="-1" aria-hidden="true">${t(lang, 'save')}</button>
        <div class="seg" role="group" aria-label="${shortName(student, lang)}">
          <button type="submit" name="value" value="п"${attr('aria-pressed', status === 'present' ? 'true' : 'false')}>${t(lang, 'present')}</button>
          <button type="submit" name="value" value="о"${attr('aria-pressed', status === 'late' ? 'true' : 'false')}>${t(lang, 'late')}</button>
          <button type="submit" name="value" value="н"${attr('aria-pressed', status === 'absent' ? 'true' : 'false')}>${t(lang, 'absent')}</button>
        </div>
        <label class="mark-label">${t(lang, 'mark')} <input type="text" name="mark" inputmode="${p.passFail ? 'text' : 'numeric'}" maxlength="6" size="3" value="${r?.mark?.value ?? ''}"></label>
        ${reasonField(ctx, p.needsReason)}
        <button type="submit" name="value" value="">${t(lang, 'save')}</button>
      </form>`
    : null}
  ${absence}
</li>`;
}

function absenceBlock(p: LessonRowProps): Html {
  const { ctx, record: r, lesson, student } = p;
  const { lang } = ctx;
  const a = r!.att!;
  const reason = a.reasonId ? p.reasons.find((x) => x.id === a.reasonId) : undefined;
  const mk = r?.makeup;
  const key = html`${csrfField(ctx)}<input type="hidden" name="lessonId" value="${lesson.id}"><input type="hidden" name="studentId" value="${student.id}"><input type="hidden" name="av" value="${a.version}"><input type="hidden" name="kv" value="${mk?.version ?? 0}">`;
  return html`<div class="absence">
    <p>${a.reasonStatus === 'excused'
      ? html`<span class="badge ok">${t(lang, 'excused')}</span> ${reason ? (lang === 'ru' ? reason.nameRu : reason.nameEn) : null} ${a.documentRef ?? ''}`
      : a.reasonStatus === 'unexcused'
        ? html`<span class="badge bad">${t(lang, 'unexcused')}</span>`
        : reason
          ? html`<span class="badge warn">${t(lang, 'excuseProposed')}</span> ${lang === 'ru' ? reason.nameRu : reason.nameEn} ${a.documentRef ?? ''}`
          : null}</p>
    ${p.editable && a.reasonStatus !== 'excused'
      ? html`<form method="post" action="/courses/${p.courseId}/absences" class="inline-form">${key}
          <label>${t(lang, 'excuseReason')} <select name="reasonId" required>${p.reasons.map((x) => html`<option value="${x.id}"${attr('selected', x.id === a.reasonId ? 'selected' : null)}>${lang === 'ru' ? x.nameRu : x.nameEn}</option>`)}</select></label>
          <label>${t(lang, 'documentRef')} <input type="text" name="documentRef" maxlength="120" value="${a.documentRef ?? ''}"></label>
          ${p.isAdmin ? html`<button type="submit" name="decision" value="excused">${t(lang, 'approve')}</button>` : html`<button type="submit" name="decision" value="proposed">${t(lang, 'excuse')}</button>`}
          <button type="submit" name="decision" value="unexcused">${t(lang, 'unexcused')}</button>
        </form>`
      : null}
    ${p.makeupRequired
      ? mk?.status === 'done'
        ? html`<p><span class="badge ok">${t(lang, 'makeupDone', { date: mk.doneOn ? formatDay(mk.doneOn, lang) : '' })}</span>${mk.mark !== null ? html` · ${t(lang, 'mark')} ${mk.mark}` : null}</p>`
        : mk?.status === 'waived'
          ? html`<p><span class="badge info">${t(lang, 'makeupWaived', { reason: '' })}</span></p>`
          : html`<p><span class="badge warn">${t(lang, 'makeupPending')}</span></p>
            ${p.editable
              ? html`<form method="post" action="/courses/${p.courseId}/makeups" class="inline-form">${key}
                  <label>${t(lang, 'date')} <input type="date" name="doneOn" required max="${ctx.today}" value="${ctx.today}"></label>
                  <label>${t(lang, 'mark')} <input type="text" name="mark" maxlength="3" size="3" inputmode="numeric"></label>
                  <button type="submit" name="decision" value="done">${t(lang, 'recordMakeup')}</button>
                  <label>${t(lang, 'waiveReason')} <input type="text" name="waiveReason" maxlength="300"></label>
                  <button type="submit" name="decision" value="waived">${t(lang, 'waive')}</button>
                </form>`
              : null}`
      : null}
  </div>`;
}

export type LessonPageProps = {
  ctx: ViewCtx; data: JournalData; lesson: LessonRow; rows: Html[]; editable: boolean; needsReason: boolean; message?: string; error?: string;
  correctable?: { id: number; name: string }[]; // a locked term: the course's teacher may request corrections for these students
  undoAt?: number; // "everyone present" done at this instant, still undoable
};

export function lessonPage(p: LessonPageProps) {
  const { ctx, data, lesson } = p;
  const { lang } = ctx;
  const c = data.course;
  const subject = lang === 'ru' ? c.subjectRu : c.subjectEn;
  const group = lesson.groupId ? c.groups.find((g) => g.id === lesson.groupId)?.name : c.groups.map((g) => g.name).join(', ');
  const time = formatTime(lesson.startsAt, lang, ctx.tz);
  return page(ctx, {
    title: `${subject} · ${formatDay(lesson.date, lang)}`,
    body: html`<p><a href="/courses/${c.id}">← ${t(lang, 'backToJournal')}</a></p>
<h1>${subject}</h1>
<p class="lesson-meta">${formatWeekday(lesson.date, lang)}, ${formatDay(lesson.date, lang)}, ${time} · ${kindLabel(lang, lesson.kind)} · ${group}${lesson.topic ? html` · <i>${lesson.topic}</i>` : null}</p>
${lesson.cancelled ? html`<p class="badge warn">${t(lang, 'cancelled')}</p>` : null}
${p.message ? html`<p class="ok-box" role="status">${p.message}</p>` : null}
${p.undoAt && p.editable ? html`<form method="post" action="/courses/${c.id}/lessons/${lesson.id}/all-present/undo" class="inline-form" id="undo-present">${csrfField(ctx)}${formTokenField()}
  <input type="hidden" name="at" value="${p.undoAt}"><button type="submit">${t(lang, 'undoPresent')}</button> <small class="muted">${t(lang, 'undoHint')}</small></form>` : null}
${p.error ? html`<p class="error-box" role="alert">${p.error}</p>` : null}
${p.editable && !lesson.cancelled
  ? html`<form method="post" action="/courses/${c.id}/lessons/${lesson.id}/all-present" class="inline-form">${csrfField(ctx)}${formTokenField()}
      ${reasonField(ctx, p.needsReason)}
      <button type="submit" class="primary">${t(lang, 'everyonePresent')}</button> <small class="muted">${t(lang, 'everyoneHint')}</small></form>`
  : null}
${lesson.cancelled ? null : html`<ul class="lesson-list" aria-label="${t(lang, 'lessonTitle')}">${p.rows}</ul>`}
${p.editable ? lessonEditForm(ctx, data, lesson) : null}
${p.correctable?.length ? correctionForm(ctx, data.course.id, lesson.id, p.correctable) : null}`,
  });
}

function correctionForm(ctx: ViewCtx, courseId: number, lessonId: number, students: { id: number; name: string }[]) {
  const { lang } = ctx;
  return html`<section class="card" id="correction"><h2>${ta(lang, 'fileTitle')}</h2><p class="muted">${ta(lang, 'fileIntro')}</p>
  <form method="post" action="/courses/${courseId}/corrections" class="stack">${csrfField(ctx)}${formTokenField()}<input type="hidden" name="lessonId" value="${lessonId}">
    <label>${ta(lang, 'student')}<select name="studentId">${students.map((s) => html`<option value="${s.id}">${s.name}</option>`)}</select></label>
    <label>${ta(lang, 'field')}<select name="field"><option value="mark">${ta(lang, 'fieldMark')}</option><option value="attendance">${ta(lang, 'fieldAttendance')}</option></select></label>
    <label>${ta(lang, 'value')}<input type="text" name="newValue" maxlength="20"></label>
    <label>${ta(lang, 'reason')}<input type="text" name="reason" required minlength="3" maxlength="500"></label>
    <button type="submit" class="primary">${ta(lang, 'send')}</button></form></section>`;
}

function lessonEditForm(ctx: ViewCtx, d: JournalData, l: LessonRow) {
  const { lang } = ctx;
  const hhmm = formatTime(l.startsAt, 'en', 'Europe/Minsk');
  return html`<details class="card"><summary>${t(lang, 'editLesson')}</summary>
  <form method="post" action="/courses/${d.course.id}/lessons/${l.id}" class="stack">${csrfField(ctx)}
    <input type="hidden" name="version" value="${l.version}">
    ${lessonFields(ctx, d, { date: l.date, time: hhmm, kind: l.kind, topic: l.topic, groupId: l.groupId })}
    <label>${t(lang, 'reason')}<input type="text" name="reason" maxlength="500"></label>
    <button type="submit" class="primary">${t(lang, 'save')}</button>
  </form>
  <form method="post" action="/courses/${d.course.id}/lessons/${l.id}/cancel" class="stack">${csrfField(ctx)}
    <input type="hidden" name="version" value="${l.version}"><input type="hidden" name="cancelled" value="${l.cancelled ? '0' : '1'}">
    <label>${t(lang, 'reason')}<input type="text" name="reason" required minlength="3" maxlength="500"></label>
    <button type="submit">${l.cancelled ? t(lang, 'restore') : t(lang, 'cancel')}</button>
  </form></details>`;
}

export function lessonFields(ctx: ViewCtx, d: JournalData, v: { date: string; time: string; kind: string; topic: string; groupId: number | null }) {
  const { lang } = ctx;
  return html`<label>${t(lang, 'date')}<input type="date" name="date" required min="${d.course.termStartsOn}" max="${d.course.termEndsOn}" value="${v.date}"></label>
    <label>${t(lang, 'time')}<input type="time" name="time" required value="${v.time}"></label>
    <label>${t(lang, 'kind')}<select name="kind">${LESSON_KINDS.map((k) => html`<option value="${k}"${attr('selected', k === v.kind ? 'selected' : null)}>${kindLabel(lang, k)}</option>`)}</select></label>
    <label>${t(lang, 'group')}<select name="groupId"><option value="">${t(lang, 'wholeStream')}</option>${d.course.groups.map((g) => html`<option value="${g.id}"${attr('selected', g.id === v.groupId ? 'selected' : null)}>${g.name}</option>`)}</select></label>
    <label>${t(lang, 'topic')}<input type="text" name="topic" maxlength="200" value="${v.topic}"></label>`;
}
