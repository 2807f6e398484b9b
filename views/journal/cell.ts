import { SafeHtml, escapeHtml } from '../html';
import type { Lang } from '../../db/schema';
import type { CellRecord } from '../../db/queries/journal';
import { t } from './strings';

/**
 * One journal cell: attendance and mark together ("н", "н/у", "8", "н 7" after a make-up with a mark).
 * The same fragment is the page's cell, the answer to a save, and the realtime push. It carries no
 * htmx attributes (journal.js drives it by delegation), so a pushed copy needs no page nonce.
 */
export function cellText(lang: Lang, r: CellRecord | undefined, passFail: boolean): string {
  if (!r) return '';
  const parts: string[] = [];
  const a = r.att;
  if (a?.status === 'absent') parts.push(a.reasonStatus === 'excused' ? t(lang, 'codeExcused') : t(lang, 'codeAbsent'));
  else if (a?.status === 'late') parts.push(t(lang, 'codeLate'));
  const m = r.mark?.value ?? (r.makeup?.status === 'done' ? r.makeup.mark : null);
  if (m !== null && m !== undefined) parts.push(passFail ? t(lang, m >= 1 ? 'passShort' : 'failShort') : String(m));
  return parts.join(' ');
}

export function cellClass(r: CellRecord | undefined, expected: boolean, passMin: number): string {
  if (!expected) return 'c na';
  if (!r) return 'c';
  let c = 'c';
  if (r.att?.status === 'absent') c += r.att.reasonStatus === 'excused' ? ' exc' : ' abs';
  if (r.att?.status === 'late') c += ' late';
  if (r.makeup?.status === 'pending') c += ' mk-pending';
  if (r.makeup?.status === 'done') c += ' mk-done';
  const v = r.mark?.value;
  if (v !== null && v !== undefined && v < passMin) c += ' low';
  return c;
}

export type CellProps = { lang: Lang; lessonId: number; studentId: number; record: CellRecord | undefined; expected: boolean; passFail: boolean; passMin: number; label: string };

// The hot path of a journal render (30 × 60 = 1,800 of these): built as one string with every
// dynamic value escaped explicitly, instead of through the general template, which was 2–3× slower.
export function cell(p: CellProps): SafeHtml {
  const id = `c-${p.lessonId}-${p.studentId}`;
  if (!p.expected) return new SafeHtml(`<td class="c na" id="${id}" aria-disabled="true"></td>`);
  const r = p.record;
  const comment = r?.mark?.comment;
  const text = escapeHtml(cellText(p.lang, r, p.passFail));
  // The spoken name starts with what the cell shows ("н 5, Адамович И. И., 06.10"), not the place alone.
  const label = text ? `${text}, ${escapeHtml(p.label)}` : escapeHtml(p.label);
  return new SafeHtml(
    `<td role="gridcell" tabindex="-1" id="${id}" class="${cellClass(r, true, p.passMin)}" data-l="${p.lessonId}" data-s="${p.studentId}" data-av="${r?.att?.version ?? 0}" data-mv="${r?.mark?.version ?? 0}" aria-label="${label}"${comment ? ` title="${escapeHtml(comment)}"` : ''}>${text}</td>`,
  );
}
