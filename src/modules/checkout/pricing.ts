import { BASE_EARN_MULTIPLIER, earnedPoints, maximumRedeemablePoints, planPointsPayment } from '../ledger';
import { mulDivRounded, type ProgramRules } from '../rules';
import { MAX_BALANCE } from '../../platform/bounds';
import { InvalidInputError } from '../../platform/errors';
import type { Evaluation } from '../offers';
import type { RecordedApplication } from '../offers';

export interface PricedCart extends Omit<Evaluation, 'applied'> {
  total: number;
  applied: RecordedApplication[];
  totalAfterDiscount: number;
  pointsRedeemed: number;
  pointsPayment: number;
  /** What the customer pays otherwise; points are earned on it. */
  amountDue: number;
  basePoints: number;
  pointsEarned: number;
}

/**
 * The money and points of an evaluated cart: points pay part of what is left after discounts,
 * points are earned on what is paid otherwise (at the tier's multiplier), and bonus-point offers
 * add theirs (a multiplier offer adds (multiplier − 1) × the base points, rounded down).
 * Throws the ledger's typed errors for a points payment the rules do not allow.
 */
export function priceCart(
  evaluation: Evaluation,
  cart: { total: number; redeemPoints: number },
  rules: ProgramRules,
  earnMultiplierPermille: number = BASE_EARN_MULTIPLIER,
): PricedCart {
  const totalAfterDiscount = cart.total - evaluation.discount;
  const pointsPayment = planPointsPayment(cart.redeemPoints, totalAfterDiscount, rules);
  const amountDue = totalAfterDiscount - pointsPayment;
  const basePoints = earnedPoints(amountDue, rules, earnMultiplierPermille);
  const applied = evaluation.applied.map((application) => {
    const bonusPoints = !application.bonus
      ? 0
      : 'points' in application.bonus
        ? application.bonus.points
        : mulDivRounded([basePoints, application.bonus.multiplierPermille - 1000], 1000, 'down');
    return { ...application, bonusPoints, countsAsRedemption: application.countsAsRedemption || bonusPoints > 0 };
  });
  return {
    ...evaluation,
    total: cart.total,
    applied,
    totalAfterDiscount,
    pointsRedeemed: cart.redeemPoints,
    pointsPayment,
    amountDue,
    basePoints,
    pointsEarned: boundedPointsEarned(basePoints, applied),
  };
}

/**
 * Base points plus every bonus, refused as soon as the sum passes what one order may earn (each
 * term is < 1e15, so no partial sum leaves the safe integers; see platform/bounds.ts).
 */
function boundedPointsEarned(basePoints: number, applied: Array<{ bonusPoints: number }>): number {
  let points = basePoints;
  for (const { bonusPoints } of applied) {
    points += bonusPoints;
    if (points > MAX_BALANCE) {
      throw new InvalidInputError([{ path: ['input', 'total'], message: `this order would earn more than ${MAX_BALANCE} points, the most one order may earn` }]);
    }
  }
  return points;
}

/** The most points this member could pay this cart with: what they hold, what the order takes, if over the minimum. */
export function redeemablePoints(spendable: number, totalAfterDiscount: number, rules: ProgramRules): number {
  if (spendable < Math.max(1, rules.minimumRedemption)) return 0;
  return Math.min(spendable, maximumRedeemablePoints(totalAfterDiscount, rules));
}
