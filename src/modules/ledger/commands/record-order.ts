import { loadRules } from '../../rules/service';
import { requireActiveMember } from '../../members/repository';
import { loadTierContext, upgradeForOrder } from '../../tiers/order-effects';
import { newId } from '../../../platform/ids';
import { orderLines, orders } from '../../../../schema';
import { account, POINTS } from '../accounts';
import { planSpend, sumDeltas } from '../domain/lots';
import { BASE_EARN_MULTIPLIER, earnedPoints, lotExpiry, planPointsPayment } from '../domain/points';
import { CurrencyMismatchError, DuplicateOrderError } from '../errors';
import { ledgerCommand, type LedgerCommandInput } from '../operation';
import type { PlannedTransfer } from '../plan';
import { memberBalance, openLots } from '../repository';
import { insufficientPointsOnViolation } from './points-guard';

export interface OrderLineInput {
  sku: string;
  category?: string | null;
  quantity: number;
  unitPrice: number;
}

export interface RecordOrderInput extends LedgerCommandInput {
  memberId: string;
  orderId: string;
  currency: string;
  total: number;
  lines: OrderLineInput[];
  redeemPoints: number;
  attributes: Record<string, unknown>;
}

export interface RecordOrderResult {
  orderId: string;
  memberId: string;
  currency: string;
  total: number;
  pointsRedeemed: number;
  pointsPayment: number;
  amountPaid: number;
  pointsEarned: number;
  pointsBalance: number;
  /** The tier this order lifted the member into, if any. */
  upgradedTierId: string | null;
}

/**
 * Records an order: optionally spends points as payment (earliest-expiring lots first), then earns
 * points on the amount actually paid into a new lot, at the member's current tier multiplier, and
 * upgrades the member at once if the order makes them qualify for a higher tier. One batch; the order's UNIQUE id rejects a
 * second recording of the same order.
 */
export const recordOrderCommand = ledgerCommand<RecordOrderInput, RecordOrderResult>('ledger.recordOrder', async (deps, input, now) => {
  const { db } = deps;
  const { programId, memberId, orderId } = input;
  await requireActiveMember(db, { programId, memberId });
  const rules = await loadRules(db, programId);
  if (input.currency !== rules.currency) throw new CurrencyMismatchError(rules.currency, input.currency);

  const pointsPayment = planPointsPayment(input.redeemPoints, input.total, rules);
  const amountPaid = input.total - pointsPayment;
  const tierContext = await loadTierContext(db, programId, memberId);
  const pointsEarned = earnedPoints(amountPaid, rules, tierContext?.current?.earnMultiplierPermille ?? BASE_EARN_MULTIPLIER);
  const tierUpgrade = tierContext
    ? await upgradeForOrder(db, tierContext, { programId, memberId, now, spend: input.total, pointsEarned })
    : { statements: [], upgradedTo: null };
  const memberPoints = account(programId, 'memberPoints', POINTS, memberId);

  const planned: PlannedTransfer[] = [];
  if (input.redeemPoints > 0) {
    const draws = planSpend(await openLots(db, programId, memberId), input.redeemPoints, now);
    planned.push({
      id: newId(),
      debit: memberPoints,
      credit: account(programId, 'pointsRedeemed', POINTS),
      amount: -sumDeltas(draws),
      kind: 'order_payment',
      ref: orderId,
      metadata: { paymentValue: pointsPayment, currency: input.currency },
      lotDeltas: draws,
    });
  }
  if (pointsEarned > 0) {
    planned.push({
      id: newId(),
      debit: account(programId, 'pointsIssued', POINTS),
      credit: memberPoints,
      amount: pointsEarned,
      kind: 'earn',
      ref: orderId,
      metadata: { amountPaid, currency: input.currency },
      newLot: { id: newId(), memberId, earnedAt: now, expiresAt: lotExpiry(now, rules.pointsLifetimeMonths) },
    });
  }

  const orderPk = newId();
  const balanceBefore = await memberBalance(db, programId, memberId, 'memberPoints');
  return {
    memberId,
    transfers: planned,
    result: {
      orderId,
      memberId,
      currency: input.currency,
      total: input.total,
      pointsRedeemed: input.redeemPoints,
      pointsPayment,
      amountPaid,
      pointsEarned,
      pointsBalance: balanceBefore - input.redeemPoints + pointsEarned,
      upgradedTierId: tierUpgrade.upgradedTo?.id ?? null,
    },
    statements: [
      db.insert(orders).values({
        id: orderPk,
        programId,
        memberId,
        orderId,
        currency: input.currency,
        total: input.total,
        pointsRedeemed: input.redeemPoints,
        pointsPayment,
        pointsEarned,
        attributes: input.attributes,
        createdAt: now,
      }),
      ...(input.lines.length > 0
        ? [db.insert(orderLines).values(input.lines.map((line, lineNo) => ({ orderId: orderPk, lineNo, ...line, category: line.category ?? null })))]
        : []),
      ...tierUpgrade.statements,
    ],
    onViolation: async (violation) =>
      violation.kind === 'unique' && violation.targets.includes('orders.order_id')
        ? new DuplicateOrderError(orderId)
        : insufficientPointsOnViolation(deps, programId, memberId, input.redeemPoints, now)(violation),
  };
});
