/**
 * The same instant `months` later (or earlier, when negative), in UTC; when the target month is
 * shorter, the last day of that month (Jan 31 + 1 month = Feb 28, or Feb 29 in a leap year).
 */
export function addMonthsUtc(from: Date, months: number): Date {
  const target = new Date(from);
  const day = target.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}

export function startOfUtcYear(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), 0, 1));
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Days since 1970-01-01 UTC (members' daily activity is kept per such day). */
export const dayNumber = (at: Date) => Math.floor(at.getTime() / DAY_MS);

/** Months since year 0 (year × 12 + month − 1), UTC: reports by month are kept per such month. */
export const monthIndex = (at: Date) => at.getUTCFullYear() * 12 + at.getUTCMonth();

/** The first instant of a month number. */
export const monthStart = (index: number) => new Date(Date.UTC(Math.floor(index / 12), index % 12, 1));

/** A month number as `2026-03`. */
export const monthLabel = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
