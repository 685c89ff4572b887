import { describe, expect, it } from 'vitest';
import {
  nextTierAbove,
  planRecalculation,
  qualifyingWindow,
  type Tier,
  type TierSettings,
  tierFor,
  upgradeOnOrder,
} from '../../src/modules/tiers/domain';

const now = new Date('2026-06-15T00:00:00Z');
const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000);
const tier = (id: string, threshold: number): Tier =>
  ({
    id,
    programId: 'p',
    name: id,
    threshold,
    discountBasisPoints: 0,
    earnMultiplierPermille: 1000,
    memberOnlyOffers: false,
    createdAt: now,
    updatedAt: now,
  }) as Tier;
const silver = tier('silver', 100);
const gold = tier('gold', 500);
const tiers = [gold, silver];

describe('tier decisions', () => {
  it('finds the highest tier a metric reaches and the next one above', () => {
    expect(tierFor(tiers, 99)).toBeNull();
    expect(tierFor(tiers, 100)).toBe(silver);
    expect(tierFor(tiers, 10_000)).toBe(gold);
    expect(nextTierAbove(tiers, null)).toBe(silver);
    expect(nextTierAbove(tiers, gold)).toBeNull();
  });

  it('upgrades at once on an order that qualifies, never downgrades on one', () => {
    expect(upgradeOnOrder(silver, tiers, 600)).toBe(gold);
    expect(upgradeOnOrder(gold, tiers, 150)).toBeNull();
  });

  it('downgrades only after the grace period, and a member who qualifies again stops the clock', () => {
    const first = planRecalculation(gold, { downgradeDueSince: null, since: day(-100) }, silver, now, 30);
    expect(first).toEqual({ kind: 'none', downgradeDueSince: now });
    expect(planRecalculation(gold, { downgradeDueSince: day(-29), since: day(-100) }, silver, now, 30).kind).toBe('none');
    expect(planRecalculation(gold, { downgradeDueSince: day(-30), since: day(-100) }, silver, now, 30)).toEqual({
      kind: 'downgrade',
      to: silver,
      downgradeDueSince: null,
    });
    expect(planRecalculation(gold, { downgradeDueSince: day(-10), since: day(-100) }, gold, now, 30)).toEqual({
      kind: 'none',
      downgradeDueSince: null,
    });
  });

  it('upgrades immediately and leaves a newer decision alone', () => {
    expect(planRecalculation(silver, { downgradeDueSince: null, since: day(-1) }, gold, now, 30)).toMatchObject({
      kind: 'upgrade',
      to: gold,
    });
    expect(planRecalculation(silver, { downgradeDueSince: null, since: day(1) }, null, now, 30)).toEqual({
      kind: 'none',
      downgradeDueSince: null,
    });
  });

  it('counts a rolling window exclusive of its start, a calendar year inclusive', () => {
    const rolling = { window: 'rolling_months', windowMonths: 12 } as TierSettings;
    expect(qualifyingWindow(rolling, now)).toEqual({ start: new Date('2025-06-15T00:00:00Z'), end: now, startInclusive: false });
    const calendar = { window: 'calendar_year', windowMonths: 12 } as TierSettings;
    expect(qualifyingWindow(calendar, now)).toEqual({ start: new Date('2026-01-01T00:00:00Z'), end: now, startInclusive: true });
  });
});
