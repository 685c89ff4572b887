import { upgradeForOrder } from '../modules/tiers';
import { newId } from '../platform/ids';
import { DomainError } from '../platform/errors';
import type { ConstraintViolation } from '../platform/db/constraint-errors';
import { checks } from '../../schema';
import { account, POINTS } from '../modules/ledger';
import { planSpend, sumDeltas } from '../modules/ledger';
import { lotExpiry, lotVesting } from '../modules/ledger';
import { InsufficientWalletBalanceError } from '../modules/ledger';
import { walletBalances } from '../modules/ledger';
import { ledgerCommand, type LedgerCommandInput } from '../modules/ledger';
import type { PlannedTransfer } from '../modules/ledger';
import { insufficientPointsOnViolation } from '../modules/ledger';
import { checkBalanceLimit } from '../modules/ledger';
import { applicationStatements, crossMemberGuards } from '../modules/offers';
import { conversionStatements, lostReferralRace } from '../modules/referrals';
import { giftVoucherPlan, lostVoucherRace, partnerFundingTransfers } from '../modules/partners';
import { exposureStatements } from '../modules/experiments';
import { findOrder, newOrderStatements, orderIdTaken, type NewOrder } from '../modules/orders';
import { newOrderStatsStatements } from '../modules/history';
import {
  CheckoutChangedError,
  CheckoutContendedError,
  checkoutCart,
  clearCartStatement,
  DuplicateOrderError,
  offerExposures,
  orderKey,
  quoteResult,
  recordedOrderEvents,
  type CheckoutCart,
  type RecordOrderResult,
} from '../modules/checkout';
import type { Serializer } from '../platform/serializer/serializer';

/** A shared limit another member's order took first (an offer cap, a code, a referrer's rung or cap): evaluate again. */
const lostRace = (violation: ConstraintViolation) =>
  (violation.kind === 'check' && violation.targets.some((target) => crossMemberGuards.includes(target))) || lostReferralRace(violation);

export interface RecordOrderInput extends LedgerCommandInput, CheckoutCart {
  /** Null for a guest. */
  memberId: string | null;
  orderId: string;
  /** The tracked cart the order was placed from, which it ends; null when none. */
  cartId?: string | null;
  /** When given, the order is refused unless checkout still takes exactly this much off. */
  expectedDiscount: number | null;
}

/**
 * Records an order exactly as `quote` prices the same cart: the offers that apply (their
 * redemptions, code uses and stamp progress), an optional points payment (earliest-expiring lots
 * first), an optional wallet payment (bonus credit first), the points earned on what is paid otherwise plus bonus points, and an immediate tier
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
  const { priced, tierContext, at } = checkout;
  if (input.expectedDiscount !== null && input.expectedDiscount !== priced.discount) {
    throw new CheckoutChangedError(input.expectedDiscount, priced.discount);
  }
  const tierUpgrade =
    tierContext && memberId
      ? await upgradeForOrder(db, tierContext, {
          programId,
          memberId,
          now,
          spend: priced.totalAfterDiscount,
          pointsEarned: priced.pointsEarned,
          vestsAt: lotVesting(at, checkout.rules.pointsVestingDays),
        })
      : { statements: [], upgradedTo: null };

  const planned: PlannedTransfer[] = [];
  // A guest holds no points: its order pays none (no lots to spend), and earns when claimed.
  const memberPoints = memberId ? account(programId, 'memberPoints', POINTS, memberId) : null;
  if (memberPoints && priced.pointsRedeemed > 0) {
    const draws = planSpend(checkout.lots, priced.pointsRedeemed, at);
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
  if (memberPoints && priced.pointsEarned > 0) {
    planned.push({
      id: newId(),
      debit: account(programId, 'pointsIssued', POINTS),
      credit: memberPoints,
      amount: priced.pointsEarned,
      kind: 'earn',
      ref: orderId,
      metadata: {
        amountPaid: priced.amountDue,
        currency: input.currency,
        ...(priced.pointsEarned > priced.basePoints ? { bonusPoints: priced.pointsEarned - priced.basePoints } : {}),
        ...(input.placedAt ? { placedAt: input.placedAt } : {}),
      },
      // A backdated order's points were earned when it was placed, and expire counting from then.
      newLot: {
        id: newId(),
        memberId: memberId!,
        earnedAt: at,
        expiresAt: lotExpiry(at, checkout.rules.pointsLifetimeMonths),
        vestsAt: lotVesting(at, checkout.rules.pointsVestingDays),
      },
    });
  }

  const { fromBonus, fromCash } = checkout.walletSplit;
  const walletSpent = account(programId, 'walletSpent', input.currency);
  for (const [kind, amount] of [
    ['memberWalletBonus', fromBonus],
    ['memberWalletCash', fromCash],
  ] as const) {
    if (amount > 0)
      planned.push({
        id: newId(),
        debit: account(programId, kind, input.currency, memberId!),
        credit: walletSpent,
        amount,
        kind: 'order_wallet_payment',
        ref: orderId,
      });
  }

  // Partners pay their share of their vouchers' discounts, and their fees, in this same batch.
  const partnerFunding = partnerFundingTransfers({ programId, orderId, currency: input.currency }, priced.applied, checkout.funders);
  planned.push(...partnerFunding);

  const orderPk = newId();
  // Partner gifts: each partnerVoucher offer that applied gives its campaign's voucher in this batch.
  const gifts = await giftVoucherPlan(
    db,
    { programId, memberId, orderPk, at },
    priced.applied.flatMap((application) => {
      const offer = checkout.offersRead.find((read) => read.id === application.offerId);
      return offer?.effect.kind === 'partner_voucher' ? [{ offer, campaignId: offer.effect.campaignId }] : [];
    }),
    now,
  );
  const referral = checkout.referral
    ? await conversionStatements(db, deps.fingerprints, checkout.referral, {
        programId,
        orderPk,
        amount: priced.totalAfterDiscount,
        at: now,
      })
    : [];
  // The member's balance is the sum of their open lots (a ledger invariant the audit checks).
  const balanceBefore = checkout.lots.reduce((sum, lot) => sum + lot.remaining, 0);
  const pointsBalance = balanceBefore - priced.pointsRedeemed + priced.pointsEarned;
  checkBalanceLimit(pointsBalance, ['input', 'total']);
  const appliedIds = new Set(priced.applied.map((applied) => applied.offerId));
  const transferOf = (kind: string) => planned.find((transfer) => transfer.kind === kind)?.id ?? null;
  const { total, discount, pointsRedeemed, pointsEarned, walletPayment } = priced;
  const recorded = { memberId, orderId, currency: input.currency, total, discount, pointsRedeemed, pointsEarned, walletPayment };
  const order: NewOrder = {
    ...recorded,
    orderPk,
    programId,
    pointsPayment: priced.pointsPayment,
    walletBonusPayment: fromBonus,
    attributes: input.attributes,
    placedAt: at,
    lines: input.lines.map((line, lineNo) => ({ ...line, discount: priced.lineDiscounts.get(lineNo) ?? 0 })),
  };
  return {
    memberId,
    transfers: planned,
    result: {
      ...quoteResult(input, checkout),
      orderId,
      memberId,
      pointsBalance: memberId ? pointsBalance : 0,
      upgradedTierId: tierUpgrade.upgradedTo?.id ?? null,
      partnerVouchers: gifts.outcomes,
    },
    alongside: {
      offersApplied: checkout.offersRead.filter((offer) => appliedIds.has(offer.id)),
      tiersRead: checkout.tierContext?.tiers ?? [],
    },
    statements: [
      ...newOrderStatements(db, [order]),
      ...newOrderStatsStatements(db, [order]),
      ...applicationStatements(db, { programId, memberId, orderPk, at }, priced.applied),
      ...tierUpgrade.statements,
      ...referral,
      ...gifts.statements,
      ...(input.cartId ? [clearCartStatement(db, programId, input.cartId)] : []),
      ...exposureStatements(db, offerExposures(memberId, at, checkout.offersRead, checkout.experimentArms, priced)),
    ],
    events: recordedOrderEvents({ ...recorded, pointsBalance: memberId ? pointsBalance : null }, balanceBefore, priced.applied, transferOf),
    // A partner's deposit or credit another order spent first: evaluate again (the voucher then says PARTNER_BUDGET_EXHAUSTED).
    // So is a campaign's last voucher another order took first (the order then records without it), or a drawn code taken.
    retryOn: (violation) =>
      lostRace(violation) ||
      lostVoucherRace(violation) ||
      (partnerFunding.length > 0 && violation.kind === 'check' && violation.targets.includes(checks.accountsFloor)),
    onViolation: async (violation) => {
      // The order's own row comes last in the batch: a recorded order id may trip another guard first.
      if (orderIdTaken(violation) || (await findOrder(db, programId, orderId))) return new DuplicateOrderError(orderId);
      if (lostRace(violation)) return new CheckoutContendedError(orderId);
      if (!memberId) return null;
      // A balance's floor tripped: the wallet if another command spent it since, else the points.
      if (priced.walletPayment > 0 && violation.kind === 'check' && violation.targets.includes(checks.accountsFloor)) {
        const wallet = await walletBalances(db, programId, memberId, input.currency);
        if (wallet.cash + wallet.bonus < priced.walletPayment)
          return new InsufficientWalletBalanceError(input.currency, priced.walletPayment, wallet.cash + wallet.bonus);
      }
      return insufficientPointsOnViolation(deps, programId, memberId, priced.pointsRedeemed, now)(violation);
    },
  };
});

export const recordingCommands = { 'checkout.recordOrder': recordOrderCommand };

/** Records an order in its member's serializer (a guest's order in one of its own). */
export function recordOrder({ serializer }: { serializer: Serializer<typeof recordingCommands> }) {
  return (programId: string, input: Omit<RecordOrderInput, 'programId'>) =>
    serializer.execute(orderKey(programId, input.memberId, input.orderId), 'checkout.recordOrder', { ...input, programId });
}
