import { MAX_BALANCE } from '../../../platform/bounds';
import { addMonthsUtc } from '../../../platform/time';
import { mulDivRounded, type ProgramRules } from '../../rules/domain';
import { BelowMinimumRedemptionError, RedemptionExceedsTotalError } from '../errors';

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

/** The most points an order of `total` can take as payment. */
export function maximumRedeemablePoints(total: number, rules: ProgramRules): number {
  if (rules.redeemValue === 0) return 0;
  // The largest P with floor(P × value / points) <= total, in BigInt like every rate product;
  // never more than anyone can hold (a cheap point can make it pass 2^53).
  const most = ((BigInt(total) + 1n) * BigInt(rules.redeemPoints) - 1n) / BigInt(rules.redeemValue);
  return most > BigInt(MAX_BALANCE) ? MAX_BALANCE : Number(most);
}

export function checkMinimumRedemption(points: number, rules: ProgramRules): void {
  if (points < rules.minimumRedemption) throw new BelowMinimumRedemptionError(points, rules.minimumRedemption);
}

/** Checks a points payment against the order and the rules; returns its value in minor units. */
export function planPointsPayment(points: number, total: number, rules: ProgramRules): number {
  if (points === 0) return 0;
  checkMinimumRedemption(points, rules);
  const value = pointsPaymentValue(points, rules);
  if (value > total) throw new RedemptionExceedsTotalError(points, maximumRedeemablePoints(total, rules));
  return value;
}

/** When points earned at `earnedAt` expire: the same instant `months` later (end of month when shorter). */
export function lotExpiry(earnedAt: Date, months: number | null): Date | null {
  return months === null ? null : addMonthsUtc(earnedAt, months);
}
