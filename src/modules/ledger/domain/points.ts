import { MAX_BALANCE } from '../../../platform/bounds';
import { addMonthsUtc, DAY_MS } from '../../../platform/time';
import { mulDivRounded, type ProgramRules } from '../../rules/domain';
import { BelowMinimumRedemptionError, PointsNotWholeStepError, RedemptionExceedsTotalError } from '../errors';

/** Permille of the base earn rate; 1,000 = ×1. The tiers module supplies a member's multiplier. */
export const BASE_EARN_MULTIPLIER = 1000;

/** Points earned on the amount actually paid, with the program's rounding rule. */
export function earnedPoints(paidAmount: number, rules: ProgramRules, multiplierPermille = BASE_EARN_MULTIPLIER): number {
  return mulDivRounded([paidAmount, rules.earnPoints, multiplierPermille], rules.earnPerAmount * 1000, rules.earnRounding);
}

/** What `points` pay of an order, in minor units; always rounded down. */
export function pointsPaymentValue(points: number, rules: ProgramRules): number {
  return mulDivRounded([points, rules.redeemValue], rules.redeemPoints, 'down');
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The smallest whole step of a points payment: the fewest points worth a whole number of minor
 * units, and that value (100 points = 0.50 gives 2 points = 1 cent). A payment is a multiple of it,
 * so no point is ever taken for a fraction of a cent it cannot pay. Null when points pay nothing.
 */
export function redemptionStep(rules: Pick<ProgramRules, 'redeemPoints' | 'redeemValue'>): { points: number; value: number } | null {
  if (rules.redeemValue === 0) return null;
  const divisor = gcd(rules.redeemPoints, rules.redeemValue);
  return { points: rules.redeemPoints / divisor, value: rules.redeemValue / divisor };
}

/** The most points an order of `total` can take as payment: a whole number of steps. */
export function maximumRedeemablePoints(total: number, rules: ProgramRules): number {
  const step = redemptionStep(rules);
  if (step === null) return 0;
  // Never more than anyone can hold (a cheap point can make it pass 2^53): whole steps up to MAX_BALANCE.
  return Math.min(Math.floor(total / step.value), Math.floor(MAX_BALANCE / step.points)) * step.points;
}

/** `points` rounded down to a whole step. */
export function wholeStepsOf(points: number, rules: ProgramRules): number {
  const step = redemptionStep(rules);
  return step === null ? 0 : points - (points % step.points);
}

export function checkMinimumRedemption(points: number, rules: ProgramRules): void {
  if (points < rules.minimumRedemption) throw new BelowMinimumRedemptionError(points, rules.minimumRedemption);
}

/**
 * Checks a points payment against the order and the rules; returns its value in minor units.
 * A payment that is not a whole step is refused (never rounded), naming the nearest valid
 * amounts for this order: the whole step below and the one above, each when the order allows it.
 */
export function planPointsPayment(points: number, total: number, rules: ProgramRules): number {
  if (points === 0) return 0;
  checkMinimumRedemption(points, rules);
  const maximum = maximumRedeemablePoints(total, rules);
  const step = redemptionStep(rules);
  if (step !== null && points % step.points !== 0) {
    const below = Math.min(points - (points % step.points), maximum);
    const above = below + step.points;
    const floor = Math.max(1, rules.minimumRedemption);
    throw new PointsNotWholeStepError(points, step, below >= floor ? below : null, above <= maximum && above >= floor ? above : null);
  }
  if (points > maximum) throw new RedemptionExceedsTotalError(points, maximum);
  return pointsPaymentValue(points, rules);
}

/** When points an order placed at `placedAt` earns vest: after the program's return window; null at once. */
export function lotVesting(placedAt: Date, vestingDays: number): Date | null {
  return vestingDays === 0 ? null : new Date(placedAt.getTime() + vestingDays * DAY_MS);
}

/** When points earned at `earnedAt` expire: the same instant `months` later (end of month when shorter). */
export function lotExpiry(earnedAt: Date, months: number | null): Date | null {
  return months === null ? null : addMonthsUtc(earnedAt, months);
}
