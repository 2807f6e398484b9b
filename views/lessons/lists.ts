import { html } from '../html';
import { displayName } from '../names';
import type { ViewCtx } from '../context';
import type { PendingMakeup } from '../../db/queries/lessons';
import type { TeacherCourse } from '../../db/queries/teacher-home';
import { page, csrfField } from '../layout/page';
import { formatDay } from '../format';
import { kindLabel } from '../lesson-kinds';
import { teacherCoursesList } from '../home/teacher';
import { t } from './strings';

export function makeupsPage(ctx: ViewCtx, list: PendingMakeup[], courseId: number | null) {
  const { lang } = ctx;
  return page(ctx, {
    title: t(lang, 'makeupsTitle'),
    body: html`${courseId ? html`<p><a href="/courses/${courseId}">← ${t(lang, 'backToJournal')}</a></p>` : null}
<h1>${t(lang, 'makeupsTitle')} <small class="muted">(${list.length})</small></h1>
${list.length === 0 ? html`<p class="muted">${t(lang, 'noMakeups')}</p>` : html`<div class="table-wrap"><table class="data">
<thead><tr><th scope="col">${t(lang, 'student')}</th><th scope="col">${t(lang, 'group')}</th><th scope="col">${t(lang, 'subject')}</th><th scope="col">${t(lang, 'lessonCol')}</th></tr></thead>
<tbody>${list.map((m) => html`<tr><td>${displayName(m, lang)}</td><td>${m.groupName}</td><td>${lang === 'ru' ? m.subjectRu : m.subjectEn}</td>
<td><a href="/courses/${m.courseId}/lessons/${m.lessonId}">${formatDay(m.date, lang)}, ${kindLabel(lang, m.kind)}</a>${m.topic ? html` · ${m.topic}` : null}</td></tr>`)}</tbody></table></div>`}`,
  });
}

export function coursesPage(ctx: ViewCtx, mine: TeacherCourse[], faculty: { id: number; subjectRu: string; subjectEn: string; groups: string }[]) {
  const { lang } = ctx;
  return page(ctx, {
    title: t(lang, 'coursesTitle'),
    body: html`<h1>${t(lang, 'coursesTitle')}</h1>
${mine.length ? teacherCoursesList(ctx, mine) : null}
${faculty.length ? html`<div class="table-wrap"><table class="data"><tbody>${faculty.map((c) => html`<tr><td><a href="/courses/${c.id}">${lang === 'ru' ? c.subjectRu : c.subjectEn}</a></td><td>${c.groups}</td></tr>`)}</tbody></table></div>` : null}`,
  });
}

export function pendingExcusesPage(ctx: ViewCtx, list: import('../../db/queries/lessons').PendingExcuse[]) {
  const { lang } = ctx;
  return page(ctx, {
    title: t(lang, 'pendingExcusesTitle'),
    body: html`<h1>${t(lang, 'pendingExcusesTitle')} <small class="muted">(${list.length})</small></h1>
${list.length === 0 ? html`<p class="muted">${t(lang, 'noPendingExcuses')}</p>` : html`<ul class="list-plain">${list.map((x) => html`<li class="tile">
  <div><b>${displayName(x, lang)}</b> · ${x.groupName} · ${lang === 'ru' ? x.subjectRu : x.subjectEn} · <a href="/courses/${x.courseId}/lessons/${x.lessonId}">${formatDay(x.date, lang)}, ${kindLabel(lang, x.kind)}</a></div>
  <div>${lang === 'ru' ? x.reasonRu : x.reasonEn}${x.documentRef ? html` · ${x.documentRef}` : null}</div>
  <form method="post" action="/courses/${x.courseId}/absences" class="inline-form">${csrfField(ctx)}
    <input type="hidden" name="lessonId" value="${x.lessonId}"><input type="hidden" name="studentId" value="${x.studentId}">
    <input type="hidden" name="av" value="${x.version}"><input type="hidden" name="reasonId" value="${x.reasonId}"><input type="hidden" name="documentRef" value="${x.documentRef ?? ''}">
    <input type="hidden" name="back" value="/absences/pending">
    <button type="submit" name="decision" value="excused" class="primary">${t(lang, 'approve')}</button>
    <button type="submit" name="decision" value="unexcused">${t(lang, 'reject')}</button>
  </form></li>`)}</ul>`}`,
  });
}
