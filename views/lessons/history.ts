import { html } from '../html';
import type { ViewCtx } from '../context';
import type { JournalData, JournalStudent } from '../../db/queries/journal';
import type { LessonRow, CellHistoryRow } from '../../db/queries/lessons';
import { page } from '../layout/page';
import { formatDateTime, formatDay } from '../format';
import { displayName } from '../names';
import { t } from './strings';
import { t as ta } from '../audit/strings';
import { actionLabel, describeChange, roleLabel, type AuditNames } from '../audit/words';

export function historyPage(ctx: ViewCtx, d: JournalData, lesson: LessonRow, student: JournalStudent, rows: CellHistoryRow[], names: AuditNames) {
  const { lang } = ctx;
  const subject = lang === 'ru' ? d.course.subjectRu : d.course.subjectEn;
  return page(ctx, {
    title: t(lang, 'historyTitle'),
    body: html`<p><a href="/courses/${d.course.id}/lessons/${lesson.id}">← ${formatDay(lesson.date, lang)}</a> · <a href="/courses/${d.course.id}">${t(lang, 'backToJournal')}</a></p>
<h1>${t(lang, 'historyTitle')}</h1>
<p>${displayName(student, lang)} · ${subject} · ${formatDay(lesson.date, lang)}</p>
${rows.length === 0 ? html`<p class="muted">${t(lang, 'noHistory')}</p>` : html`<div class="table-wrap"><table class="data" id="cell-history">
<thead><tr><th scope="col">${ta(lang, 'colWhen')}</th><th scope="col">${ta(lang, 'colWho')}</th><th scope="col">${ta(lang, 'colWhat')}</th><th scope="col">${ta(lang, 'colChange')}</th><th scope="col">${ta(lang, 'colReason')}</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td>${formatDateTime(r.at, lang, ctx.tz)}</td><td>${r.surname ? displayName({ surname: r.surname, givenName: r.givenName ?? '', patronymic: r.patronymic, nameLatin: r.nameLatin }, lang) : '—'}<br><small class="muted">${roleLabel(lang, r.actorRole)}</small></td>
<td>${actionLabel(lang, r.action)}</td><td>${describeChange(lang, ctx.tz, { ...r, scaleKind: d.course.scale.kind }, names)}</td><td>${r.reason ?? ''}</td></tr>`)}
</tbody></table></div>`}`,
  });
}
