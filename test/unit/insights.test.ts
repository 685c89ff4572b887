import { describe, expect, it } from 'vitest';
import { armOf, BUCKETS, sha256Leading32, splitBucket } from '../../src/modules/experiments/domain/split';
import { compareArms, type MemberWindows } from '../../src/modules/insights/domain/experiment-report';
import { cohortTable } from '../../src/modules/insights/domain/cohorts';
import { countPeriods, periodSpans } from '../../src/modules/insights/domain/periods';
import { retentionFigures } from '../../src/modules/insights/domain/retention';
import { newcombe, relativeLift, sampleOfValues, welch, wilson } from '../../src/modules/insights/domain/statistics';

describe('statistics against textbook values', () => {
  it('Welch: the example of Welch’s t-test on Wikipedia (t = −2.46, ν = 24.99, p = 0.021)', () => {
    const a1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const a2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
    const result = welch(sampleOfValues(a1), sampleOfValues(a2));
    expect(result.value).toBeCloseTo(-2.1667, 4);
    expect(result.degreesOfFreedom).toBeCloseTo(24.99, 2);
    expect(result.pValue).toBeCloseTo(0.0214, 4);
    // The interval is value ± t(0.975, ν) × SE, with t = value / SE = −2.46.
    const standardError = (result.high! - result.low!) / 2 / 2.0595;
    expect(result.value / standardError).toBeCloseTo(-2.46, 2);
  });

  it('Wilson: Newcombe (1998) table I, score method', () => {
    for (const [successes, n, low, high] of [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ] as const) {
      const interval = wilson(successes, n)!;
      expect(interval.low).toBeCloseTo(low, 4);
      expect(interval.high).toBeCloseTo(high, 4);
    }
    expect(wilson(0, 0)).toBeNull();
  });

  it('Newcombe: hybrid score interval (method 10) for a difference of proportions, Newcombe (1998)', () => {
    const a = newcombe({ successes: 56, n: 70 }, { successes: 48, n: 80 })!;
    expect([a.value, a.low, a.high]).toEqual([expect.closeTo(0.2, 6), expect.closeTo(0.0524, 4), expect.closeTo(0.3339, 4)]);
    const b = newcombe({ successes: 9, n: 10 }, { successes: 3, n: 10 })!;
    expect([b.low, b.high]).toEqual([expect.closeTo(0.1705, 4), expect.closeTo(0.809, 4)]);
    // Pooled z-test: 9/10 vs 3/10 gives z = 2.74, p = 0.0062.
    expect(b.pValue).toBeCloseTo(0.0062, 4);
  });

  it('relative lift: Katz log interval for a ratio of proportions', () => {
    // 56/70 vs 48/80: ratio 1.3333; var(log RR) = 0.2/56 + 0.4/48 = 0.011905, so exp(0.28768 ± 1.95996 × 0.10911) = 1.0766 to 1.6512.
    const lift = relativeLift({ value: 0.8, varianceOfMean: (0.8 * 0.2) / 70 }, { value: 0.6, varianceOfMean: (0.6 * 0.4) / 80 }, null)!;
    expect(lift.value).toBeCloseTo(0.3333, 4);
    expect(lift.low! + 1).toBeCloseTo(1.0766, 4);
    expect(lift.high! + 1).toBeCloseTo(1.6512, 4);
  });
});

describe('the split into treatment and control', () => {
  const ids = Array.from({ length: 100_000 }, (_, n) => `0190${n.toString(16).padStart(8, '0')}-7000-8000-${n}`);

  it('gives every member the same bucket every time, and a different split per salt', () => {
    expect(splitBucket('experiment:a', 'member-1')).toBe(splitBucket('experiment:a', 'member-1'));
    const a = ids.slice(0, 1000).map((id) => armOf('experiment:a', id, 5000));
    const b = ids.slice(0, 1000).map((id) => armOf('experiment:b', id, 5000));
    expect(a).toEqual(ids.slice(0, 1000).map((id) => armOf('experiment:a', id, 5000)));
    expect(a.filter((arm, index) => arm !== b[index]).length).toBeGreaterThan(400);
  });

  it('puts the holdout share in control within 1 % on 100,000 ids, for small and large holdouts', () => {
    const buckets = ids.map((id) => splitBucket('experiment:balance', id));
    for (const holdout of [500, 2000, 5000, 9000]) {
      // armOf is `bucket < holdout`: count those.
      const control = buckets.filter((bucket) => bucket < holdout).length;
      expect(armOf('experiment:balance', ids[0]!, holdout) === 'control').toBe(buckets[0]! < holdout);
      expect(Math.abs(control / ids.length - holdout / BUCKETS)).toBeLessThan(0.01);
    }
  });

  it('is the same function of salt and member id as when experiments began: pinned buckets, either way of hashing', () => {
    // SHA-256("experiment:a:member-1") starts with 0xebded7fc, i.e. bucket 9213; these never change.
    expect(splitBucket('experiment:a', 'member-1')).toBe(9213);
    expect(splitBucket('global:acme', 'M00000042')).toBe(144);
    expect(splitBucket('s', 'é-ü-日本')).toBe(1957);
    for (const id of [...ids.slice(0, 5000), '', 'é-ü-日本', 'x'.repeat(300)])
      expect(sha256Leading32.oneCall(`experiment:a:${id}`)).toBe(sha256Leading32.hashObject(`experiment:a:${id}`));
  });

  it('only adds members to control when the share grows (the bucket is fixed)', () => {
    for (const id of ids.slice(0, 2000))
      if (armOf('global:acme', id, 1000) === 'control') expect(armOf('global:acme', id, 2000)).toBe('control');
  });
});

describe('retention figures', () => {
  it('rate = ((E − N) / S) × 100 and churn = 100 − rate', () => {
    expect(retentionFigures({ customersAtStart: 200, customersAtEnd: 180, newCustomers: 30 })).toMatchObject({
      retainedCustomers: 150,
      lostCustomers: 50,
      rate: 75,
      churn: 25,
    });
  });
  it('is undefined without customers at the start, with a reason', () => {
    expect(retentionFigures({ customersAtStart: 0, customersAtEnd: 5, newCustomers: 5 })).toMatchObject({ rate: null, churn: null });
  });
  it('refuses counts that cannot come from one population', () => {
    expect(() => retentionFigures({ customersAtStart: 1, customersAtEnd: 5, newCustomers: 1 })).toThrow(RangeError);
  });
});

describe('periods', () => {
  it('cuts a range at calendar boundaries in UTC, clipped to the range, covering it exactly', () => {
    const spans = periodSpans(new Date('2026-01-15T12:00:00Z'), new Date('2026-03-10T00:00:00Z'), 'month');
    expect(spans.map((span) => [span.start.toISOString(), span.end.toISOString()])).toEqual([
      ['2026-01-15T12:00:00.000Z', '2026-02-01T00:00:00.000Z'],
      ['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
      ['2026-03-01T00:00:00.000Z', '2026-03-10T00:00:00.000Z'],
    ]);
    // 2026-11-23 is a Monday: ISO weeks start there.
    const weeks = periodSpans(new Date('2026-11-20T00:00:00Z'), new Date('2026-12-01T00:00:00Z'), 'week');
    expect(weeks.map((span) => span.start.toISOString().slice(0, 10))).toEqual(['2026-11-20', '2026-11-23', '2026-11-30']);
    for (const period of ['day', 'week', 'month'] as const) {
      const from = new Date('2025-12-30T05:00:00Z');
      const to = new Date('2026-04-02T07:00:00Z');
      expect(countPeriods(from, to, period)).toBe(periodSpans(from, to, period).length);
    }
  });
});

describe('cohort table', () => {
  it('has a cell per month since the cohort’s own, zero where nobody bought, 100 % in month 0', () => {
    const table = cohortTable(
      24_300,
      24_302,
      new Map([[24_300, 4]]),
      new Map([
        ['24300:24300', 4],
        ['24300:24302', 1],
      ]),
    );
    expect(table.cohorts.map((cohort) => [cohort.month, cohort.members, cohort.cells.map((cell) => cell.share)])).toEqual([
      ['2025-01', 4, [100, 0, 25]],
      ['2025-02', 0, [0, 0]],
      ['2025-03', 0, [0]],
    ]);
  });
});

describe('experiment comparison', () => {
  /** Members whose order counts are fixed by their index: deterministic, with an effect of `lift` orders on treatment. */
  function members(count: number, lift: number): MemberWindows[] {
    return Array.from({ length: count }, (_, n) => {
      const arm = n % 5 === 0 ? ('control' as const) : ('treatment' as const);
      const base = n % 3;
      const during = base + (arm === 'treatment' ? lift : 0) * (n % 2);
      return {
        arm,
        boughtEarlier: n % 4 !== 0,
        before: { orders: base, spend: base * 1000, orderValueSquares: base * 1_000_000 },
        during: { orders: during, spend: during * 1000, orderValueSquares: during * 1_000_000 },
      };
    });
  }

  it('detects a planted lift in orders per member, and its difference in differences', () => {
    const report = compareArms(members(2000, 1), false);
    const orders = report.comparisons.find((comparison) => comparison.metric === 'orders_per_member')!;
    expect(orders.absoluteLift!.value).toBeGreaterThan(0.4);
    expect(orders.absoluteLift!.pValue).toBeLessThan(0.001);
    expect(orders.absoluteLift!.low).toBeGreaterThan(0);
    expect(orders.differenceInDifferences!.low).toBeGreaterThan(0);
    expect(report.warnings).toEqual([]);
  });

  it('finds nothing when there is no effect: the interval holds 0', () => {
    const report = compareArms(members(2000, 0), false);
    for (const comparison of report.comparisons) {
      if (!comparison.absoluteLift || comparison.absoluteLift.low === null) continue;
      expect(comparison.absoluteLift.low, comparison.metric).toBeLessThanOrEqual(0);
      expect(comparison.absoluteLift.high, comparison.metric).toBeGreaterThanOrEqual(0);
    }
  });

  it('warns in plain words when a group is too small, and while the experiment runs', () => {
    const report = compareArms(members(40, 1), true);
    expect(report.warnings.join(' ')).toMatch(/still running/);
    expect(report.warnings.join(' ')).toMatch(/control group has 8 members, fewer than 100/);
  });
});
