import type { ExperimentMetric } from './queries';

/** How the page writes numbers: one place, so that a chart's labels and its table read the same. */

const EMPTY = '–';

const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

export const count = (value: number) => decimal.format(value);

/** A figure that may be undefined (no customers at the start, no orders …). */
export const optional = (value: number | null, write: (value: number) => string = count) => (value === null ? EMPTY : write(value));

/** A value already in percent (the API's rates and shares). */
export const percent = (value: number) => `${decimal.format(value)} %`;

/** A fraction written as a signed percentage (a relative lift of 0.12 is +12 %). */
export const signedPercentOfFraction = (value: number) => `${value > 0 ? '+' : ''}${decimal.format(value * 100)} %`;

export const signed = (value: number) => `${value > 0 ? '+' : ''}${decimal.format(value)}`;

/** Minor units of `currency` as money: 123456 EUR → €1,234.56. */
export function money(minorUnits: number, currency: string): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** digits);
}

/** An interval [low, high], or a dash when the API could not give one. */
export const interval = (low: number | null, high: number | null, write: (value: number) => string) =>
  low === null || high === null ? EMPTY : `[${write(low)}, ${write(high)}]`;

/** The day a period starts, as the API's UTC instant: 2026-03-01. */
export const day = (instant: string) => instant.slice(0, 10);

/** A yyyy-mm month as written for people: Mar 2026 (UTC, as the API counts months). */
export function month(yearMonth: string): string {
  const [year, monthNumber] = yearMonth.split('-').map(Number);
  return new Date(Date.UTC(year!, monthNumber! - 1, 1)).toLocaleDateString('en', { month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** What the experiment report's metrics are called on the page. */
export const METRIC_NAMES: Record<ExperimentMetric, string> = {
  BUYER_RATE: 'Buyer rate',
  RETENTION_RATE: 'Retention rate',
  ORDERS_PER_MEMBER: 'Orders per member',
  SPEND_PER_MEMBER: 'Spend per member',
  AVERAGE_ORDER_VALUE: 'Average order value',
};
