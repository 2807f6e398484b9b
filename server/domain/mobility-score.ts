// The competitive selection for academic mobility (issue 17): "academic performance first, then
// participation in the social and scientific life of the university and personal achievements".
// A pure function of plain facts; the call carries the weights, so the dean's office and the student
// can both read why a candidate stands where they stand. Every component is returned for display.

/** What the register knows of a candidate's record (the record-book average plugs in through `average`). */
export type CandidateRecord = {
  average: number | null; // the record-book average; null when the student has no marks yet
  ratings: number | null; // the mean of the current term's ratings; null when none
  unexcusedAbsences: number;
  openDebts: number;
};

export type CandidateFacts = CandidateRecord & {
  applicationId: number;
  appliedAt: number; // epoch ms: the earlier application wins a tie no other component breaks
  activityPoints: number; // the dean's office: social and scientific activity
  achievementPoints: number; // the dean's office: personal achievements
};

export type ScoreWeights = {
  average: number; // per point of the average
  ratings: number; // per point of the mean rating
  unexcusedAbsence: number; // subtracted per unexcused absence
  openDebt: number; // subtracted per open debt
  activity: number; // per activity point
  achievements: number; // per achievement point
  maxOpenDebts: number | null; // more open debts than this makes a candidate ineligible; null: never
};

export const DEFAULT_WEIGHTS: ScoreWeights = {
  average: 10, ratings: 5, unexcusedAbsence: 1, openDebt: 5, activity: 1, achievements: 1, maxOpenDebts: 0,
};

export type ScoreComponent = { value: number | null; weight: number; points: number };

export type ScoredCandidate = {
  applicationId: number;
  eligible: boolean;
  ineligibleBecause: 'debts' | null;
  components: {
    average: ScoreComponent; ratings: ScoreComponent; unexcusedAbsences: ScoreComponent; openDebts: ScoreComponent;
    activity: ScoreComponent; achievements: ScoreComponent;
  };
  total: number;
  // A missing average is worth nothing rather than guessed; it is said so next to the score.
  missingAverage: boolean;
  rank: number; // 1-based; ineligible candidates follow every eligible one
  // Set when the total equals the previous candidate's: the rule that put this one after it.
  tieBrokenBy: 'average' | 'unexcusedAbsences' | 'appliedAt' | 'applicationId' | null;
};

// "+ 0" so a zero penalty is shown as 0, never as -0.
const round2 = (n: number) => Math.round(n * 100) / 100 + 0;

function component(value: number | null, weight: number, sign: 1 | -1): ScoreComponent {
  return { value, weight, points: value === null ? 0 : round2(sign * value * weight) };
}

export function scoreCandidate(c: CandidateFacts, w: ScoreWeights): Omit<ScoredCandidate, 'rank' | 'tieBrokenBy'> {
  const components = {
    average: component(c.average, w.average, 1),
    ratings: component(c.ratings, w.ratings, 1),
    unexcusedAbsences: component(c.unexcusedAbsences, w.unexcusedAbsence, -1),
    openDebts: component(c.openDebts, w.openDebt, -1),
    activity: component(c.activityPoints, w.activity, 1),
    achievements: component(c.achievementPoints, w.achievements, 1),
  };
  const total = round2(Object.values(components).reduce((s, x) => s + x.points, 0));
  const ineligible = w.maxOpenDebts !== null && c.openDebts > w.maxOpenDebts;
  return {
    applicationId: c.applicationId, eligible: !ineligible, ineligibleBecause: ineligible ? 'debts' : null,
    components, total, missingAverage: c.average === null,
  };
}

type Keyed = { s: Omit<ScoredCandidate, 'rank' | 'tieBrokenBy'>; c: CandidateFacts };

// The tie-breaks, in the order they are tried; each is stated next to the candidate it decided.
const TIE_BREAKS: { name: NonNullable<ScoredCandidate['tieBrokenBy']>; cmp: (a: Keyed, b: Keyed) => number }[] = [
  { name: 'average', cmp: (a, b) => (b.c.average ?? -Infinity) - (a.c.average ?? -Infinity) },
  { name: 'unexcusedAbsences', cmp: (a, b) => a.c.unexcusedAbsences - b.c.unexcusedAbsences },
  { name: 'appliedAt', cmp: (a, b) => a.c.appliedAt - b.c.appliedAt },
  { name: 'applicationId', cmp: (a, b) => a.c.applicationId - b.c.applicationId },
];

function compare(a: Keyed, b: Keyed): number {
  if (a.s.eligible !== b.s.eligible) return a.s.eligible ? -1 : 1;
  if (a.s.total !== b.s.total) return b.s.total - a.s.total;
  for (const t of TIE_BREAKS) {
    const d = t.cmp(a, b);
    if (d !== 0) return d;
  }
  return 0;
}

/** The candidates of one call and faculty, best first, each with the components and the tie-break that placed it. */
export function rankCandidates(candidates: CandidateFacts[], w: ScoreWeights): ScoredCandidate[] {
  const keyed = candidates.map((c) => ({ s: scoreCandidate(c, w), c })).sort(compare);
  return keyed.map((k, i) => {
    const prev = keyed[i - 1];
    let tieBrokenBy: ScoredCandidate['tieBrokenBy'] = null;
    if (prev && prev.s.eligible === k.s.eligible && prev.s.total === k.s.total) {
      tieBrokenBy = TIE_BREAKS.find((t) => t.cmp(prev, k) !== 0)?.name ?? null;
    }
    return { ...k.s, rank: i + 1, tieBrokenBy };
  });
}

/** The weights a call stores as JSON, read defensively: a missing or bad field takes the default. */
export function parseWeights(json: string): ScoreWeights {
  let raw: Record<string, unknown> = {};
  try {
    const v = JSON.parse(json) as unknown;
    if (v && typeof v === 'object') raw = v as Record<string, unknown>;
  } catch { /* the defaults */ }
  const num = (k: keyof ScoreWeights) => {
    const v = raw[k];
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : (DEFAULT_WEIGHTS[k] as number);
  };
  const debts = raw.maxOpenDebts;
  return {
    average: num('average'), ratings: num('ratings'), unexcusedAbsence: num('unexcusedAbsence'), openDebt: num('openDebt'),
    activity: num('activity'), achievements: num('achievements'),
    maxOpenDebts: debts === null ? null : typeof debts === 'number' && Number.isInteger(debts) && debts >= 0 ? debts : DEFAULT_WEIGHTS.maxOpenDebts,
  };
}
