// A course's new rules reach every student of its groups at once (admission, final marks): like a term lock,
// the change first says what it does — how many students, whose admission it takes away or gives — and is
// made only when confirmed there (issue 14, item 14).
import { formTokenField } from '../layout/form-token';
import { html } from '../html';
import type { ViewCtx } from '../context';
import { page, csrfField } from '../layout/page';
import { t } from './structure-strings';

export type RulesReach = { students: number; loseAdmission: number; gainAdmission: number };

/** The confirmation: the reach, then the submitted values carried as hidden fields, and one button. */
export function rulesConfirmPage(ctx: ViewCtx, course: { id: number; subjectRu: string; subjectEn: string }, reach: RulesReach,
  values: [string, string][]) {
  const { lang } = ctx;
  const title = t(lang, 'rulesConfirmTitle', { subject: lang === 'ru' ? course.subjectRu : course.subjectEn });
  return page(ctx, {
    title,
    body: html`<h1>${title}</h1>
<p id="rules-reach">${t(lang, 'rulesReach', reach)}</p>
${reach.loseAdmission > 0 ? html`<p class="error-box" id="rules-lose">${t(lang, 'rulesLose', reach)}</p>` : null}
${reach.gainAdmission > 0 ? html`<p class="ok-box" id="rules-gain">${t(lang, 'rulesGain', reach)}</p>` : null}
<form method="post" action="/admin/courses/${course.id}/rules" class="stack" id="rules-confirm">${csrfField(ctx)}${formTokenField()}<input type="hidden" name="confirm" value="1">
${values.map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
<p><button type="submit" class="primary">${t(lang, 'rulesConfirm', reach)}</button> <a href="/admin/courses/${course.id}">${t(lang, 'rulesCancel')}</a></p>
</form>`,
  });
}
