import type { LimitPeriod, LimitWindow } from '../../../../schema';
import { addMonthsUtc, DAY_MS } from '../../../platform/time';

/**
 * Where the period a per-member limit counts in began, as of `now`. Calendar periods are UTC: the
 * day from midnight, the ISO week from Monday, the month from the 1st, the year from 1 January.
 * Rolling periods end now: the last 24 hours, 7 days, month or 12 months.
 */
export function limitPeriodStart(period: LimitPeriod, window: LimitWindow, now: Date): Date {
  if (window === 'rolling') {
    if (period === 'day') return new Date(now.getTime() - DAY_MS);
    if (period === 'week') return new Date(now.getTime() - 7 * DAY_MS);
    return addMonthsUtc(now, period === 'month' ? -1 : -12);
  }
  const [year, month, day] = [now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()];
  if (period === 'day') return new Date(Date.UTC(year, month, day));
  if (period === 'week') return new Date(Date.UTC(year, month, day - ((now.getUTCDay() + 6) % 7)));
  if (period === 'month') return new Date(Date.UTC(year, month, 1));
  return new Date(Date.UTC(year, 0, 1));
}

/** For each offer whose per-member limit counts per period: since when its redemptions count. */
export function usageWindows(
  offers: Array<{ id: string; perMemberLimit: number | null; perMemberLimitPeriod: LimitPeriod | null; perMemberLimitWindow: LimitWindow }>,
  now: Date,
): Map<string, Date> {
  return new Map(
    offers.flatMap((offer) =>
      offer.perMemberLimit !== null && offer.perMemberLimitPeriod !== null
        ? [[offer.id, limitPeriodStart(offer.perMemberLimitPeriod, offer.perMemberLimitWindow, now)] as const]
        : [],
    ),
  );
}
