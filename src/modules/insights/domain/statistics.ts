import jStat from 'jstat';

/**
 * Two-group comparisons at 95 % confidence. The distributions (normal and Student's t quantiles and
 * tails) come from jStat; the formulas that combine them are the textbook ones named on each.
 */
export const CONFIDENCE = 0.95;
const z = () => jStat.normal.inv(1 - (1 - CONFIDENCE) / 2, 0, 1);

/** A difference (or ratio − 1) with its 95 % interval and two-sided p-value; null parts where undefined. */
export interface Estimate {
  value: number;
  low: number | null;
  high: number | null;
  pValue: number | null;
}

/** The summary of one group's per-unit values: count, mean and sample variance (n − 1). */
export interface Sample {
  n: number;
  mean: number;
  variance: number;
}

/** Count, sum and sum of squares: what a database aggregate gives, turned into a Sample. */
export function sampleOf(n: number, sum: number, sumOfSquares: number): Sample {
  const mean = n === 0 ? 0 : sum / n;
  const variance = n < 2 ? 0 : Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1));
  return { n, mean, variance };
}

export const sampleOfValues = (values: readonly number[]) =>
  sampleOf(
    values.length,
    values.reduce((total, value) => total + value, 0),
    values.reduce((total, value) => total + value * value, 0),
  );

const twoSidedNormalP = (statistic: number) => 2 * (1 - jStat.normal.cdf(Math.abs(statistic), 0, 1));

/**
 * Welch's t-test for the difference of two means (treatment − control), unequal variances, with
 * Welch–Satterthwaite degrees of freedom. Undefined (null interval) with fewer than two per group.
 */
export function welch(treatment: Sample, control: Sample): Estimate & { degreesOfFreedom: number | null } {
  const value = treatment.mean - control.mean;
  if (treatment.n < 2 || control.n < 2) return { value, low: null, high: null, pValue: null, degreesOfFreedom: null };
  const a = treatment.variance / treatment.n;
  const b = control.variance / control.n;
  const standardError = Math.sqrt(a + b);
  if (standardError === 0) return { value, low: value, high: value, pValue: value === 0 ? 1 : 0, degreesOfFreedom: null };
  const degreesOfFreedom = (a + b) ** 2 / (a ** 2 / (treatment.n - 1) + b ** 2 / (control.n - 1));
  const quantile = jStat.studentt.inv(1 - (1 - CONFIDENCE) / 2, degreesOfFreedom);
  const t = value / standardError;
  return {
    value,
    low: value - quantile * standardError,
    high: value + quantile * standardError,
    pValue: 2 * (1 - jStat.studentt.cdf(Math.abs(t), degreesOfFreedom)),
    degreesOfFreedom,
  };
}

/** Wilson's score interval for a proportion `successes / n` (null when n = 0). */
export function wilson(successes: number, n: number): { low: number; high: number } | null {
  if (n === 0) return null;
  const quantile = z();
  const p = successes / n;
  const denominator = 1 + quantile ** 2 / n;
  const centre = (p + quantile ** 2 / (2 * n)) / denominator;
  const halfWidth = (quantile * Math.sqrt((p * (1 - p)) / n + quantile ** 2 / (4 * n * n))) / denominator;
  return { low: Math.max(0, centre - halfWidth), high: Math.min(1, centre + halfWidth) };
}

export interface Proportion {
  successes: number;
  n: number;
}

/**
 * The difference of two proportions (treatment − control): Newcombe's hybrid score interval (his
 * method 10, from the two Wilson intervals) and the pooled two-proportion z-test's p-value.
 */
export function newcombe(treatment: Proportion, control: Proportion): Estimate | null {
  const a = wilson(treatment.successes, treatment.n);
  const b = wilson(control.successes, control.n);
  if (!a || !b) return null;
  const p1 = treatment.successes / treatment.n;
  const p2 = control.successes / control.n;
  const value = p1 - p2;
  const low = value - Math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2);
  const high = value + Math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2);
  const pooled = (treatment.successes + control.successes) / (treatment.n + control.n);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / treatment.n + 1 / control.n));
  const pValue = standardError === 0 ? (value === 0 ? 1 : 0) : twoSidedNormalP(value / standardError);
  return { value, low, high, pValue };
}

/**
 * Relative lift treatment / control − 1 with the delta-method interval on the log of the ratio
 * (for proportions this is Katz's log interval). `varianceOfMean` is the variance of each group's
 * estimate (s²/n for a mean, p(1 − p)/n for a proportion). Null when the control's value is 0.
 */
export function relativeLift(
  treatment: { value: number; varianceOfMean: number },
  control: { value: number; varianceOfMean: number },
  pValue: number | null,
): Estimate | null {
  if (control.value === 0) return null;
  const value = treatment.value / control.value - 1;
  if (treatment.value <= 0 || control.value < 0) return { value, low: null, high: null, pValue };
  const standardError = Math.sqrt(treatment.varianceOfMean / treatment.value ** 2 + control.varianceOfMean / control.value ** 2);
  const logRatio = Math.log(treatment.value / control.value);
  return {
    value,
    low: Math.exp(logRatio - z() * standardError) - 1,
    high: Math.exp(logRatio + z() * standardError) - 1,
    pValue,
  };
}

/**
 * A difference of independent estimates, each with the variance of its estimate: its normal 95 %
 * interval and p-value. Used for the difference-in-differences of groups of different members.
 */
export function normalDifference(value: number, variance: number): Estimate {
  if (variance === 0) return { value, low: value, high: value, pValue: value === 0 ? 1 : 0 };
  const standardError = Math.sqrt(variance);
  return { value, low: value - z() * standardError, high: value + z() * standardError, pValue: twoSidedNormalP(value / standardError) };
}
