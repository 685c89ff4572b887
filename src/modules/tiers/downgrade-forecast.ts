import { Cron } from 'croner';
import { addMonthsUtc, DAY_MS } from '../../platform/time';
import { countedOrders, tierFor, type Tier, type TierSettings } from './domain';

/** When the recalculate-tiers job runs (UTC); the job schedule maps this expression to it. */
export const TIER_RECALCULATION_CRON = '30 2 * * *';

/** The first tier recalculation at or after `at`. */
export function recalculationAtOrAfter(at: Date): Date {
  return new Cron(TIER_RECALCULATION_CRON, { timezone: 'UTC' }).nextRun(new Date(at.getTime() - 1))!;
}

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

/**
 * The member's qualifying metric at any instant from now on, if no order is added: the orders
 * `countedOrders` counts at that instant (the window, and vesting), summed over prefix sums.
 */
function metricOverTime(orders: MeasuredOrder[], settings: TierSettings, vestingDays: number) {
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
  return (at: Date) => {
    const { start, end, startInclusive } = countedOrders(settings, at, vestingDays);
    const from = countUpTo(start.getTime(), !startInclusive);
    const to = countUpTo(end.getTime(), true);
    return to > from ? prefix[to]! - prefix[from]! : 0;
  };
}

/**
 * The instants after which an order may stop counting: the window's start passes it (a rolling
 * window: `months` after it, or the 1st of the month after that when a shorter month clamps the
 * day; a calendar year: the next 1 January). The metric only falls at these instants.
 */
function dropOutInstants(orders: MeasuredOrder[], settings: TierSettings): number[] {
  return orders.flatMap(({ placedAt }) => {
    if (settings.window === 'calendar_year') return [Date.UTC(placedAt.getUTCFullYear() + 1, 0, 1)];
    const after = addMonthsUtc(placedAt, settings.windowMonths);
    return [after.getTime(), Date.UTC(after.getUTCFullYear(), after.getUTCMonth() + 1, 1)];
  });
}

/**
 * When recalculation would downgrade a member holding `tier` if they place no further order, as
 * `planRecalculation` decides: the metric first falls below the tier (now, or when an order leaves
 * the window), the next recalculation finds the downgrade due and starts the grace clock (or the
 * clock already runs), and the first recalculation `downgradeGraceDays` later downgrades. Null when
 * that is after `until`.
 */
export function forecastDowngrade(input: {
  tier: Tier;
  tiers: Tier[];
  downgradeDueSince: Date | null;
  orders: MeasuredOrder[];
  settings: TierSettings;
  vestingDays: number;
  now: Date;
  until: Date;
}): DowngradeForecast | null {
  const { tier, tiers, settings, now, until } = input;
  const metricAt = metricOverTime(input.orders, settings, input.vestingDays);
  const below = (at: Date) => (tierFor(tiers, metricAt(at))?.threshold ?? -1) < tier.threshold;
  const candidates = [now.getTime(), ...dropOutInstants(input.orders, settings)]
    .filter((time) => time >= now.getTime() && time <= until.getTime())
    .sort((a, b) => a - b);
  const fallsAt = candidates.map((time) => new Date(time)).find(below);
  if (!fallsAt) return null;
  const clockStart =
    input.downgradeDueSince && fallsAt.getTime() === now.getTime() ? input.downgradeDueSince : recalculationAtOrAfter(fallsAt);
  const downgradeAt = recalculationAtOrAfter(new Date(clockStart.getTime() + settings.downgradeGraceDays * DAY_MS));
  if (downgradeAt > until) return null;
  const metricAtDowngrade = metricAt(downgradeAt);
  return { tier, to: tierFor(tiers, metricAtDowngrade), downgradeAt, metricAtDowngrade, missing: tier.threshold - metricAtDowngrade };
}
