import { describe, it, expect } from 'vitest';
import { JournalRowCache } from '../../server/journal/row-cache';
import { CommitGate } from '../../server/realtime/commit-gate';
import type { Change } from '../../server/realtime/changes';

const key = (studentId: number, lang = 'ru') => JournalRowCache.key({ studentId, groupId: null, lang, today: '2026-11-24', courseHasMarks: true });
const change = (c: Partial<Change> & { entity: string; action: string }): Change =>
  ({ auditId: 1, courseId: null, studentId: null, lessonId: null, actorId: null, entityId: null, ...c });

function filled() {
  const gate = new CommitGate();
  const cache = new JournalRowCache(gate);
  for (const course of [1, 2]) for (const s of [10, 11]) for (const lang of ['ru', 'en']) cache.put(course, key(s, lang), `row ${course} ${s} ${lang}`, gate.ticket());
  return { gate, cache };
}
const has = (cache: JournalRowCache, course: number, s: number) => cache.get(course, key(s)) !== undefined;

describe('journal row cache invalidation', () => {
  it('a record change drops that student in that course only, in every language', () => {
    const { cache } = filled();
    cache.invalidate(change({ entity: 'audit:mark', action: 'mark.update', courseId: 1, studentId: 10 }));
    expect([has(cache, 1, 10), cache.get(1, key(10, 'en')), has(cache, 1, 11), has(cache, 2, 10)]).toEqual([false, undefined, true, true]);
    expect(cache.size).toBe(6);
  });

  it('a lesson or rules change drops the course; a membership or name change drops the student everywhere', () => {
    const { cache } = filled();
    cache.invalidate(change({ entity: 'audit:lesson', action: 'lesson.create', courseId: 2 }));
    expect([has(cache, 2, 10), has(cache, 2, 11), has(cache, 1, 10)]).toEqual([false, false, true]);
    cache.invalidate(change({ entity: 'audit:group_membership', action: 'membership.transfer', studentId: 11 }));
    expect([has(cache, 1, 11), has(cache, 1, 10)]).toEqual([false, true]);
    cache.invalidate(change({ entity: 'audit:user', action: 'user.update', entityId: 10 }));
    expect(has(cache, 1, 10)).toBe(false);
  });

  it('what shows in no row drops nothing; a row naming nothing drops everything', () => {
    const { cache } = filled();
    for (const c of [
      change({ entity: 'audit:student', action: 'student.view', studentId: 10, courseId: 1 }),
      change({ entity: 'audit:user', action: 'login.failed', entityId: 10 }),
      change({ entity: 'audit:user', action: 'user.logout', entityId: 10 }),
      change({ entity: 'audit:guardian_link', action: 'guardian_link.revoke', studentId: 10 }),
      change({ entity: 'mark', action: 'mark.update', courseId: 1, studentId: 10 }), // the record twin of an audit row
    ]) cache.invalidate(c);
    expect(cache.size).toBe(8);
    cache.invalidate(change({ entity: 'audit:term', action: 'term.lock' }));
    expect(cache.size).toBe(0);
  });

  it('stores nothing read before a drop or a commit, and answers nothing until a commit is handed on', async () => {
    const { gate, cache } = filled();
    const ticket = gate.ticket();
    cache.dropStudent(10, 1);
    cache.put(1, key(10), 'stale', ticket);
    expect(cache.get(1, key(10))).toBeUndefined();
    let handOn!: () => void;
    gate.committed(new Promise<void>((r) => { handOn = r; }));
    expect(cache.get(1, key(11))).toBeUndefined();
    const during = gate.ticket();
    cache.put(1, key(10), 'during', during);
    handOn();
    await Promise.resolve();
    await Promise.resolve();
    expect(cache.get(1, key(11))).toBe('row 1 11 ru');
    expect(cache.get(1, key(10))).toBeUndefined();
  });
});
