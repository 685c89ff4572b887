import { BASE_EARN_MULTIPLIER, earnedPoints, maximumRedeemablePoints, planPointsPayment, wholeStepsOf } from '../ledger/domain/points';
import { mulDivRounded, type ProgramRules } from '../rules/domain';
import type { Evaluation } from '../offers/domain/evaluate';
import { WalletPaymentExceedsTotalError } from '../ledger/errors';
import type { RecordedApplication } from '../offers/repository';

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
    pointsEarned: basePoints + applied.reduce((sum, application) => sum + application.bonusPoints, 0),
  };
}

/** The most points this member could pay this cart with: whole steps of what they hold and of what the order takes, if over the minimum. */
export function redeemablePoints(spendable: number, totalAfterDiscount: number, rules: ProgramRules): number {
  const redeemable = Math.min(wholeStepsOf(spendable, rules), maximumRedeemablePoints(totalAfterDiscount, rules));
  return redeemable < Math.max(1, rules.minimumRedemption) ? 0 : redeemable;
}
