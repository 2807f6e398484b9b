import { html } from '../html';
import { notice, type Notice } from '../layout/notice';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import { formatDay } from '../format';
import { displayName } from '../names';
import type { Application } from '../../db/queries/mobility';
import type { Placement } from '../../db/queries/mobility-placements';
import type { Recognition, StudentCourse } from '../../db/queries/mobility-recognitions';
import { resultWords } from '../session/statement';
import { t } from './strings';

export type RecognitionsData = { placement: Placement; application: Application; courses: StudentCourse[]; recognitions: Recognition[] };

/** One placement's credit recognition: what was recognised so far, and the form to recognise a course. */
export function recognitionsPage(ctx: ViewCtx, d: RecognitionsData, o: Notice = {}) {
  const { lang } = ctx;
  const p = d.placement;
  const partner = lang === 'ru' ? p.partnerRu : p.partnerEn;
  const name = displayName(d.application, lang);
  const subject = (x: { subjectRu: string; subjectEn: string }) => (lang === 'ru' ? x.subjectRu : x.subjectEn);
  const title = t(lang, 'recognitionsOf', { name });
  return page(ctx, {
    title,
    body: html`<p><a href="/admin/mobility/calls/${d.application.callId}">${t(lang, 'candidates')}</a> ·
  <a href="/students/${p.studentId}/record-book">${t(lang, 'recordBook')}</a></p>
<h1>${title}</h1>
<p>${t(lang, 'placementAt', { partner, from: formatDay(p.fromDate, lang), to: formatDay(p.toDate, lang), order: p.orderNumber })}${p.cancelledAt !== null ? html` — <strong>${t(lang, 'cancelled')}</strong>` : null}</p>
<p class="muted">${t(lang, 'recognitionIntro', { partner })}</p>${notice(o)}
<section class="card" id="recognitions"><h2>${t(lang, 'recognitions')}</h2>
${d.recognitions.length === 0 ? html`<p class="muted">${t(lang, 'noRecognitions')}</p>` : html`<div class="table-wrap"><table class="data ranking"><thead><tr>
  <th scope="col">${t(lang, 'course')}</th><th scope="col">${t(lang, 'partnerCourse')}</th><th scope="col">${t(lang, 'partnerGrade')}</th>
  <th scope="col">${t(lang, 'result')}</th></tr></thead>
<tbody>${d.recognitions.map((r) => html`<tr id="recognition-${r.courseId}"><th scope="row">${subject(r)}</th><td data-label="${t(lang, 'partnerCourse')}">${r.partnerCourse}</td>
  <td data-label="${t(lang, 'partnerGrade')}">${r.partnerGrade}</td>
  <td data-label="${t(lang, 'result')}">${resultWords(lang, r.outcome, r.mark)} <small class="muted">${t(lang, 'recognisedFrom', { partner })}, ${t(lang, 'recognisedOn', { date: formatDay(r.recognisedOn, lang) })}</small></td></tr>`)}</tbody></table></div>`}
${p.cancelledAt !== null ? null : d.courses.length === 0 ? html`<p class="muted">${t(lang, 'noCourses')}</p>` : html`<form method="post" action="/admin/mobility/placements/${p.id}/recognitions" class="inline-form" id="recognise">${csrfField(ctx)}
  <label>${t(lang, 'course')}<select name="courseId" required>${d.courses.map((c) => html`<option value="${c.courseId}">${subject(c)} · ${lang === 'ru' ? c.termNameRu : c.termNameEn}${c.scaleKind === 'pass_fail' ? ` (${resultWords(lang, 'credit', null)})` : ` (${Math.max(c.scaleMin, c.passMin)}–${c.scaleMax})`}</option>`)}</select></label>
  <label>${t(lang, 'partnerCourse')}<input name="partnerCourse" maxlength="300" required></label>
  <label>${t(lang, 'partnerGrade')}<input name="partnerGrade" maxlength="40" required></label>
  <label>${t(lang, 'recognisedMark')}<input type="number" name="mark" min="0" max="100"></label>
  <button type="submit">${t(lang, 'recordRecognition')}</button></form>`}
</section>`,
  });
}
