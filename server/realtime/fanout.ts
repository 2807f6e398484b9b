// Turns a committed change into pushed fragments. Every fragment is rendered once per
// (fragment, language, scope) and sent to every socket that shares those; every socket is
// re-checked against the policy and its session before anything is sent to it.
import type { FastifyInstance } from 'fastify';
import type { Change } from './changes';
import type { Hub, LiveClient } from './hub';
import type { Lang } from '../../db/schema';
import { prepared } from '../../db/client';
import { can } from '../policy';
import { currentUserById } from '../../db/queries/users';
import { currentTerm } from '../../db/queries/terms';
import { dateInZone } from '../../views/format';
import { renderCellFragments } from '../routes/journal';
import { studentCourseProgress, childSummary } from '../progress/student-progress';
import { courseTile } from '../../views/progress/course-tile';
import { childCard } from '../../views/home/family';
import type { ViewCtx } from '../../views/context';

const RECORDS = new Set(['attendance', 'mark', 'makeup']);

export type Push = { id: number; html?: string; reload?: boolean };

/** Is this socket's session still alive, and may its user still see the topic? Otherwise it is closed. */
export function stillAllowed(app: FastifyInstance, c: LiveClient, topic: string): boolean {
  const s = prepared(app.db, 'SELECT expires_at AS e FROM sessions WHERE id = ?').get(c.sessionId) as { e: number } | undefined;
  const user = s && s.e > app.clock() ? currentUserById(app.db, c.userId) : undefined;
  const [kind, id] = topic.split(':');
  const ok = !!user && (kind === 'course' ? can(app.db, user, { do: 'journal.view', courseId: Number(id) })
    : kind === 'student' || kind === 'child' ? can(app.db, user, { do: 'student.view', studentId: Number(id) })
    : false);
  if (!ok) c.close(4403, 'access ended');
  return ok;
}

function ctxFor(app: FastifyInstance, lang: Lang): ViewCtx {
  return { lang, tz: app.config.universityTz, user: null, csrf: '', nonce: '', path: '', today: dateInZone(app.clock(), app.config.universityTz) };
}

/** Fragments of one change for one topic, keyed by what they depend on, rendered lazily and once. */
export function renderer(app: FastifyInstance, change: Pick<Change, 'courseId' | 'studentId' | 'lessonId'>) {
  const cache = new Map<string, string | null>();
  let progress: ReturnType<typeof studentCourseProgress> | undefined;
  const today = dateInZone(app.clock(), app.config.universityTz);
  const term = () => currentTerm(app.db, today);
  return (topic: string, lang: Lang, showMarks: boolean): string | null => {
    const key = `${topic}|${lang}|${showMarks}`;
    if (cache.has(key)) return cache.get(key)!;
    let out: string | null = null;
    const [kind, idText] = topic.split(':');
    const id = Number(idText);
    if (kind === 'course' && change.lessonId && change.studentId) {
      out = renderCellFragments(app.db, { lang, today }, id, change.lessonId, change.studentId);
    } else if (kind === 'student' && change.courseId) {
      const t = term();
      progress ??= t ? studentCourseProgress(app.db, id, t.id, today) : [];
      const p = progress.find((x) => x.courseId === change.courseId);
      out = p ? courseTile(ctxFor(app, lang), id, p, showMarks).value : null;
    } else if (kind === 'child') {
      const t = term();
      const summary = t ? childSummary(app.db, id, showMarks ? 'full' : 'attendance', t.id, today) : null;
      out = summary ? childCard(ctxFor(app, lang), summary).value : null;
    }
    cache.set(key, out);
    return out;
  };
}

export function topicsOf(change: Change): string[] {
  if (!RECORDS.has(change.entity) && change.entity !== 'dispute') return [];
  const topics: string[] = [];
  if (change.courseId && change.lessonId && change.studentId && RECORDS.has(change.entity)) topics.push(`course:${change.courseId}`);
  if (change.studentId) topics.push(`student:${change.studentId}`, `child:${change.studentId}`);
  return topics;
}

export function showMarksFor(app: FastifyInstance, c: LiveClient, topic: string): boolean {
  const [kind, id] = topic.split(':');
  if (kind === 'course') return true;
  const user = currentUserById(app.db, c.userId);
  return can(app.db, user ?? null, { do: 'student.marks', studentId: Number(id) });
}

/** Sends a change to every subscriber allowed to see it. */
export function fanOut(app: FastifyInstance, hub: Hub, change: Change): number {
  let sent = 0;
  const render = renderer(app, change);
  for (const topic of topicsOf(change)) {
    for (const c of hub.members(topic)) {
      if (!stillAllowed(app, c, topic)) continue;
      const html = render(topic, c.lang, showMarksFor(app, c, topic));
      if (html === null) continue;
      c.send(JSON.stringify({ id: change.auditId, html } satisfies Push));
      sent++;
    }
  }
  return sent;
}
