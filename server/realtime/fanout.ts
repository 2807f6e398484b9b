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
import { renderCellFragments, renderRowSummaryFragment } from '../routes/journal';
import { studentCourseProgress, childSummary, progressFor } from '../progress/student-progress';
import { courseTile } from '../../views/progress/course-tile';
import { childCard } from '../../views/home/family';
import type { ViewCtx } from '../../views/context';
import { auditRowById } from '../../db/queries/audit-search';
import { auditRow } from '../../views/admin/audit';

const RECORDS = new Set(['attendance', 'mark', 'makeup']);

export type Push = { id: number; html?: string; reload?: boolean };

/**
 * Is this socket's session still alive, and may its user still see the topic? Otherwise it is
 * closed. `decided` caches the user-level answer for the duration of one change, so 5,000 sockets of
 * one journal cost 5,000 session look-ups and one policy decision, not 30,000 queries.
 */
export function stillAllowed(app: FastifyInstance, c: LiveClient, topic: string, decided?: Map<number, Decision>, live?: Set<string>): boolean {
  const alive = live ? live.has(c.sessionId) : ((prepared(app.db, 'SELECT expires_at AS e FROM sessions WHERE id = ?').get(c.sessionId) as { e: number } | undefined)?.e ?? 0) > app.clock();
  const d = alive ? decide(app, c.userId, topic, decided) : null;
  if (!d?.allowed) c.close(4403, 'access ended');
  return !!d?.allowed;
}

export type Decision = { allowed: boolean; showMarks: boolean };

function decide(app: FastifyInstance, userId: number, topic: string, decided?: Map<number, Decision>): Decision {
  const hit = decided?.get(userId);
  if (hit) return hit;
  const user = currentUserById(app.db, userId) ?? null;
  const [kind, id] = topic.split(':');
  const n = Number(id);
  const allowed = !!user && (kind === 'user' ? user.id === n : kind === 'audit' ? can(app.db, user, { do: 'admin.any' })
    : kind === 'course' ? can(app.db, user, { do: 'journal.view', courseId: n })
    : kind === 'student' || kind === 'child' ? can(app.db, user, { do: 'student.view', studentId: n }) : false);
  const d = { allowed, showMarks: allowed && kind !== 'user' && (kind === 'course' || can(app.db, user, { do: 'student.marks', studentId: n })) };
  decided?.set(userId, d);
  return d;
}

function ctxFor(app: FastifyInstance, lang: Lang): ViewCtx {
  return { lang, tz: app.config.universityTz, user: null, csrf: '', nonce: '', path: '', today: dateInZone(app.clock(), app.config.universityTz) };
}

/** Fragments of one change for one topic, keyed by what they depend on, rendered lazily and once. */
export function renderer(app: FastifyInstance, change: Pick<Change, 'courseId' | 'studentId' | 'lessonId'> & { auditId?: number }) {
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
    if (kind === 'audit') {
      const row = 'auditId' in change && change.auditId ? auditRowById(app.db, change.auditId as number) : undefined;
      out = row ? `<table><tbody>${auditRow({ lang, tz: app.config.universityTz }, row, true).value}</tbody></table>` : null;
    } else if (kind === 'course' && change.lessonId && change.studentId) {
      out = renderCellFragments(app.db, { lang, today }, id, change.lessonId, change.studentId);
    } else if (kind === 'course' && change.studentId) {
      out = renderRowSummaryFragment(app.db, { lang, today }, id, change.studentId);
    } else if (kind === 'student' && change.courseId) {
      const t = term();
      progress ??= t ? studentCourseProgress(app.db, id, t.id, today) : [];
      const p = progress.find((x) => x.courseId === change.courseId);
      out = p ? courseTile(ctxFor(app, lang), id, progressFor(p, showMarks)).value : null;
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
  const topics: string[] = change.auditId > 0 ? ['audit'] : [];
  // A rules change moves admission: the student's pages, not the journal's cells.
  if (!RECORDS.has(change.entity) && change.entity !== 'dispute' && change.entity !== 'course_rules') return topics;
  if (change.courseId && change.lessonId && change.studentId && RECORDS.has(change.entity)) topics.push(`course:${change.courseId}`);
  else if (change.entity === 'course_rules' && change.courseId && change.studentId) topics.push(`course:${change.courseId}`);
  if (change.studentId) topics.push(`student:${change.studentId}`, `child:${change.studentId}`);
  return topics;
}

export function showMarksFor(app: FastifyInstance, c: LiveClient, topic: string): boolean {
  return decide(app, c.userId, topic).showMarks;
}

/** Sends a change to every subscriber allowed to see it; each payload is serialised once. */
export function fanOut(app: FastifyInstance, hub: Hub, change: Change): number {
  let sent = 0;
  const render = renderer(app, change);
  const topics = topicsOf(change).map((t) => [t, hub.members(t)] as const).filter(([, m]) => m.length > 0);
  if (topics.length === 0) return 0;
  // The sessions of the subscribers, looked up once for the whole change (one indexed query per 500).
  const ids = [...new Set(topics.flatMap(([, m]) => m.map((c) => c.sessionId)))];
  const live = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const r of app.db.$client.prepare(`SELECT id FROM sessions WHERE expires_at > ? AND id IN (${chunk.map(() => '?').join(',')})`).all(app.clock(), ...chunk) as { id: string }[]) live.add(r.id);
  }
  for (const [topic, members] of topics) {
    const decided = new Map<number, Decision>();
    const payloads = new Map<string, string | null>();
    for (const c of members) {
      if (!stillAllowed(app, c, topic, decided, live)) continue;
      if (topic === 'audit' && !auditRowVisible(app, c.userId, change)) continue;
      const showMarks = decided.get(c.userId)!.showMarks;
      const key = `${c.lang}|${showMarks}`;
      let payload = payloads.get(key);
      if (payload === undefined) {
        const html = render(topic, c.lang, showMarks);
        payload = html === null ? null : JSON.stringify({ id: change.auditId, html } satisfies Push);
        payloads.set(key, payload);
      }
      if (payload === null) continue;
      c.send(payload);
      sent++;
    }
  }
  return sent;
}

/** A dean's office follows the rows about its faculty; rows about nobody in particular, only the university. */
function auditRowVisible(app: FastifyInstance, userId: number, change: Change): boolean {
  const user = currentUserById(app.db, userId) ?? null;
  if (can(app.db, user, { do: 'university.admin' })) return true;
  if (change.courseId) return can(app.db, user, { do: 'journal.override', courseId: change.courseId });
  if (change.studentId) return can(app.db, user, { do: 'student.view', studentId: change.studentId });
  return false;
}
