import { describe, it, expect } from 'vitest';
import { recognise } from '../../server/domain/mobility-recognition';

const TEN = { kind: 'points', min: 1, max: 10, passMin: 4 } as const;
const CREDIT = { kind: 'pass_fail', min: 0, max: 1, passMin: 1 } as const;

describe('credit recognition', () => {
  it('takes a passing mark on a points course, and nothing else', () => {
    expect(recognise(TEN, 4)).toEqual({ outcome: 'mark', mark: 4 });
    expect(recognise(TEN, 10)).toEqual({ outcome: 'mark', mark: 10 });
    expect(recognise(TEN, 3)).toEqual({ refusal: 'markNotPassing' });
    expect(recognise(TEN, 11)).toEqual({ refusal: 'markNotPassing' });
    expect(recognise(TEN, 7.5)).toEqual({ refusal: 'markNotPassing' });
    expect(recognise(TEN, null)).toEqual({ refusal: 'markRequired' });
  });

  it('credits a pass/fail course without a mark', () => {
    expect(recognise(CREDIT, null)).toEqual({ outcome: 'credit', mark: null });
    expect(recognise(CREDIT, 1)).toEqual({ refusal: 'noMarkOnCredit' });
  });
});
