import { Cron } from 'croner';
import { countedOrders, planRecalculation, tierFor, type Tier, type TierSettings } from './domain';

/** When the recalculate-tiers job runs (UTC); the job schedule maps this expression to it. */
export const TIER_RECALCULATION_CRON = '30 2 * * *';

export interface MeasuredOrder {
  placedAt: Date;
  value: number;
}

export interface DowngradeForecast {
  tier: Tier;
  /** The tier the member falls to (null: none). */
  to: Tier | null;
  /** The recalculation that would downgrade the member if nothing changes. */
  downgradeAt: Date;
  /** The qualifying metric then, and what it lacks to keep the tier. */
  metricAtDowngrade: number;
  missing: number;
}

/** A coming recalculation, and which orders count at it (the same for every member: computed once). */
export interface Recalculation {
  at: Date;
  counted: ReturnType<typeof countedOrders>;
}

/**
 * The member's qualifying metric at a coming recalculation if no order is added: the orders it
 * counts (the window, and vesting), summed over prefix sums.
 */
function metricOverTime(orders: MeasuredOrder[]) {
  const sorted = [...orders].sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime());
  const times = sorted.map((order) => order.placedAt.getTime());
  const prefix = [0];
  for (const order of sorted) prefix.push(prefix.at(-1)! + order.value);
  // How many orders are placed before `time` (or at it, when `inclusive`).
  const countUpTo = (time: number, inclusive: boolean) => {
    let [low, high] = [0, times.length];
    while (low < high) {
      const middle = (low + high) >> 1;
      if (times[middle]! < time || (inclusive && times[middle] === time)) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  return ({ counted: { start, end, startInclusive } }: Recalculation) => {
    const from = countUpTo(start.getTime(), !startInclusive);
    const to = countUpTo(end.getTime(), true);
    return to > from ? prefix[to]! - prefix[from]! : 0;
  };
}

/** The last schedule computed: every chunk of a run asks for the same one, and croner takes a while. */
let lastSchedule: { key: string; runs: Date[] } | null = null;

/** Every tier recalculation in [from, until], in order. */
export function recalculationsBetween(from: Date, until: Date): Date[] {
  const key = `${from.getTime()}:${until.getTime()}`;
  if (lastSchedule?.key === key) return lastSchedule.runs;
  const schedule = new Cron(TIER_RECALCULATION_CRON, { timezone: 'UTC' });
  const runs: Date[] = [];
  for (let next = schedule.nextRun(new Date(from.getTime() - 1)); next && next <= until; next = schedule.nextRun(next)) runs.push(next);
  lastSchedule = { key, runs };
  return runs;
}

/** The coming recalculations with what each counts, for a program's settings. */
export function recalculationSchedule(runs: Date[], settings: TierSettings, vestingDays: number): Recalculation[] {
  return runs.map((at) => ({ at, counted: countedOrders(settings, at, vestingDays) }));
}

/**
 * When recalculation would downgrade a member holding `tier` if they place no further order: the
 * coming recalculations (`recalculations`, in order) replayed with `planRecalculation`, each on the
 * metric as it will be then (orders leave the window, pending ones vest), the grace clock carried
 * from one to the next as the job stores it. Null when none of them downgrades (or one upgrades).
 */
export function forecastDowngrade(input: {
  tier: Tier;
  tiers: Tier[];
  state: { since: Date; downgradeDueSince: Date | null };
  orders: MeasuredOrder[];
  settings: TierSettings;
  recalculations: Recalculation[];
}): DowngradeForecast | null {
  const { tier, tiers, settings } = input;
  const metricAt = metricOverTime(input.orders);
  let downgradeDueSince = input.state.downgradeDueSince;
  for (const recalculation of input.recalculations) {
    const { at } = recalculation;
    const metric = metricAt(recalculation);
    const qualifying = tierFor(tiers, metric);
    const change = planRecalculation(tier, { since: input.state.since, downgradeDueSince }, qualifying, at, settings.downgradeGraceDays);
    if (change.kind === 'upgrade') return null;
    if (change.kind === 'downgrade')
      return { tier, to: change.to, downgradeAt: at, metricAtDowngrade: metric, missing: tier.threshold - metric };
    downgradeDueSince = change.downgradeDueSince;
  }
  return null;
}
