import { describe, it, expect } from 'vitest';
import { lastDailySlot, lastWeeklySlot, retryDelay } from '../../server/domain/digest';
import { classify } from '../../server/mail/sender';

describe('digest windows close at the local hour', () => {
  it('19:00 in Kolkata (UTC+5:30) and New York (UTC-5 in winter) are different instants', () => {
    const now = Date.parse('2026-11-24T14:00:00Z');
    expect(new Date(lastDailySlot(now, 'Asia/Kolkata', 19)).toISOString()).toBe('2026-11-24T13:30:00.000Z');
    expect(new Date(lastDailySlot(now, 'America/New_York', 19)).toISOString()).toBe('2026-11-24T00:00:00.000Z');
    expect(lastDailySlot(Date.parse('2026-11-24T13:30:00Z'), 'Asia/Kolkata', 19)).toBe(Date.parse('2026-11-24T13:30:00Z'));
    expect(lastDailySlot(Date.parse('2026-11-24T13:29:59Z'), 'Asia/Kolkata', 19)).toBe(Date.parse('2026-11-23T13:30:00Z'));
  });

  it('follows daylight saving time (New York, the March change)', () => {
    expect(new Date(lastDailySlot(Date.parse('2026-03-09T12:00:00Z'), 'America/New_York', 19)).toISOString()).toBe('2026-03-08T23:00:00.000Z');
    expect(new Date(lastDailySlot(Date.parse('2026-03-08T12:00:00Z'), 'America/New_York', 19)).toISOString()).toBe('2026-03-08T00:00:00.000Z');
  });

  it('weekly windows close on the local Sunday', () => {
    // Wednesday 25 November 2026: the last Sunday is the 22nd.
    expect(new Date(lastWeeklySlot(Date.parse('2026-11-25T10:00:00Z'), 'Asia/Kolkata', 19)).toISOString()).toBe('2026-11-22T13:30:00.000Z');
    // Sunday the 29th before 19:00 local: still the week before.
    expect(new Date(lastWeeklySlot(Date.parse('2026-11-29T12:00:00Z'), 'Asia/Kolkata', 19)).toISOString()).toBe('2026-11-22T13:30:00.000Z');
  });
});

describe('delivery failures', () => {
  it('backs off 1, 2, 4 … minutes up to an hour', () => {
    expect([1, 2, 3, 7, 8, 20].map(retryDelay)).toEqual([60_000, 120_000, 240_000, 3_600_000, 3_600_000, 3_600_000]);
  });

  it('a 5xx is permanent; 4xx and network errors are temporary', () => {
    expect(classify(Object.assign(new Error('x'), { responseCode: 550 }))).toBe('permanent');
    expect(classify(Object.assign(new Error('x'), { responseCode: 451 }))).toBe('temporary');
    expect(classify(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNECTION' }))).toBe('temporary');
  });
});
