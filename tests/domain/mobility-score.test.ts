import { describe, it, expect } from 'vitest';
import { DEFAULT_WEIGHTS, parseWeights, rankCandidates, scoreCandidate, type CandidateFacts } from '../../server/domain/mobility-score';

const W = { ...DEFAULT_WEIGHTS };
let next = 1;
function cand(over: Partial<CandidateFacts> = {}): CandidateFacts {
  const id = next++;
  return {
    applicationId: id, appliedAt: 1_000 * id, average: 8, ratings: 7.5, unexcusedAbsences: 0, openDebts: 0,
    activityPoints: 0, achievementPoints: 0, ...over,
  };
}

describe('mobility score', () => {
  it('returns every component with its value, weight and points, and their sum', () => {
    const s = scoreCandidate(cand({ average: 8.5, ratings: 7, unexcusedAbsences: 3, openDebts: 0, activityPoints: 4, achievementPoints: 2 }), W);
    expect(s.components.average).toEqual({ value: 8.5, weight: 10, points: 85 });
    expect(s.components.ratings).toEqual({ value: 7, weight: 5, points: 35 });
    expect(s.components.unexcusedAbsences).toEqual({ value: 3, weight: 1, points: -3 });
    expect(s.components.openDebts.points).toBe(0);
    expect(s.components.activity.points).toBe(4);
    expect(s.components.achievements.points).toBe(2);
    expect(s.total).toBe(123);
    expect(s.eligible).toBe(true);
  });

  it('the weights are the call\'s: the same record scores differently under other weights', () => {
    const c = cand({ average: 9, ratings: 6, activityPoints: 10 });
    expect(scoreCandidate(c, W).total).toBe(90 + 30 + 10);
    expect(scoreCandidate(c, { ...W, average: 1, activity: 5 }).total).toBe(9 + 30 + 50);
  });

  it('a missing average counts nothing and is flagged, it is not guessed', () => {
    const s = scoreCandidate(cand({ average: null, ratings: 8 }), W);
    expect(s.missingAverage).toBe(true);
    expect(s.components.average).toEqual({ value: null, weight: 10, points: 0 });
    expect(s.total).toBe(40);
    const both = scoreCandidate(cand({ average: null, ratings: null }), W);
    expect(both.total).toBe(0);
  });

  it('more open debts than the call allows makes a candidate ineligible; ranked after every eligible one', () => {
    const strong = cand({ average: 10, ratings: 10, openDebts: 1 });
    const weak = cand({ average: 5, ratings: 5 });
    const r = rankCandidates([strong, weak], W);
    expect(r.map((x) => x.applicationId)).toEqual([weak.applicationId, strong.applicationId]);
    expect(r[1]).toMatchObject({ eligible: false, ineligibleBecause: 'debts', rank: 2 });
    // Allowing one debt keeps it eligible (its penalty still counts); null never makes anyone ineligible.
    expect(rankCandidates([strong, weak], { ...W, maxOpenDebts: 1 })[0]!.applicationId).toBe(strong.applicationId);
    expect(scoreCandidate(cand({ openDebts: 9 }), { ...W, maxOpenDebts: null }).eligible).toBe(true);
    expect(scoreCandidate(cand({ openDebts: 1 }), { ...W, maxOpenDebts: 1 }).components.openDebts.points).toBe(-5);
  });

  it('ties are broken by the average, then fewer unexcused absences, then the earlier application, and say so', () => {
    // Equal totals: 80+40 = 120 and 70+50 = 120.
    const a = cand({ average: 7, ratings: 10 });
    const b = cand({ average: 8, ratings: 8 });
    const r1 = rankCandidates([a, b], W);
    expect(r1.map((x) => x.applicationId)).toEqual([b.applicationId, a.applicationId]);
    expect(r1[0]!.tieBrokenBy).toBeNull();
    expect(r1[1]!.tieBrokenBy).toBe('average');

    // Same average and total; the one with fewer absences wins (its activity points make up the difference).
    const c = cand({ average: 8, ratings: 8, unexcusedAbsences: 2, activityPoints: 2 });
    const d = cand({ average: 8, ratings: 8 });
    const r2 = rankCandidates([c, d], W);
    expect(r2.map((x) => x.applicationId)).toEqual([d.applicationId, c.applicationId]);
    expect(r2[1]!.tieBrokenBy).toBe('unexcusedAbsences');

    const e = cand({ appliedAt: 5 });
    const f = cand({ appliedAt: 3 });
    const r3 = rankCandidates([e, f], W);
    expect(r3.map((x) => x.applicationId)).toEqual([f.applicationId, e.applicationId]);
    expect(r3[1]!.tieBrokenBy).toBe('appliedAt');

    const g = cand({ appliedAt: 7 });
    const h = cand({ appliedAt: 7 });
    expect(rankCandidates([h, g], W).map((x) => [x.applicationId, x.tieBrokenBy])).toEqual([[g.applicationId, null], [h.applicationId, 'applicationId']]);
  });

  it('a candidate without an average loses a tie to one with an average', () => {
    const noAvg = cand({ average: null, ratings: 10, activityPoints: 30 }); // 0 + 50 + 30 = 80
    const withAvg = cand({ average: 8, ratings: 0 }); // 80
    const r = rankCandidates([noAvg, withAvg], W);
    expect(r.map((x) => x.applicationId)).toEqual([withAvg.applicationId, noAvg.applicationId]);
    expect(r[1]!.tieBrokenBy).toBe('average');
  });

  it('ranks are 1..n and a higher total always ranks first among the eligible', () => {
    const list = [cand({ average: 6 }), cand({ average: 9 }), cand({ average: 7.25 }), cand({ average: 9, openDebts: 3 })];
    const r = rankCandidates(list, W);
    expect(r.map((x) => x.rank)).toEqual([1, 2, 3, 4]);
    expect(r.map((x) => x.components.average.value)).toEqual([9, 7.25, 6, 9]);
    expect(rankCandidates([], W)).toEqual([]);
  });

  it('fractional points are rounded to hundredths so equal records tie exactly', () => {
    expect(scoreCandidate(cand({ average: 7.333333, ratings: null }), W).total).toBe(73.33);
  });

  it('parses stored weights defensively', () => {
    expect(parseWeights('not json')).toEqual(DEFAULT_WEIGHTS);
    expect(parseWeights('{"average": 3, "ratings": -1, "maxOpenDebts": null}')).toEqual({ ...DEFAULT_WEIGHTS, average: 3, maxOpenDebts: null });
    expect(parseWeights('{"maxOpenDebts": 1.5}').maxOpenDebts).toBe(DEFAULT_WEIGHTS.maxOpenDebts);
    expect(parseWeights('{"maxOpenDebts": 2}').maxOpenDebts).toBe(2);
  });
});

describe('the record a candidate is scored on', () => {
  it('takes the record book average and its open debts once the student has closed results; the term before that', async () => {
    const { withRecordBook } = await import('../../server/mobility/candidate-record');
    const term = { average: 7.5, ratings: 6.8, unexcusedAbsences: 3, openDebts: 1 };
    expect(withRecordBook(term, 8.25, 2, true)).toEqual({ average: 8.25, ratings: 6.8, unexcusedAbsences: 3, openDebts: 2 });
    expect(withRecordBook(term, null, 0, false)).toEqual(term);
  });
});
