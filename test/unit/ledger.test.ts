import { describe, expect, it } from 'vitest';
import {
  type LotState,
  planClawback,
  planExpiry,
  planReturn,
  planSpend,
  spendablePoints,
  sumDeltas,
} from '../../src/modules/ledger/domain/lots';
import { InsufficientPointsError } from '../../src/modules/ledger/errors';

const now = new Date('2026-06-15T00:00:00Z');
const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000);
const lot = (id: string, remaining: number, expiresInDays: number | null, earnedDaysAgo = 10): LotState => ({
  id,
  remaining,
  earnedAt: day(-earnedDaysAgo),
  expiresAt: expiresInDays === null ? null : day(expiresInDays),
});

describe('lots', () => {
  const lots = [lot('never', 100, null), lot('late', 50, 30), lot('soon', 20, 2), lot('gone', 70, -1)];

  it('spends earliest expiry first, skips expired lots, never-expiring last', () => {
    expect(spendablePoints(lots, now)).toBe(170);
    expect(planSpend(lots, 60, now)).toEqual([
      { lotId: 'soon', delta: -20 },
      { lotId: 'late', delta: -40 },
    ]);
    expect(sumDeltas(planSpend(lots, 170, now))).toBe(-170);
  });

  it('refuses to spend more than is spendable, all or nothing', () => {
    expect(() => planSpend(lots, 171, now)).toThrow(InsufficientPointsError);
  });

  it('breaks expiry ties by the older lot, then by id', () => {
    const tied = [lot('b', 5, 3, 1), lot('a', 5, 3, 1), lot('old', 5, 3, 9)];
    expect(planSpend(tied, 15, now).map((draw) => draw.lotId)).toEqual(['old', 'a', 'b']);
  });

  it('claws back from the preferred lot first and never more than there is', () => {
    expect(planClawback(lots, 60, 'never')).toEqual([{ lotId: 'never', delta: -60 }]);
    expect(sumDeltas(planClawback([lot('x', 10, null)], 25, 'x'))).toBe(-10);
  });

  it('returns points latest expiry first, up to what each lot gave', () => {
    const drawn = [
      { ...lot('soon', 0, 2), outstanding: 20 },
      { ...lot('late', 10, 30), outstanding: 40 },
    ];
    expect(planReturn(drawn, 50)).toEqual([
      { lotId: 'late', delta: 40 },
      { lotId: 'soon', delta: 10 },
    ]);
  });

  it('expires exactly what is left of expired lots', () => {
    expect(planExpiry(lots, now)).toEqual([{ lotId: 'gone', delta: -70 }]);
    expect(planExpiry(lots, day(2))).toEqual([
      { lotId: 'soon', delta: -20 },
      { lotId: 'gone', delta: -70 },
    ]);
  });
});
