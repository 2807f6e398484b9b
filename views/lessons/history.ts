import { html } from '../html';
import type { ViewCtx } from '../context';
import type { JournalData, JournalStudent } from '../../db/queries/journal';
import type { LessonRow, CellHistoryRow } from '../../db/queries/lessons';
import { page } from '../layout/page';
import { formatDateTime, formatDay } from '../format';
import { displayName } from '../names';
import { t } from './strings';

/** "status: absent → present" from the audit row's JSON, leaving out bookkeeping fields. */
function diff(before: string | null, after: string | null): string {
  const b = before ? (JSON.parse(before) as Record<string, unknown>) : {};
  const a = after ? (JSON.parse(after) as Record<string, unknown>) : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => k !== 'version' && JSON.stringify(b[k] ?? null) !== JSON.stringify(a[k] ?? null));
  return keys.map((k) => `${k}: ${b[k] ?? '—'} → ${a[k] ?? '—'}`).join('; ');
}

export function historyPage(ctx: ViewCtx, d: JournalData, lesson: LessonRow, student: JournalStudent, rows: CellHistoryRow[]) {
  const { lang } = ctx;
  const subject = lang === 'ru' ? d.course.subjectRu : d.course.subjectEn;
  return page(ctx, {
    title: t(lang, 'historyTitle'),
    body: html`<p><a href="/courses/${d.course.id}/lessons/${lesson.id}">← ${formatDay(lesson.date, lang)}</a> · <a href="/courses/${d.course.id}">${t(lang, 'backToJournal')}</a></p>
<h1>${t(lang, 'historyTitle')}</h1>
<p>${displayName(student)} · ${subject} · ${formatDay(lesson.date, lang)}</p>
${rows.length === 0 ? html`<p class="muted">${t(lang, 'noHistory')}</p>` : html`<div class="table-wrap"><table class="data"><tbody>
${rows.map((r) => html`<tr><td>${formatDateTime(r.at, lang, ctx.tz)}</td><td>${r.surname ? displayName({ surname: r.surname, givenName: r.givenName ?? '', patronymic: r.patronymic }) : '—'}<br><small class="muted">${r.actorRole ?? ''}</small></td>
<td><code>${r.action}</code></td><td>${diff(r.before, r.after)}</td><td>${r.reason ?? ''}</td></tr>`)}
</tbody></table></div>`}`,
  });
}
