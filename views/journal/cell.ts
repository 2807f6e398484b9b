import { SafeHtml, escapeHtml } from '../html';
import type { Lang } from '../../db/schema';
import type { CellRecord } from '../../db/queries/journal';
import { t } from './strings';

/**
 * One journal cell: attendance and mark together ("н", "н/у", "8", "н 7" after a make-up with a mark).
 * The same fragment is the page's cell, the answer to a save, and the realtime push. It carries no
 * htmx attributes (journal.js drives it by delegation), so a pushed copy needs no page nonce.
 */
export function cellText(lang: Lang, r: CellRecord | undefined, passFail: boolean, period: string | null = null): string {
  const parts: string[] = [];
  const a = r?.att;
  // Inside an excused period (a mobility placement) the student was away by decision: not an absence to chase.
  const away = period !== null && a?.status !== 'present' && a?.status !== 'late';
  if (away) parts.push(t(lang, period === 'mobility' ? 'codeMobility' : 'codeExcused'));
  if (!r) return parts.join(' ');
  if (away) { /* the period's code stands for the attendance */ } else if (a?.status === 'absent') parts.push(a.reasonStatus === 'excused' ? t(lang, 'codeExcused') : t(lang, 'codeAbsent'));
  else if (a?.status === 'late') parts.push(t(lang, 'codeLate'));
  const m = r.mark?.value ?? (r.makeup?.status === 'done' ? r.makeup.mark : null);
  if (m !== null && m !== undefined) parts.push(passFail ? t(lang, m >= 1 ? 'passShort' : 'failShort') : String(m));
  return parts.join(' ');
}

export function cellClass(r: CellRecord | undefined, expected: boolean, passMin: number, period: string | null = null): string {
  if (!expected) return 'c na';
  const away = period !== null && r?.att?.status !== 'present' && r?.att?.status !== 'late';
  if (!r) return away ? `c exc${period === 'mobility' ? ' mob' : ''}` : 'c';
  let c = 'c';
  if (away) c += period === 'mobility' ? ' exc mob' : ' exc';
  else if (r.att?.status === 'absent') c += r.att.reasonStatus === 'excused' ? ' exc' : ' abs';
  if (r.att?.status === 'late') c += ' late';
  if (r.makeup?.status === 'pending') c += ' mk-pending';
  if (r.makeup?.status === 'done') c += ' mk-done';
  const v = r.mark?.value;
  if (v !== null && v !== undefined && v < passMin) c += ' low';
  return c;
}

export type CellProps = {
  lang: Lang; lessonId: number; studentId: number; record: CellRecord | undefined; expected: boolean; passFail: boolean; passMin: number;
  period?: string | null; // the reason code of an excused period covering the lesson's date
};

// The hot path of a journal render (30 × 60 = 1,800 of these): built as one string with every
// dynamic value escaped explicitly, instead of through the general template, which was 2–3× slower.
// Only what the script cannot know is sent: the id (which names lesson and student) and the record
// versions a save needs. public/journal.js gives each cell its grid role, roving tabindex, data-l/data-s
// and its screen-reader label (student, date: from the row and column headers) on load and on every
// swapped-in fragment; without the script the cell is still a td of a role=grid table under its th headers.
export function cell(p: CellProps): SafeHtml {
  const id = `c-${p.lessonId}-${p.studentId}`;
  if (!p.expected) return new SafeHtml(`<td class="c na" id="${id}"></td>`);
  const r = p.record;
  const comment = r?.mark?.comment;
  return new SafeHtml(
    `<td id="${id}" class="${cellClass(r, true, p.passMin, p.period ?? null)}" data-av="${r?.att?.version ?? 0}" data-mv="${r?.mark?.version ?? 0}"${comment ? ` title="${escapeHtml(comment)}"` : ''}>${escapeHtml(cellText(p.lang, r, p.passFail, p.period ?? null))}</td>`,
  );
}
