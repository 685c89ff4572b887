import { sql } from 'drizzle-orm';
import { programIdColumn, wholeWithin } from './columns';
import { MAX_AMOUNT, MAX_BALANCE, MAX_QUANTITY } from '../src/platform/bounds';
import { sqliteTable, text, integer, uniqueIndex, index, check, primaryKey } from 'drizzle-orm/sqlite-core';
import { optionalMemberIdColumn } from './members';
import { checks } from './constraints';

/**
 * An order as recorded for loyalty: what was paid, how much with points, what it earned. A guest's
 * order has no member until a member claims it (`claimedAt`).
 */
export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    memberId: optionalMemberIdColumn(),
    orderId: text('order_id').notNull(),
    currency: text('currency').notNull(),
    /** Gross, before discounts and points. */
    total: integer('total').notNull(),
    /** Taken off by offers and the tier discount; the customer owes `total - discount`. */
    discount: integer('discount').notNull().default(0),
    pointsRedeemed: integer('points_redeemed').notNull(),
    pointsPayment: integer('points_payment').notNull(),
    pointsEarned: integer('points_earned').notNull(),
    /** Paid from the member's wallet (in the order's currency), and the part of it from bonus credit. */
    walletPayment: integer('wallet_payment').notNull().default(0),
    walletBonusPayment: integer('wallet_bonus_payment').notNull().default(0),
    /** Given back to the wallet by refunds so far, and the part of it to bonus credit. */
    walletReturned: integer('wallet_returned').notNull().default(0),
    walletBonusReturned: integer('wallet_bonus_returned').notNull().default(0),
    refundedAmount: integer('refunded_amount').notNull().default(0),
    pointsClawedBack: integer('points_clawed_back').notNull().default(0),
    pointsReturned: integer('points_returned').notNull().default(0),
    /** Set by the refund that completes a full refund. */
    fullyRefundedAt: integer('fully_refunded_at', { mode: 'timestamp_ms' }),
    attributes: text('attributes', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** When the order was placed (its placedAt, or when it was recorded). */
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    /** Set when a member claimed this guest order (claimOrder). */
    claimedAt: integer('claimed_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('orders_program_order_id').on(t.programId, t.orderId),
    // A member's orders by time; reports (insights) read counted orders (a member's, not fully
    // refunded) and what they are worth from this index alone. One index for both: each index is
    // one more B-tree every order writes into at a random place (the order import's cost).
    index('orders_member_created').on(t.programId, t.memberId, t.createdAt, t.total, t.discount, t.refundedAmount, t.fullyRefundedAt),
    // The discounts given (partner funding's share): only orders with a discount, read from the index alone.
    index('orders_discounted').on(t.programId, t.currency, t.discount).where(sql`${t.discount} > 0`),
    check(
      checks.ordersAmounts,
      sql`${t.total} >= 0 and ${t.discount} between 0 and ${t.total} and ${t.pointsPayment} between 0 and ${t.total} - ${t.discount} and ${t.pointsRedeemed} >= 0 and ${t.pointsEarned} >= 0`,
    ),
    check(checks.ordersRefundInRange, sql`${t.refundedAmount} between 0 and ${t.total} - ${t.discount}`),
    check(
      checks.ordersPointsBackInRange,
      sql`${t.pointsClawedBack} between 0 and ${t.pointsEarned} and ${t.pointsReturned} between 0 and ${t.pointsRedeemed}`,
    ),
    check(
      checks.ordersWallet,
      sql`${t.walletPayment} >= 0 and ${t.pointsPayment} + ${t.walletPayment} <= ${t.total} - ${t.discount} and ${t.walletBonusPayment} between 0 and ${t.walletPayment} and ${t.walletReturned} between 0 and ${t.walletPayment} and ${t.walletBonusReturned} between 0 and ${t.walletBonusPayment}`,
    ),
    check(
      checks.ordersAmountsRange,
      sql`${wholeWithin(t.total, 0, MAX_AMOUNT)} and ${wholeWithin(t.discount, 0, MAX_AMOUNT)} and ${wholeWithin(t.pointsPayment, 0, MAX_AMOUNT)} and ${wholeWithin(t.refundedAmount, 0, MAX_AMOUNT)}
        and ${wholeWithin(t.walletPayment, 0, MAX_AMOUNT)} and ${wholeWithin(t.walletBonusPayment, 0, MAX_AMOUNT)} and ${wholeWithin(t.walletReturned, 0, MAX_AMOUNT)} and ${wholeWithin(t.walletBonusReturned, 0, MAX_AMOUNT)}
        and ${wholeWithin(t.pointsRedeemed, 0, MAX_BALANCE)} and ${wholeWithin(t.pointsEarned, 0, MAX_BALANCE)} and ${wholeWithin(t.pointsClawedBack, 0, MAX_BALANCE)} and ${wholeWithin(t.pointsReturned, 0, MAX_BALANCE)}`,
    ),
  ],
);

export const orderLines = sqliteTable(
  'order_lines',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    lineNo: integer('line_no').notNull(),
    sku: text('sku').notNull(),
    category: text('category'),
    quantity: integer('quantity').notNull(),
    unitPrice: integer('unit_price').notNull(),
    /** The part of the order's discount that fell on this line. */
    discount: integer('discount').notNull().default(0),
    attributes: text('attributes', { mode: 'json' }).$type<Record<string, unknown>>(),
    refundedQuantity: integer('refunded_quantity').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.lineNo] }),
    check(
      checks.orderLinesQuantities,
      sql`${t.quantity} > 0 and ${t.unitPrice} >= 0 and ${t.discount} between 0 and ${t.quantity} * ${t.unitPrice} and ${t.refundedQuantity} between 0 and ${t.quantity}`,
    ),
    check(
      checks.orderLinesRange,
      sql`${wholeWithin(t.quantity, 1, MAX_QUANTITY)} and ${wholeWithin(t.unitPrice, 0, MAX_AMOUNT)} and ${t.quantity} * ${t.unitPrice} <= ${sql.raw(String(MAX_AMOUNT))}
        and ${wholeWithin(t.discount, 0, MAX_AMOUNT)} and ${wholeWithin(t.refundedQuantity, 0, MAX_QUANTITY)}`,
    ),
  ],
);

/** One refund of an order, as the refund command recorded it (the order keeps the running totals). */
export const orderRefunds = sqliteTable(
  'order_refunds',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    orderPk: text('order_pk')
      .notNull()
      .references(() => orders.id),
    amount: integer('amount').notNull(),
    pointsClawedBack: integer('points_clawed_back').notNull(),
    pointsReturned: integer('points_returned').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('order_refunds_order').on(t.orderPk, t.createdAt),
    check(
      checks.orderRefundsRange,
      sql`${wholeWithin(t.amount, 0, MAX_AMOUNT)} and ${wholeWithin(t.pointsClawedBack, 0, MAX_BALANCE)} and ${wholeWithin(t.pointsReturned, 0, MAX_BALANCE)}`,
    ),
  ],
);

export type OrderRow = typeof orders.$inferSelect;
export type OrderLineRow = typeof orderLines.$inferSelect;
export type OrderRefundRow = typeof orderRefunds.$inferSelect;
