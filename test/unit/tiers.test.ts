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
import { forecastDowngrade, recalculationSchedule, recalculationsBetween } from '../../src/modules/tiers/downgrade-forecast';

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

describe('downgrade forecast', () => {
  const settings: TierSettings = {
    metric: 'spend',
    window: 'rolling_months',
    windowMonths: 12,
    downgradeGraceDays: 5,
    pendingPointsCount: 'at_vesting',
  };
  const runs = recalculationsBetween(now, day(60));
  const horizon = (vestingDays: number) => recalculationSchedule(runs, settings, vestingDays);
  // Silver held on an order that leaves the window in a day; a newer one is still pending.
  const orders = [
    { placedAt: new Date(Date.UTC(2025, 5, 16, 12)), value: 100 },
    { placedAt: day(-1), value: 100 },
  ];
  const forecast = (vestingDays: number) =>
    forecastDowngrade({
      tier: silver,
      tiers,
      state: { since: day(-100), downgradeDueSince: null },
      orders,
      settings,
      recalculations: horizon(vestingDays),
    });

  it('replays the coming recalculations: the grace clock starts at the first that finds the member below, the downgrade comes grace days later', () => {
    // Pending for 10 days: it vests after the grace is over.
    expect(forecast(10)).toMatchObject({ downgradeAt: new Date('2026-06-22T02:30:00Z'), to: null, metricAtDowngrade: 0, missing: 100 });
    // Gold, below it already, with the clock running since yesterday's recalculation: it counts from then.
    const running = forecastDowngrade({
      tier: gold,
      tiers,
      state: { since: day(-100), downgradeDueSince: new Date('2026-06-14T02:30:00Z') },
      orders,
      settings,
      recalculations: horizon(0),
    });
    expect(running).toMatchObject({ downgradeAt: new Date('2026-06-19T02:30:00Z'), to: silver, metricAtDowngrade: 100, missing: 400 });
  });

  it('finds no downgrade when a pending order vests within the grace period', () => {
    expect(forecast(3)).toBeNull();
  });

  it('lists the recalculations of the cron, daily at 02:30 UTC, from the first at or after the start', () => {
    expect(recalculationsBetween(new Date('2026-06-15T02:30:00Z'), new Date('2026-06-17T02:30:00Z'))).toEqual([
      new Date('2026-06-15T02:30:00Z'),
      new Date('2026-06-16T02:30:00Z'),
      new Date('2026-06-17T02:30:00Z'),
    ]);
  });
});
