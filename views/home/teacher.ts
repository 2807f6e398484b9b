import { html } from '../html';
import type { ViewCtx } from '../context';
import type { TodayLesson, TeacherCourse } from '../../db/queries/teacher-home';
import { formatTime } from '../format';
import { kindLabel } from '../lesson-kinds';
import { t } from './strings';

export function teacherToday(ctx: ViewCtx, lessons: TodayLesson[]) {
  const { lang } = ctx;
  return html`<section aria-labelledby="today-h"><h2 id="today-h">${t(lang, 'todayTitle')}</h2>
  ${lessons.length === 0
    ? html`<p class="muted">${t(lang, 'noLessonsToday')}</p>`
    : html`<ul class="list-plain">${lessons.map((l) => html`<li class="tile">
        <h3><a href="/courses/${l.courseId}/lessons/${l.id}">${formatTime(l.startsAt, lang, ctx.tz)} · ${lang === 'ru' ? l.subjectRu : l.subjectEn}</a></h3>
        <div class="meta">${kindLabel(lang, l.kind)} · ${l.groupName ? t(lang, 'group', { name: l.groupName }) : t(lang, 'stream', { groups: l.streamGroups })}${l.topic ? html` · ${l.topic}` : null}</div>
        <div>${l.cancelled
          ? html`<span class="badge warn">${t(lang, 'cancelled')}</span>`
          : l.entered > 0
            ? html`<span class="badge ok">${t(lang, 'attendanceEntered', { entered: l.entered, expected: l.expected })}</span>`
            : html`<span class="badge bad">${t(lang, 'attendanceMissing')}</span>`}</div>
      </li>`)}</ul>`}
</section>`;
}

export function teacherCoursesList(ctx: ViewCtx, courses: TeacherCourse[]) {
  const { lang } = ctx;
  return html`<section aria-labelledby="courses-h"><h2 id="courses-h">${t(lang, 'myCourses')}</h2>
  ${courses.length === 0
    ? html`<p class="muted">${t(lang, 'noCourses')}</p>`
    : html`<div class="grid-cards">${courses.map((c) => html`<article class="tile">
        <h3><a href="/courses/${c.id}">${lang === 'ru' ? c.subjectRu : c.subjectEn}</a></h3>
        <div class="meta">${c.groups} · ${t(lang, c.role === 'lecturer' ? 'lecturer' : 'assistant')}</div>
        <div class="stats"><span><b>${c.students}</b> ${t(lang, 'studentsCount', { n: c.students })}</span><span>${t(lang, 'heldOf', { held: c.held, total: c.total })}</span></div>
        <div>${c.missingAttendance > 0
          ? html`<span class="badge warn">${t(lang, 'missingLessons', { n: c.missingAttendance })}</span>`
          : html`<span class="badge ok">${t(lang, 'journalComplete')}</span>`}</div>
      </article>`)}</div>`}
</section>`;
}
