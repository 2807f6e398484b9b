// What a (re)connecting page missed: the current state of every cell, tile or card that changed after
// the last event id it saw. Once per connection, and bounded: at most LIVE_LIMITS.replayRows audit rows
// are read per topic, each fragment is rendered once however often it changed, and a page that missed
// more than that is told to reload, which costs one ordinary page load instead. The access checks of
// one catch-up share the user's facts (one moment); the next catch-up loads them afresh.
import type { FastifyInstance } from 'fastify';
import type { LiveClient } from './hub';
import { accessWithin, renderer, showMarksFor, stillAllowed, type Push } from './fanout';
import { LIVE_LIMITS, type LiveStats } from './limits';
import { courseRowsAfter, studentRowsAfter, type LiveRow } from '../../db/queries/live';

const RECORDS = new Set(['attendance', 'mark', 'makeup']);

export async function catchUp(app: FastifyInstance, client: LiveClient, since: number, stats: LiveStats): Promise<void> {
  stats.catchUps++;
  const limit = LIVE_LIMITS.replayRows;
  const within = accessWithin();
  for (const topic of [...client.topics]) {
    const [kind, idText] = topic.split(':');
    // The audit feed starts from the page; the badge from the page's own count.
    if (kind !== 'course' && kind !== 'student' && kind !== 'child') continue;
    if (!(await stillAllowed(app, client, topic, within))) return;
    const id = Number(idText);
    const rows = await (kind === 'course' ? courseRowsAfter : studentRowsAfter)(app.store, id, since, limit + 1);
    if (rows.length > limit) {
      stats.reloads++;
      client.send(JSON.stringify({ id: rows[rows.length - 1].id, reload: true } satisfies Push));
      return; // the page reloads: whatever else it follows comes fresh with it
    }
    const showMarks = await showMarksFor(app, client, topic, within);
    for (const r of latestPerFragment(kind, rows)) {
      stats.renders++;
      const html = await renderer(app, r)(topic, client.lang, showMarks);
      if (html) client.send(JSON.stringify({ id: r.id, html } satisfies Push));
    }
  }
}

/** The newest row of each fragment that changed: a cell per (lesson, student), a tile per course, one card. */
function latestPerFragment(kind: string, rows: LiveRow[]): LiveRow[] {
  const latest = new Map<string, LiveRow>();
  for (const r of rows) {
    if (kind === 'course' ? !RECORDS.has(r.entity) || !r.lessonId || !r.studentId
      : !r.courseId || (!RECORDS.has(r.entity) && r.entity !== 'dispute')) continue;
    const key = kind === 'course' ? `${r.lessonId}:${r.studentId}` : kind === 'student' ? String(r.courseId) : 'card';
    latest.delete(key); // re-inserted last, so fragments go out in the order of their newest change
    latest.set(key, r);
  }
  return [...latest.values()];
}
