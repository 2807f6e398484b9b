// Turns a committed change into pushed fragments. Every fragment is rendered once per
// (fragment, language, scope) and sent to every socket that shares those; every socket is
// re-checked against the policy and its session before anything is sent to it.
import type { FastifyInstance } from 'fastify';
import type { Change } from './changes';
import type { Hub, LiveClient } from './hub';
import type { Lang } from '../../db/schema';
import { auditRowNeeds, auditRowVisible, loadFacts, mayFollow, topicNeeds, withObjects, type Facts } from '../policy';
import { currentUserById } from '../../db/queries/users';
import { liveSessionIds, sessionById } from '../../db/queries/sessions';
import { currentTerm, type Term } from '../../db/queries/terms';
import { dateInZone } from '../../views/format';
import { renderCellFragments, renderRowSummaryFragment } from '../journal/fragments';
import { childSummary, progressFor } from '../progress/student-progress';
import { cachedProgress } from '../progress/progress-cache';
import type { CourseProgress } from '../../views/progress/model';
import { courseTile } from '../../views/progress/course-tile';
import { studentPlannedExams } from '../../db/queries/session-calendar';
import { childCard } from '../../views/home/family';
import type { ViewCtx } from '../../views/context';
import { auditRowById, namesForIds } from '../../db/queries/audit-search';
import { referencedIds } from '../../views/audit/words';
import { auditRow } from '../../views/admin/audit';

const RECORDS = new Set(['attendance', 'mark', 'makeup']);

export type Push = { id: number; html?: string; reload?: boolean };

export type Decision = { allowed: boolean; showMarks: boolean };

/**
 * What the access checks of one moment share: each user's facts (server/policy) load once, and with
 * `live` the sessions were looked up together. Made afresh for every change (and every catch-up),
 * never kept: a link revoked or a session ended since must stop the very next push.
 */
export type AccessWithin = {
  facts: Map<number, Promise<Facts | null>>;
  decided: Map<string, Promise<Decision>>; // by user and topic
  live?: Set<string>;
};

export function accessWithin(live?: Set<string>): AccessWithin {
  return { facts: new Map(), decided: new Map(), live };
}

/** The user's facts for this moment; null for a missing or disabled account. */
function factsFor(app: FastifyInstance, userId: number, within: AccessWithin): Promise<Facts | null> {
  let f = within.facts.get(userId);
  if (!f) {
    f = currentUserById(app.store, userId).then((user) => (user ? loadFacts(app.store, user) : null));
    within.facts.set(userId, f);
  }
  return f;
}

function decide(app: FastifyInstance, userId: number, topic: string, within: AccessWithin): Promise<Decision> {
  const key = `${userId}|${topic}`;
  let d = within.decided.get(key);
  if (!d) {
    d = factsFor(app, userId, within).then(async (f) =>
      f ? mayFollow(await withObjects(app.store, f, topicNeeds(topic)), topic) : { allowed: false, showMarks: false });
    within.decided.set(key, d);
  }
  return d;
}

async function sessionAlive(app: FastifyInstance, sessionId: string): Promise<boolean> {
  return ((await sessionById(app.store, sessionId))?.expiresAt ?? 0) > app.clock();
}

/**
 * Is this socket's session still alive, and may its user still see the topic? Otherwise it is
 * closed. `within` shares each user's facts for the duration of one change, so 5,000 sockets of one
 * journal cost one policy load per user, not one per socket.
 */
export async function stillAllowed(app: FastifyInstance, c: LiveClient, topic: string, within = accessWithin()): Promise<boolean> {
  const alive = within.live ? within.live.has(c.sessionId) : await sessionAlive(app, c.sessionId);
  const d = alive ? await decide(app, c.userId, topic, within) : null;
  if (!d?.allowed) c.close(4403, 'access ended');
  return !!d?.allowed;
}

export async function showMarksFor(app: FastifyInstance, c: LiveClient, topic: string, within = accessWithin()): Promise<boolean> {
  return (await decide(app, c.userId, topic, within)).showMarks;
}

function ctxFor(app: FastifyInstance, lang: Lang): ViewCtx {
  return { lang, tz: app.config.universityTz, user: null, csrf: '', nonce: '', path: '', today: dateInZone(app.clock(), app.config.universityTz) };
}

/** Fragments of one change for one topic, keyed by what they depend on, rendered lazily and once. */
export function renderer(app: FastifyInstance, change: Pick<Change, 'courseId' | 'studentId' | 'lessonId'> & { auditId?: number }) {
  const store = app.store;
  const cached = cachedProgress(app.progress, store);
  const cache = new Map<string, Promise<string | null>>();
  let progress: Promise<CourseProgress[]> | undefined;
  let current: Promise<Term | undefined> | undefined;
  const today = dateInZone(app.clock(), app.config.universityTz);
  const term = () => (current ??= currentTerm(store, today));
  const render = async (topic: string, lang: Lang, showMarks: boolean): Promise<string | null> => {
    const [kind, idText] = topic.split(':');
    const id = Number(idText);
    if (kind === 'audit') {
      const row = change.auditId ? await auditRowById(store, change.auditId) : undefined;
      if (!row) return null;
      const names = await namesForIds(store, referencedIds([row]));
      return `<table><tbody>${auditRow({ lang, tz: app.config.universityTz }, row, names, true).value}</tbody></table>`;
    }
    if (kind === 'course' && change.lessonId && change.studentId) {
      return renderCellFragments(store, { lang, today }, id, change.lessonId, change.studentId);
    }
    if (kind === 'course' && change.studentId) {
      return renderRowSummaryFragment(store, { lang, today }, id, change.studentId);
    }
    if (kind === 'student' && change.courseId) {
      progress ??= term().then((t) => (t ? cached(id, t.id, today) : []));
      const p = (await progress).find((x) => x.courseId === change.courseId);
      return p ? courseTile(ctxFor(app, lang), id, progressFor(p, showMarks), await studentPlannedExams(store, id, today)).value : null;
    }
    if (kind === 'child') {
      const t = await term();
      const summary = t ? await childSummary(store, id, showMarks ? 'full' : 'attendance', t.id, today, cached) : null;
      return summary ? childCard(ctxFor(app, lang), summary, await studentPlannedExams(store, id, today)).value : null;
    }
    return null;
  };
  return (topic: string, lang: Lang, showMarks: boolean): Promise<string | null> => {
    const key = `${topic}|${lang}|${showMarks}`;
    let out = cache.get(key);
    if (!out) cache.set(key, (out = render(topic, lang, showMarks)));
    return out;
  };
}

export function topicsOf(change: Change): string[] {
  // The publisher hands each audit row on twice: as its `audit:` line for the feed, and (for a record)
  // as the record change for the pages that show it. Each reaches its own topics only.
  if (change.entity.startsWith('audit:')) return change.auditId > 0 ? ['audit'] : [];
  const topics: string[] = [];
  // A rules change moves admission: the student's pages, not the journal's cells.
  if (!RECORDS.has(change.entity) && change.entity !== 'dispute' && change.entity !== 'course_rules') return topics;
  if (change.courseId && change.lessonId && change.studentId && RECORDS.has(change.entity)) topics.push(`course:${change.courseId}`);
  else if (change.entity === 'course_rules' && change.courseId && change.studentId) topics.push(`course:${change.courseId}`);
  if (change.studentId) topics.push(`student:${change.studentId}`, `child:${change.studentId}`);
  return topics;
}

/** The sessions among these that are still alive, looked up once for the whole change. */
function liveSessions(app: FastifyInstance, ids: string[]): Promise<Set<string>> {
  return liveSessionIds(app.store, ids, app.clock());
}

/** What a change means for one user's sockets on one topic. */
type Verdict = 'close' | 'skip' | { showMarks: boolean };

/**
 * Sends a change to every subscriber allowed to see it; each payload is serialised once. Everything
 * that waits on the store (sessions, each user's decision, each payload) is settled before the send
 * loop, so thousands of sockets are written in one synchronous pass, not one await each.
 */
export async function fanOut(app: FastifyInstance, hub: Hub, change: Change): Promise<number> {
  let sent = 0;
  const topics = topicsOf(change).map((t) => [t, hub.members(t)] as const).filter(([, m]) => m.length > 0);
  if (topics.length === 0) return 0;
  const render = renderer(app, change);
  const live = await liveSessions(app, [...new Set(topics.flatMap(([, m]) => m.map((c) => c.sessionId)))]);
  const within = accessWithin(live);
  for (const [topic, members] of topics) {
    // One decision per user and topic, shared by all of that user's sockets (stillAllowed's rule, in bulk).
    const verdicts = new Map<number, Verdict>();
    const payloads = new Map<string, Buffer | null>();
    for (const c of members) {
      if (!live.has(c.sessionId) || verdicts.has(c.userId)) continue;
      const d = await decide(app, c.userId, topic, within);
      const seen = d.allowed && (topic !== 'audit' || (await auditVisible(app, c.userId, change, within)));
      verdicts.set(c.userId, !d.allowed ? 'close' : seen ? { showMarks: d.showMarks } : 'skip');
    }
    for (const c of members) {
      const v = verdicts.get(c.userId);
      const key = `${c.lang}|${typeof v === 'object' && v.showMarks}`;
      if (typeof v !== 'object' || !live.has(c.sessionId) || payloads.has(key)) continue;
      const html = await render(topic, c.lang, v.showMarks);
      // Encoded once: a string would be turned into bytes again for every socket.
      payloads.set(key, html === null ? null : Buffer.from(JSON.stringify({ id: change.auditId, html } satisfies Push)));
    }
    for (const c of members) {
      const v = live.has(c.sessionId) ? verdicts.get(c.userId) : 'close';
      if (v === 'close' || v === undefined) {
        c.close(4403, 'access ended');
        continue;
      }
      const payload = v === 'skip' ? null : payloads.get(`${c.lang}|${v.showMarks}`);
      if (!payload) continue;
      c.send(payload);
      sent++;
    }
  }
  return sent;
}

/** A dean's office follows the rows about its faculty; rows about nobody in particular, only the university. */
async function auditVisible(app: FastifyInstance, userId: number, change: Change, within: AccessWithin): Promise<boolean> {
  const f = await factsFor(app, userId, within);
  return !!f && auditRowVisible(await withObjects(app.store, f, auditRowNeeds(change)), change);
}
