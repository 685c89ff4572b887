/** The calendar periods a series is cut into, in UTC: days, ISO weeks (from Monday) or months. */
export const insightPeriods = ['day', 'week', 'month'] as const;
export type InsightPeriod = (typeof insightPeriods)[number];

export interface Span {
  /** Inclusive. */
  start: Date;
  /** Exclusive. */
  end: Date;
}

/** The start of the calendar period (UTC) that holds `at`. */
export function periodStart(at: Date, period: InsightPeriod): Date {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  if (period === 'day') return new Date(day);
  if (period === 'week') return new Date(day - ((at.getUTCDay() + 6) % 7) * 86_400_000);
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** The start of the period after the one that starts at `start`. */
export function nextPeriodStart(start: Date, period: InsightPeriod): Date {
  if (period === 'day') return new Date(start.getTime() + 86_400_000);
  if (period === 'week') return new Date(start.getTime() + 7 * 86_400_000);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

/**
 * [from, to) cut at the calendar boundaries of `period`: the first and last spans are clipped to
 * `from` and `to`, so the spans cover the range exactly, each instant once.
 */
export function periodSpans(from: Date, to: Date, period: InsightPeriod): Span[] {
  const spans: Span[] = [];
  for (let start = from; start < to; ) {
    const end = new Date(Math.min(nextPeriodStart(periodStart(start, period), period).getTime(), to.getTime()));
    spans.push({ start, end });
    start = end;
  }
  return spans;
}

/** How many spans `periodSpans` would cut, without building them (to refuse a too-long series early). */
export function countPeriods(from: Date, to: Date, period: InsightPeriod): number {
  if (from >= to) return 0;
  if (period === 'month') {
    const months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth();
    return months + (to.getTime() > Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), 1) ? 1 : 0);
  }
  const length = period === 'day' ? 86_400_000 : 7 * 86_400_000;
  return Math.ceil((to.getTime() - periodStart(from, period).getTime()) / length);
}

/** Months since 0000-01 (UTC) of an instant: cohort arithmetic without dates. */
export { monthIndex, monthLabel, monthStart } from '../../../platform/time';
