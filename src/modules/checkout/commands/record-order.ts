import { upgradeForOrder } from '../../tiers/order-effects';
import { newId } from '../../../platform/ids';
import { DomainError } from '../../../platform/errors';
import type { ConstraintViolation } from '../../../platform/db/constraint-errors';
import { account, POINTS } from '../../ledger/accounts';
import { planSpend, sumDeltas } from '../../ledger/domain/lots';
import { lotExpiry } from '../../ledger/domain/points';
import { DuplicateOrderError } from '../../ledger/errors';
import { ledgerCommand, type LedgerCommandInput } from '../../ledger/operation';
import type { PlannedTransfer } from '../../ledger/plan';
import { insufficientPointsOnViolation } from '../../ledger/commands/points-guard';
import { checkBalanceLimit } from '../../ledger/bounds';
import { applicationStatements, crossMemberGuards } from '../../offers/repository';
import { conversionStatements, lostReferralRace } from '../../referrals/repository';
import { checkoutCart, type CheckoutCart } from '../context';
import { CheckoutChangedError, CheckoutContendedError } from '../errors';
import { quoteResult, type QuoteResult } from '../quote';
import { findOrder, newOrderStatements } from '../repository';

/** A shared limit another member's order took first (an offer cap, a code, a referrer's rung or cap): evaluate again. */
const lostRace = (violation: ConstraintViolation) =>
  (violation.kind === 'check' && violation.targets.some((target) => crossMemberGuards.includes(target))) || lostReferralRace(violation);

export interface RecordOrderInput extends LedgerCommandInput, CheckoutCart {
  memberId: string;
  orderId: string;
  /** When given, the order is refused unless checkout still takes exactly this much off. */
  expectedDiscount: number | null;
}

export interface RecordOrderResult extends QuoteResult {
  orderId: string;
  memberId: string;
  pointsBalance: number;
  /** The tier this order lifted the member into, if any. */
  upgradedTierId: string | null;
}

/**
 * Records an order exactly as `quote` prices the same cart: the offers that apply (their
 * redemptions, code uses and stamp progress), an optional points payment (earliest-expiring lots
 * first), the points earned on what is paid otherwise plus bonus points, and an immediate tier
 * upgrade. One batch: the order's UNIQUE id rejects a second recording, and the offer and code
 * counters' CHECKs stop a cap, budget or single-use code at its limit across members; the loser
 * of such a race is evaluated again and records the order without that offer. A referee's first
 * qualifying order converts their referral in the same batch.
 */
export const recordOrderCommand = ledgerCommand<RecordOrderInput, RecordOrderResult>('checkout.recordOrder', async (deps, input, now) => {
  const { db } = deps;
  const { programId, memberId, orderId } = input;
  const checkout = await checkoutCart(db, programId, input, now).catch(async (error: unknown) => {
    // An order recorded already is that, whatever else is wrong with the request now.
    throw error instanceof DomainError && (await findOrder(db, programId, orderId)) ? new DuplicateOrderError(orderId) : error;
  });
  const { priced, tierContext } = checkout;
  if (input.expectedDiscount !== null && input.expectedDiscount !== priced.discount) {
    throw new CheckoutChangedError(input.expectedDiscount, priced.discount);
  }
  const tierUpgrade = tierContext
    ? await upgradeForOrder(db, tierContext, { programId, memberId, now, spend: priced.totalAfterDiscount, pointsEarned: priced.pointsEarned })
    : { statements: [], upgradedTo: null };
  const memberPoints = account(programId, 'memberPoints', POINTS, memberId);

  const planned: PlannedTransfer[] = [];
  if (priced.pointsRedeemed > 0) {
    const draws = planSpend(checkout.lots, priced.pointsRedeemed, now);
    planned.push({
      id: newId(),
      debit: memberPoints,
      credit: account(programId, 'pointsRedeemed', POINTS),
      amount: -sumDeltas(draws),
      kind: 'order_payment',
      ref: orderId,
      metadata: { paymentValue: priced.pointsPayment, currency: input.currency },
      lotDeltas: draws,
    });
  }
  if (priced.pointsEarned > 0) {
    planned.push({
      id: newId(),
      debit: account(programId, 'pointsIssued', POINTS),
      credit: memberPoints,
      amount: priced.pointsEarned,
      kind: 'earn',
      ref: orderId,
      metadata: { amountPaid: priced.amountDue, currency: input.currency, ...(priced.pointsEarned > priced.basePoints ? { bonusPoints: priced.pointsEarned - priced.basePoints } : {}) },
      newLot: { id: newId(), memberId, earnedAt: now, expiresAt: lotExpiry(now, checkout.rules.pointsLifetimeMonths) },
    });
  }

  const orderPk = newId();
  const referral = checkout.referral ? await conversionStatements(db, deps.fingerprints, checkout.referral, { programId, orderPk, amount: priced.totalAfterDiscount, at: now }) : [];
  // The member's balance is the sum of their open lots (a ledger invariant the audit checks).
  const balanceBefore = checkout.lots.reduce((sum, lot) => sum + lot.remaining, 0);
  checkBalanceLimit(balanceBefore - priced.pointsRedeemed + priced.pointsEarned, ['input', 'total']);
  return {
    memberId,
    transfers: planned,
    result: {
      ...quoteResult(input, checkout),
      orderId,
      memberId,
      pointsBalance: balanceBefore - priced.pointsRedeemed + priced.pointsEarned,
      upgradedTierId: tierUpgrade.upgradedTo?.id ?? null,
    },
    statements: [
      ...newOrderStatements(db, [{
        orderPk,
        programId,
        memberId,
        orderId,
        currency: input.currency,
        total: priced.total,
        discount: priced.discount,
        pointsRedeemed: priced.pointsRedeemed,
        pointsPayment: priced.pointsPayment,
        pointsEarned: priced.pointsEarned,
        attributes: input.attributes,
        placedAt: now,
        lines: input.lines.map((line, lineNo) => ({ ...line, discount: priced.lineDiscounts.get(lineNo) ?? 0 })),
      }]),
      ...applicationStatements(db, { programId, memberId, orderPk, at: now }, priced.applied),
      ...tierUpgrade.statements,
      ...referral,
    ],
    retryOn: lostRace,
    onViolation: async (violation) => {
      // The order's own row comes last in the batch: a recorded order id may trip another guard first.
      if ((violation.kind === 'unique' && violation.targets.includes('orders.order_id')) || (await findOrder(db, programId, orderId))) return new DuplicateOrderError(orderId);
      if (lostRace(violation)) return new CheckoutContendedError(orderId);
      return insufficientPointsOnViolation(deps, programId, memberId, priced.pointsRedeemed, now)(violation);
    },
  };
});
