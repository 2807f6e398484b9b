import { formTokenField } from '../layout/form-token';
import { html, attr, type Html } from '../html';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import { displayName } from '../names';
import type { CourseListRow, SubjectChoice, TeacherChoice, CourseSettings } from '../../db/queries/admin-courses';
import type { Choice } from '../../db/queries/admin-people';
import type { TermRow } from '../../db/queries/admin-terms';
import type { CourseRules } from '../../server/domain/types';
import type { Lang } from '../../db/schema';
import { notice, type Notice } from '../layout/notice';
import { t } from './structure-strings';

const SCALES = ['ten', 'pass_fail', 'five', 'percent'] as const;
const FINAL = ['mean_rating_exam', 'exam_only', 'rating_only'] as const;

const teacherLabel = (lang: Lang, x: TeacherChoice) => `${displayName(x, lang)}${x.departmentRu ? ` — ${lang === 'ru' ? x.departmentRu : x.departmentEn}` : ''}`;
const teacherOptions = (lang: Lang, list: TeacherChoice[]) => list.map((x) => html`<option value="${x.id}">${teacherLabel(lang, x)}</option>`);
const num = (label: string, name: string, value: number | null, o: { min: number; max: number; step?: string }) =>
  html`<label>${label}<input type="number" name="${name}" min="${o.min}" max="${o.max}"${attr('step', o.step ?? null)}${attr('value', value)}></label>`;

/** The admission and final-mark fields; the same block serves a new course and an existing one. */
function rulesFields(lang: Lang, r: CourseRules): Html {
  const a = r.admission;
  return html`<fieldset class="inline-form"><legend>${t(lang, 'rules')}</legend>
  ${num(t(lang, 'minRating'), 'minRating', a.minRating, { min: 0, max: 100, step: '0.1' })}
  ${num(t(lang, 'absenceCap'), 'absenceCapPercent', a.absenceCapPercent, { min: 0, max: 100 })}
  ${num(t(lang, 'absenceWarn'), 'absenceWarnPercent', a.absenceWarnPercent, { min: 0, max: 100 })}
  <label>${t(lang, 'capCounts')}<select name="capCounts">${(['all', 'unexcused'] as const).map((c) => html`<option value="${c}"${attr('selected', a.capCounts === c ? 'selected' : null)}>${t(lang, `capCounts_${c}`)}</option>`)}</select></label>
  <label><input type="checkbox" name="requireMakeups" value="1"${attr('checked', a.requireMakeups ? 'checked' : null)}> ${t(lang, 'requireMakeups')}</label>
  <label>${t(lang, 'finalRule')}<select name="finalRule">${FINAL.map((f) => html`<option value="${f}"${attr('selected', r.finalRule.kind === f ? 'selected' : null)}>${t(lang, `final_${f}`)}</option>`)}</select></label>
  ${num(t(lang, 'examWeight'), 'examWeight', r.finalRule.kind === 'mean_rating_exam' ? r.finalRule.examWeight : 0.5, { min: 0, max: 1, step: '0.05' })}
</fieldset>`;
}

export function coursesPage(ctx: ViewCtx, d: {
  terms: TermRow[]; termId: number; termLocked: boolean; courses: CourseListRow[]; subjects: SubjectChoice[]; teachers: TeacherChoice[];
  groups: Choice[]; departments: Choice[]; defaults: CourseRules;
}, o: Notice = {}) {
  const { lang } = ctx;
  const name = (x: { nameRu: string; nameEn: string }) => (lang === 'ru' ? x.nameRu : x.nameEn);
  return page(ctx, {
    title: t(lang, 'coursesTitle'),
    wide: true,
    body: html`<h1>${t(lang, 'coursesTitle')}</h1>${notice(o)}
<form method="get" action="/admin/courses" class="inline-form"><label>${t(lang, 'term')}<select name="term">${d.terms.map((x) => html`<option value="${x.id}"${attr('selected', x.id === d.termId ? 'selected' : null)}>${name(x)}</option>`)}</select></label><button type="submit">${t(lang, 'show')}</button></form>
${d.courses.length === 0 ? html`<p class="muted">${t(lang, 'noCourses')}</p>` : html`<div class="table-wrap"><table class="data" id="courses"><thead><tr><th scope="col">${t(lang, 'subject')}</th><th scope="col">${t(lang, 'groups')}</th><th scope="col">${t(lang, 'lecturers')}</th><th scope="col">${t(lang, 'assistants')}</th><th scope="col">${t(lang, 'scale')}</th><th scope="col" class="num">${t(lang, 'students')}</th><th scope="col"></th></tr></thead>
<tbody>${d.courses.map((c) => html`<tr id="course-${c.id}"><th scope="row"><a href="/courses/${c.id}">${lang === 'ru' ? c.subjectRu : c.subjectEn}</a></th><td>${c.groups}</td><td>${c.lecturers ?? ''}</td><td>${c.assistants ?? ''}</td><td>${t(lang, `scale_${c.scale}` as 'scale_ten')}</td><td class="num">${c.students}</td><td><a href="/admin/courses/${c.id}">${t(lang, 'edit')}</a></td></tr>`)}</tbody></table></div>`}
${d.termLocked ? html`<p class="muted">${t(lang, 'termLocked')}</p>` : html`<section class="card"><h2>${t(lang, 'newCourse')}</h2>
<form method="post" action="/admin/courses" class="stack" id="new-course">${csrfField(ctx)}${formTokenField()}<input type="hidden" name="termId" value="${d.termId}">
  <label>${t(lang, 'subject')}<select name="subjectId" required>${d.subjects.map((s) => html`<option value="${s.id}">${name(s)} (${s.code})</option>`)}</select></label>
  <fieldset class="inline-form"><legend>${t(lang, 'groups')}</legend>${d.groups.map((g) => html`<label><input type="checkbox" name="groupId" value="${g.id}"> ${g.label}</label>`)}</fieldset>
  <label>${t(lang, 'lecturerField')}<select name="lecturerId" required><option value=""></option>${teacherOptions(lang, d.teachers)}</select></label>
  <label>${t(lang, 'assistantField')}<select name="assistantId"><option value=""></option>${teacherOptions(lang, d.teachers)}</select></label>
  <label>${t(lang, 'scale')}<select name="scale">${SCALES.map((s) => html`<option value="${s}">${t(lang, `scale_${s}`)}</option>`)}</select></label>
  ${rulesFields(lang, d.defaults)}
  <button type="submit" class="primary">${t(lang, 'create')}</button></form></section>`}
${d.departments.length ? html`<section class="card"><h2>${t(lang, 'newSubject')}</h2>
<form method="post" action="/admin/subjects" class="inline-form" id="new-subject">${csrfField(ctx)}${formTokenField()}
  <label>${t(lang, 'department')}<select name="departmentId">${d.departments.map((x) => html`<option value="${x.id}">${lang === 'ru' ? x.label : x.labelEn}</option>`)}</select></label>
  <label>${t(lang, 'code')}<input type="text" name="code" required maxlength="20"></label>
  <label>${t(lang, 'nameRu')}<input type="text" name="nameRu" required maxlength="200"></label>
  <label>${t(lang, 'nameEn')}<input type="text" name="nameEn" required maxlength="200"></label>
  <button type="submit">${t(lang, 'create')}</button></form></section>` : null}`,
  });
}

export function courseSettingsPage(ctx: ViewCtx, c: CourseSettings, rules: CourseRules, teachers: TeacherChoice[], addable: Choice[], o: Notice = {}) {
  const { lang } = ctx;
  const title = `${lang === 'ru' ? c.subjectRu : c.subjectEn} · ${c.groups.map((g) => g.name).join(', ')}`;
  return page(ctx, {
    title,
    body: html`<p><a href="/admin/courses?term=${c.termId}">← ${t(lang, 'coursesTitle')}</a> · <a href="/courses/${c.id}">${t(lang, 'openJournal')}</a></p>
<h1 id="course-settings-${c.id}">${title}</h1>${notice(o)}
${c.termLocked ? html`<p class="muted">${t(lang, 'termLocked')}</p>` : null}
<section class="card"><h2>${t(lang, 'teachers')}</h2>
<ul class="list-plain">${c.teachers.map((x) => html`<li id="course-teacher-${x.id}">${displayName(x, lang)} <small class="muted">${t(lang, x.role)}</small>
  ${c.termLocked ? null : html`<form method="post" action="/admin/courses/${c.id}/teachers/${x.id}/remove" class="inline-form">${csrfField(ctx)}${formTokenField()}<button type="submit">${t(lang, 'remove')}</button></form>`}</li>`)}</ul>
${c.termLocked ? null : html`<form method="post" action="/admin/courses/${c.id}/teachers" class="inline-form" id="add-teacher">${csrfField(ctx)}${formTokenField()}
  <label>${t(lang, 'addTeacher')}<select name="teacherId">${teacherOptions(lang, teachers)}</select></label>
  <label><select name="role" aria-label="${t(lang, 'lecturer')}"><option value="assistant">${t(lang, 'assistant')}</option><option value="lecturer">${t(lang, 'lecturer')}</option></select></label>
  <button type="submit">${t(lang, 'add')}</button></form>`}</section>
<section class="card"><h2>${t(lang, 'groups')}</h2><p id="course-groups">${c.groups.map((g) => g.name).join(', ')}</p>
${c.termLocked || addable.length === 0 ? null : html`<form method="post" action="/admin/courses/${c.id}/groups" class="inline-form" id="add-group">${csrfField(ctx)}${formTokenField()}
  <label>${t(lang, 'addGroup')}<select name="groupId">${addable.map((g) => html`<option value="${g.id}">${g.label}</option>`)}</select></label>
  <button type="submit">${t(lang, 'add')}</button></form>`}</section>
<section class="card"><h2>${t(lang, 'rules')}</h2>
<form method="post" action="/admin/courses/${c.id}/rules" class="stack" id="course-rules">${csrfField(ctx)}<input type="hidden" name="version" value="${c.version}">
  ${rulesFields(lang, rules)}
  ${c.termLocked ? null : html`<button type="submit" class="primary">${t(lang, 'saveRules')}</button>`}</form></section>`,
  });
}
