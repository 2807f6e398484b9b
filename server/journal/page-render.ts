// The journal page of a course, with the rows the cache holds taken from it: only the students whose
// rows are missing have their records read and their rows rendered (a save drops one row; the page
// after it reads one student's records instead of the whole course's).
import type { Queryable } from '../../db/store';
import type { ViewCtx } from '../../views/context';
import { courseHasMarks, loadJournal, presentCounts } from '../../db/queries/journal';
import { journalPage, type JournalPageOptions } from '../../views/journal/page';
import { studentRow } from '../../views/journal/grid';
import { journalSummaries } from './summaries';
import { JournalRowCache } from './row-cache';

export async function renderJournalPage(s: Queryable, cache: JournalRowCache, ctx: ViewCtx, courseId: number, groupId: number | null,
  o: JournalPageOptions): Promise<string | null> {
  const ticket = cache.ticket();
  const hasMarks = await courseHasMarks(s, courseId);
  const usable = cache.usable(courseId);
  // Nothing cached for the course: one full read, as without a cache.
  const frame = await loadJournal(s, courseId, groupId, null, usable ? [] : null);
  if (!frame) return null;
  const keyOf = (studentId: number) => JournalRowCache.key({ studentId, groupId, lang: ctx.lang, today: ctx.today, courseHasMarks: hasMarks });
  const cached = new Map<number, string>();
  if (usable) {
    for (const st of frame.students) {
      const row = cache.get(courseId, keyOf(st.id));
      if (row !== undefined) cached.set(st.id, row);
    }
  }
  const missing = frame.students.filter((st) => !cached.has(st.id));
  let d = frame;
  if (usable && missing.length > 0) d = (await loadJournal(s, courseId, groupId, null, missing.map((st) => st.id))) ?? frame;
  const present = await presentCounts(s, courseId, frame.students.map((st) => st.id));
  const summaries = journalSummaries(d, ctx.today, missing, hasMarks);
  const groupIds = d.course.groups.map((g) => g.id);
  const passFail = d.course.scale.kind === 'pass_fail';
  const rows = frame.students.map((st) => {
    const have = cached.get(st.id);
    if (have !== undefined) return have;
    const row = studentRow(ctx.lang, d, st, summaries.get(st.id)!, groupIds, passFail);
    cache.put(courseId, keyOf(st.id), row, ticket);
    return row;
  });
  return journalPage(ctx, d, summaries, { ...o, rows: { rows, present } }).value;
}
