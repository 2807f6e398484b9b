import { formTokenField } from '../layout/form-token';
import { html, attr } from '../html';
import { notice, type Notice } from '../layout/notice';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import type { StructureFaculty } from '../../db/queries/structure';
import { PROGRAMMES } from '../../db/schema';
import { t } from './structure-strings';


const field = (label: string, name: string, o: { type?: string; max?: number; min?: number; required?: boolean; value?: string } = {}) =>
  html`<label>${label}<input type="${o.type ?? 'text'}" name="${name}"${o.type === 'number' ? html`${attr('min', o.min ?? null)}${attr('max', o.max ?? null)}` : attr('maxlength', o.max ?? 200)}${o.required === false ? null : html` required`}${attr('value', o.value ?? null)}></label>`;

export function structurePage(ctx: ViewCtx, faculties: StructureFaculty[], university: boolean, o: Notice = {}) {
  const { lang } = ctx;
  const name = (x: { nameRu: string; nameEn: string }) => (lang === 'ru' ? x.nameRu : x.nameEn);
  return page(ctx, {
    title: t(lang, 'structureTitle'),
    body: html`<h1>${t(lang, 'structureTitle')}</h1>${notice(o)}
${faculties.map((f) => html`<section class="card" id="faculty-${f.id}"><h2>${name(f)} <small class="muted">${f.code}</small></h2>
  <h3>${t(lang, 'groups')}</h3>
  <div class="table-wrap"><table class="data"><thead><tr><th scope="col">${t(lang, 'groupName')}</th><th scope="col">${t(lang, 'year')}</th><th scope="col">${t(lang, 'language')}</th><th scope="col">${t(lang, 'programme')}</th><th scope="col" class="num">${t(lang, 'students')}</th></tr></thead>
  <tbody>${f.groups.map((g) => html`<tr id="group-${g.id}"><th scope="row">${g.name}</th><td>${t(lang, 'yearN', { n: g.year })}</td><td>${t(lang, g.language === 'ru' ? 'langRu' : 'langEn')}</td><td>${t(lang, `programme_${g.programme}` as 'programme_degree')}</td><td class="num">${g.students}</td></tr>`)}</tbody></table></div>
  <form method="post" action="/admin/groups" class="inline-form" id="new-group-${f.id}">${csrfField(ctx)}${formTokenField()}<input type="hidden" name="facultyId" value="${f.id}">
    ${field(t(lang, 'groupName'), 'name', { max: 20 })}${field(t(lang, 'year'), 'year', { type: 'number', min: 1, max: 7, value: '1' })}
    <label>${t(lang, 'language')}<select name="language"><option value="ru">${t(lang, 'langRu')}</option><option value="en">${t(lang, 'langEn')}</option></select></label>
    <label>${t(lang, 'programme')}<select name="programme">${PROGRAMMES.map((p) => html`<option value="${p}">${t(lang, `programme_${p}`)}</option>`)}</select></label>
    <button type="submit">${t(lang, 'newGroup')}</button></form>
  <h3>${t(lang, 'departments')}</h3>
  <div class="table-wrap"><table class="data"><thead><tr><th scope="col">${t(lang, 'department')}</th><th scope="col" class="num">${t(lang, 'teachers')}</th><th scope="col" class="num">${t(lang, 'subjects')}</th></tr></thead>
  <tbody>${f.departments.map((d) => html`<tr id="department-${d.id}"><th scope="row">${name(d)}</th><td class="num">${d.teachers}</td><td class="num">${d.subjects}</td></tr>`)}</tbody></table></div>
  <form method="post" action="/admin/departments" class="inline-form" id="new-department-${f.id}">${csrfField(ctx)}${formTokenField()}<input type="hidden" name="facultyId" value="${f.id}">
    ${field(t(lang, 'nameRu'), 'nameRu')}${field(t(lang, 'nameEn'), 'nameEn')}<button type="submit">${t(lang, 'newDepartment')}</button></form>
</section>`)}
${university ? html`<section class="card"><h2>${t(lang, 'newFaculty')}</h2>
  <form method="post" action="/admin/faculties" class="inline-form" id="new-faculty">${csrfField(ctx)}${formTokenField()}
    ${field(t(lang, 'code'), 'code', { max: 12 })}${field(t(lang, 'nameRu'), 'nameRu')}${field(t(lang, 'nameEn'), 'nameEn')}<button type="submit">${t(lang, 'create')}</button></form></section>` : null}`,
  });
}
