import { BASE_EARN_MULTIPLIER, earnedPoints, maximumRedeemablePoints, planPointsPayment, wholeStepsOf } from '../ledger';
import { mulDivRounded, type ProgramRules } from '../rules';
import { MAX_BALANCE } from '../../platform/bounds';
import { InvalidInputError } from '../../platform/errors';
import type { Evaluation } from '../offers';
import { WalletPaymentExceedsTotalError } from '../ledger';
import type { RecordedApplication } from '../offers';

export interface PricedCart extends Omit<Evaluation, 'applied'> {
  total: number;
  applied: RecordedApplication[];
  totalAfterDiscount: number;
  pointsRedeemed: number;
  pointsPayment: number;
  /** What the customer pays otherwise (the wallet payment included); points are earned on it. */
  amountDue: number;
  /** Paid from the member's wallet, bonus credit first. */
  walletPayment: number;
  /** What is left to pay after discounts, points and the wallet. */
  amountToPay: number;
  basePoints: number;
  pointsEarned: number;
}

/**
 * The money and points of an evaluated cart: points pay part of what is left after discounts,
 * points are earned on what is paid otherwise (at the tier's multiplier), and bonus-point offers
 * add theirs (a multiplier offer adds (multiplier − 1) × the base points, rounded down).
 * The wallet pays part of what points leave (it counts as paid: points are earned on it).
 * Throws the ledger's typed errors for a points or wallet payment the rules do not allow.
 */
export function priceCart(
  evaluation: Evaluation,
  cart: { total: number; redeemPoints: number; walletPayment: { amount: number } | null },
  rules: ProgramRules,
  earnMultiplierPermille: number = BASE_EARN_MULTIPLIER,
): PricedCart {
  const totalAfterDiscount = cart.total - evaluation.discount;
  const pointsPayment = planPointsPayment(cart.redeemPoints, totalAfterDiscount, rules);
  const amountDue = totalAfterDiscount - pointsPayment;
  const walletPayment = cart.walletPayment?.amount ?? 0;
  if (walletPayment > amountDue) throw new WalletPaymentExceedsTotalError(walletPayment, amountDue);
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
    walletPayment,
    amountToPay: amountDue - walletPayment,
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
      throw new InvalidInputError([
        { path: ['input', 'total'], message: `this order would earn more than ${MAX_BALANCE} points, the most one order may earn` },
      ]);
    }
  }
  return points;
}

/** The most points this member could pay this cart with: whole steps of what they hold and of what the order takes, if over the minimum. */
export function redeemablePoints(spendable: number, totalAfterDiscount: number, rules: ProgramRules): number {
  const redeemable = Math.min(wholeStepsOf(spendable, rules), maximumRedeemablePoints(totalAfterDiscount, rules));
  return redeemable < Math.max(1, rules.minimumRedemption) ? 0 : redeemable;
}
