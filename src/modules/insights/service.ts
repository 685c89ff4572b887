import { sql, type SQL } from 'drizzle-orm';
import type { ExperimentRow } from '../../../schema';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db/database';
import { InvalidInputError } from '../../platform/errors';
import { DAY_MS } from '../../platform/time';
import { armOf, experimentsByIds, ExperimentNotFoundError } from '../experiments';
import { earnMonths, openLotsExpiryRange, openPointsByExpiryMonth, programTotals, type MonthRange } from '../ledger';
import { memberIdsEnrolledBeforeSql, memberIdsEnrolledSinceSql } from '../members';
import { anyOrderPlacedSince, memberIdsOrderingBeforeSql, monthlyCohorts } from '../history';
import { cohortActivity, countCustomersInWindows, type CountedOrdersScope, discountsGiven, memberWindows, periodTotals } from '../orders';
import { loadRules } from '../rules';
import { cohortTable, type CohortTable } from './domain/cohorts';
import { compareArms, type ExperimentComparison, type MemberWindows } from './domain/experiment-report';
import { earnCohort, pointsValue, share, type EarnCohort, type ExpiryBucket } from './domain/liability';
import { countPeriods, monthIndex, monthLabel, monthStart, periodSpans, type InsightPeriod, type Span } from './domain/periods';
import { retentionFigures, type RetentionFigures } from './domain/retention';
import { EMPTY_TOTALS, periodFigures, type PeriodFigures } from './domain/series';
import { scopeOf, type MemberFilter } from './scope';
import {
  cohortDefinitions,
  experimentDefinitions,
  liabilityDefinitions,
  purchaseDefinitions,
  retentionDefinitions,
} from './domain/definitions';

type Definitions = Array<{ term: string; meaning: string }>;

export interface RetentionReport extends RetentionFigures {
  from: Date;
  to: Date;
  activityWindowDays: number;
  definitions: Definitions;
}

export interface PurchaseSeries {
  period: InsightPeriod;
  currency: string;
  points: PeriodFigures[];
  definitions: Definitions;
}

export interface ExperimentReport extends ExperimentComparison {
  experiment: ExperimentRow;
  before: Span;
  during: Span;
  definitions: Definitions;
}

export interface LiabilityReport {
  programId: string;
  asOf: Date;
  currency: string;
  outstandingPoints: number;
  outstandingValue: number;
  byExpiryMonth: ExpiryBucket[];
  wallet: { cash: number; bonus: number; total: number };
  pointsEarned: number;
  pointsRedeemed: number;
  pointsExpired: number;
  redemptionRate: number | null;
  breakageRate: number | null;
  definitions: Definitions;
}

export interface PartnerFunding {
  discounts: number;
  partnerFunded: number;
  share: number | null;
}

/** Limits that keep one report to one bounded set of scans. */
export const MAX_ACTIVITY_WINDOW_DAYS = 3_660;
export const MAX_SERIES_POINTS = 400;
export const MAX_RETENTION_POINTS = 60;
export const MAX_COHORT_MONTHS = 24;
const MAX_EARN_MONTHS = 120;

function checkRange(from: Date, to: Date) {
  if (from.getTime() >= to.getTime()) throw new InvalidInputError([{ path: ['to'], message: '`to` must be after `from`' }]);
}

function checkWindow(days: number) {
  if (!Number.isInteger(days) || days < 1 || days > MAX_ACTIVITY_WINDOW_DAYS)
    throw new InvalidInputError([
      { path: ['activityWindowDays'], message: `a whole number of days from 1 to ${MAX_ACTIVITY_WINDOW_DAYS}` },
    ]);
}

/**
 * A CASE mapping a time column to the number of the range it falls in: ranges are contiguous and in
 * order, given by their exclusive ends; the first is numbered `first`.
 */
export function rangeNumber(ends: readonly number[], first = 0) {
  return (createdAt: SQL) =>
    sql`case ${sql.join(
      ends.map((end, index) => sql`when ${createdAt} < ${end} then ${first + index}`),
      sql` `,
    )} end`;
}

/**
 * The members an experiment report covers: those enrolled before `measuredUntil`, and those enrolled
 * later (imported after the fact) whose history says they were customers by then. The two sets are
 * disjoint, so `union all` needs no de-duplicating b-tree (at 100,000 members the union cost 90 ms
 * of CPU of the report's 500).
 */
export const experimentPopulation = (scope: CountedOrdersScope, measuredUntil: Date): SQL =>
  sql`${memberIdsEnrolledBeforeSql(scope.programId, measuredUntil, scope.members)} union all ${memberIdsOrderingBeforeSql(
    scope.programId,
    measuredUntil,
    memberIdsEnrolledSinceSql(scope.programId, measuredUntil, scope.members),
  )}`;

/** Month numbers (months since 0000-01) of [first, last] as ranges in milliseconds. */
export function monthRanges(first: number, last: number): MonthRange[] {
  const ranges: MonthRange[] = [];
  for (let month = first; month <= last; month++)
    ranges.push({ label: monthLabel(month), start: monthStart(month).getTime(), end: monthStart(month + 1).getTime() });
  return ranges;
}

export type InsightsService = ReturnType<typeof createInsightsService>;

/** Reports over members, orders and the ledger; each reads aggregates, never rows one by one. */
export function createInsightsService({ db, clock }: { db: Database; clock: Clock }) {
  async function retention(
    programId: string,
    input: { from: Date; to: Date; activityWindowDays: number } & MemberFilter,
  ): Promise<RetentionReport> {
    checkRange(input.from, input.to);
    checkWindow(input.activityWindowDays);
    return retentionWithin(await scopeOf(db, programId, input), input.from, input.to, input.activityWindowDays);
  }

  async function retentionWithin(scope: CountedOrdersScope, from: Date, to: Date, activityWindowDays: number): Promise<RetentionReport> {
    const window = activityWindowDays * DAY_MS;
    const at = (instant: Date) => ({ after: instant.getTime() - window, upTo: instant.getTime() });
    const counts = await countCustomersInWindows(db, scope, at(from), at(to));
    return {
      from,
      to,
      activityWindowDays,
      ...retentionFigures({ customersAtStart: counts.first, customersAtEnd: counts.second, newCustomers: counts.second - counts.both }),
      definitions: retentionDefinitions(activityWindowDays),
    };
  }

  return {
    retention,

    /** Retention of each period of [from, to): one retention report per period (S of one is E of the one before). */
    async retentionSeries(
      programId: string,
      input: { from: Date; to: Date; period: InsightPeriod; activityWindowDays: number } & MemberFilter,
    ) {
      checkRange(input.from, input.to);
      if (countPeriods(input.from, input.to, input.period) > MAX_RETENTION_POINTS)
        throw new InvalidInputError([
          { path: ['period'], message: `at most ${MAX_RETENTION_POINTS} periods; choose a longer period or a shorter range` },
        ]);
      checkWindow(input.activityWindowDays);
      const scope = await scopeOf(db, programId, input);
      // The periods' counts are independent reads: issued together, they share one round trip.
      const points = await Promise.all(
        periodSpans(input.from, input.to, input.period).map((span) =>
          retentionWithin(scope, span.start, span.end, input.activityWindowDays),
        ),
      );
      return { period: input.period, points };
    },

    async purchaseSeries(
      programId: string,
      input: { from: Date; to: Date; period: InsightPeriod } & MemberFilter,
    ): Promise<PurchaseSeries> {
      checkRange(input.from, input.to);
      if (countPeriods(input.from, input.to, input.period) > MAX_SERIES_POINTS)
        throw new InvalidInputError([
          { path: ['period'], message: `at most ${MAX_SERIES_POINTS} periods; choose a longer period or a shorter range` },
        ]);
      const spans = periodSpans(input.from, input.to, input.period);
      const [scope, rules] = await Promise.all([scopeOf(db, programId, input), loadRules(db, programId)]);
      const rows = await periodTotals(
        db,
        scope,
        input.from.getTime(),
        input.to.getTime(),
        rangeNumber(spans.map((span) => span.end.getTime())),
      );
      const byBucket = new Map(rows.map((row) => [row.bucket, row]));
      return {
        period: input.period,
        currency: rules.currency,
        points: spans.map((span, index) => {
          const row = byBucket.get(index);
          return periodFigures(span, row ? { ...row, gapDaysTotal: row.gapMs / DAY_MS } : EMPTY_TOTALS);
        }),
        definitions: purchaseDefinitions,
      };
    },

    /** Members by month of first counted order over the `months` months up to `to` (now by default), and the share buying each month since. */
    async cohorts(
      programId: string,
      input: { months: number; to: Date | null } & MemberFilter,
    ): Promise<CohortTable & { definitions: Definitions }> {
      if (!Number.isInteger(input.months) || input.months < 1 || input.months > MAX_COHORT_MONTHS)
        throw new InvalidInputError([{ path: ['months'], message: `a whole number of months from 1 to ${MAX_COHORT_MONTHS}` }]);
      const to = input.to ?? clock.now();
      const lastMonth = monthIndex(new Date(to.getTime() - 1));
      const firstMonth = lastMonth - input.months + 1;
      const months = monthRanges(firstMonth, lastMonth);
      const scope = await scopeOf(db, programId, input);
      // The daily activity, read by month, answers exactly unless `to` cuts its last month short before orders placed later that month.
      const wholeLastMonth = to.getTime() === months.at(-1)!.end || !(await anyOrderPlacedSince(db, programId, to));
      const rows = wholeLastMonth
        ? await monthlyCohorts(db, scope, firstMonth, lastMonth)
        : await cohortActivity(
            db,
            scope,
            months[0]!.start,
            to.getTime(),
            rangeNumber(
              months.map((month) => month.end),
              firstMonth,
            ),
          );
      const sizes = new Map<number, number>();
      const buyers = new Map<string, number>();
      for (const row of rows) {
        if (row.month === row.firstMonth) sizes.set(row.firstMonth, row.members);
        buyers.set(`${row.firstMonth}:${row.month}`, row.members);
      }
      return { ...cohortTable(firstMonth, lastMonth, sizes, buyers), definitions: cohortDefinitions };
    },

    /**
     * Treatment against control during the experiment (up to now while it runs) and in the equally
     * long period before it: members enrolled before the end of what is measured (in its segment,
     * as last refreshed), each in the arm its hash gives, with their counted orders.
     */
    async experimentReport(programId: string, experimentId: string): Promise<ExperimentReport> {
      const [experiment] = await experimentsByIds(db, programId, [experimentId]);
      if (!experiment) throw new ExperimentNotFoundError(experimentId);
      const now = clock.now().getTime();
      const start = experiment.startsAt.getTime();
      const end = Math.max(start, Math.min(experiment.endsAt.getTime(), now));
      const length = end - start;
      const windows = { earlier: start - 2 * length, before: start - length, during: start, end };
      const scope = await scopeOf(db, programId, { segmentId: experiment.segmentId, tierId: null });
      const rows = await memberWindows(db, scope, windows, experimentPopulation(scope, new Date(Math.max(end, start + 1))));
      const members = function* (): Generator<MemberWindows> {
        for (const row of rows)
          yield {
            arm: armOf(experiment.salt, row.memberId, experiment.holdoutBasisPoints),
            boughtEarlier: row.boughtEarlier,
            before: row.before,
            during: row.during,
          };
      };
      return {
        experiment,
        before: { start: new Date(windows.before), end: new Date(start) },
        during: { start: new Date(start), end: new Date(end) },
        ...compareArms(members(), now < experiment.endsAt.getTime()),
        definitions: experimentDefinitions,
      };
    },

    /** What the program owes: open points by expiry month and their value, wallets, and what became of the points earned. */
    async liability(programId: string): Promise<LiabilityReport> {
      const asOf = clock.now();
      const rules = await loadRules(db, programId);
      const [range, totals] = await Promise.all([openLotsExpiryRange(db, programId), programTotals(db, programId, rules.currency)]);
      const expiring =
        range.first === null || range.last === null
          ? []
          : await openPointsByExpiryMonth(db, programId, monthRanges(monthIndex(new Date(range.first)), monthIndex(new Date(range.last))));
      const value = (points: number) => pointsValue(points, rules);
      const byExpiryMonth: ExpiryBucket[] = expiring
        .filter((bucket) => bucket.points > 0)
        .map((bucket) => ({ month: bucket.month, points: bucket.points, value: value(bucket.points) }));
      if (range.never > 0) byExpiryMonth.push({ month: null, points: range.never, value: value(range.never) });
      const outstandingPoints = byExpiryMonth.reduce((total, bucket) => total + bucket.points, 0);
      // Every point issued (earned, bonuses, adjustments, net of clawbacks) is still open, redeemed or expired.
      const issued = outstandingPoints + totals.redeemed + totals.expired;
      return {
        programId,
        asOf,
        currency: rules.currency,
        outstandingPoints,
        outstandingValue: value(outstandingPoints),
        byExpiryMonth,
        wallet: { cash: totals.walletCash, bonus: totals.walletBonus, total: totals.walletCash + totals.walletBonus },
        pointsEarned: issued,
        pointsRedeemed: totals.redeemed,
        pointsExpired: totals.expired,
        redemptionRate: share(totals.redeemed, issued),
        breakageRate: share(totals.expired, issued),
        definitions: liabilityDefinitions,
      };
    },

    /** The points earned in each of the `months` months up to `asOf`'s and what became of them (breakage so far); oldest first. */
    async earnCohorts(programId: string, asOf: Date, months: number): Promise<EarnCohort[]> {
      if (!Number.isInteger(months) || months < 1 || months > MAX_EARN_MONTHS)
        throw new InvalidInputError([{ path: ['months'], message: `a whole number of months from 1 to ${MAX_EARN_MONTHS}` }]);
      const last = monthIndex(asOf);
      const first = last - months + 1;
      const kept = new Map((await earnMonths(db, programId, first, last)).map((row) => [row.month, row]));
      return Array.from({ length: months }, (_, index) => {
        const row = kept.get(first + index);
        return earnCohort(monthLabel(first + index), row?.earned ?? 0, row?.expired ?? 0, row?.outstanding ?? 0);
      });
    },

    /** Discounts given on orders, and the part partners paid for (their share of voucher discounts). */
    async partnerFunding(programId: string, currency: string): Promise<PartnerFunding> {
      const [discounts, totals] = await Promise.all([discountsGiven(db, programId, currency), programTotals(db, programId, currency)]);
      return { discounts, partnerFunded: totals.partnerFunded, share: share(totals.partnerFunded, discounts) };
    },
  };
}
