import { newId, newIdAt } from '../../platform/ids';
import {
  account,
  checkBalanceLimit,
  earnedPoints,
  ledgerCommand,
  lotExpiry,
  lotVesting,
  memberBalance,
  POINTS,
  type LedgerCommandInput,
} from '../ledger';
import { loadRules } from '../rules';
import { DuplicateOrderError } from '../checkout';
import { newOrderStatsStatements } from '../history';
import { findOrder, newOrderStatements, orderIdTaken, type NewOrder } from '../orders';
import type { ImportOrder } from './inputs';

export interface ImportOrderInput extends LedgerCommandInput {
  memberId: string;
  /** As parsed, with `placedAt` as epoch milliseconds (commands travel as JSON). */
  order: Omit<ImportOrder, 'placedAt'> & { placedAtMs: number };
}

/**
 * Imports one past order that earns points, in the member's serializer: the points it would have
 * earned at the base rate go into a lot dated `placedAt` (which expires on the program's schedule
 * from then, so the expiry job may take it soon). The order id is the guard against importing twice.
 */
export const importOrderCommand = ledgerCommand<ImportOrderInput, { orderId: string; pointsEarned: number }>(
  'imports.importOrder',
  async (deps, input) => {
    const { db } = deps;
    const { programId, memberId, order } = input;
    const placedAt = new Date(order.placedAtMs);
    const [rules, balance] = await Promise.all([loadRules(db, programId), memberBalance(db, programId, memberId, 'memberPoints')]);
    const pointsEarned = earnedPoints(order.total - order.discount, rules);
    checkBalanceLimit(balance + pointsEarned, ['input', 'orders']);
    const memberPoints = account(programId, 'memberPoints', POINTS, memberId);
    const imported = asNewOrder(programId, memberId, order, placedAt, pointsEarned);
    return {
      memberId,
      result: { orderId: order.orderId, pointsEarned },
      transfers:
        pointsEarned > 0
          ? [
              {
                id: newId(),
                debit: account(programId, 'pointsIssued', POINTS),
                credit: memberPoints,
                amount: pointsEarned,
                kind: 'earn',
                ref: order.orderId,
                metadata: { amountPaid: order.total - order.discount, currency: order.currency, imported: true },
                newLot: {
                  id: newId(),
                  memberId,
                  earnedAt: placedAt,
                  expiresAt: lotExpiry(placedAt, rules.pointsLifetimeMonths),
                  vestsAt: lotVesting(placedAt, rules.pointsVestingDays),
                },
              },
            ]
          : [],
      statements: [...newOrderStatements(db, [imported]), ...newOrderStatsStatements(db, [imported])],
      onViolation: async (violation) =>
        orderIdTaken(violation) || (await findOrder(db, programId, order.orderId)) ? new DuplicateOrderError(order.orderId) : null,
    };
  },
);

/** An imported order as checkout writes new orders: dated and keyed by `placedAt`, no line discounts known. */
export function asNewOrder(
  programId: string,
  memberId: string,
  order: Omit<ImportOrder, 'placedAt'>,
  placedAt: Date,
  pointsEarned: number,
): NewOrder {
  return {
    orderPk: newIdAt(placedAt),
    programId,
    memberId,
    orderId: order.orderId,
    currency: order.currency,
    total: order.total,
    discount: order.discount,
    pointsRedeemed: 0,
    pointsPayment: 0,
    pointsEarned,
    attributes: order.attributes,
    placedAt,
    lines: order.lines.map((line) => ({ ...line, discount: 0 })),
  };
}
