import { and, eq, sql } from 'drizzle-orm';
import { orderLines, orderRefunds, orders } from '../../../schema';
import { columnTarget, type ConstraintViolation } from '../../platform/db/constraint-errors';
import type { Database } from '../../platform/db/database';
import { insertRows } from '../../platform/db/insert-rows';
import { newId } from '../../platform/ids';

/** A new order's row (its columns but the key and time), its lines, and when it was placed. */
export type NewOrder = Omit<typeof orders.$inferInsert, 'id' | 'createdAt'> & {
  orderPk: string;
  placedAt: Date;
  lines: Array<{
    sku: string;
    category: string | null;
    quantity: number;
    unitPrice: number;
    discount: number;
    attributes?: Record<string, unknown>;
  }>;
};

/** The rows of new orders (one recorded, or an import's thousand) and their lines, as a few multi-row statements for one batch. */
export function newOrderStatements(db: Database, newOrders: NewOrder[]) {
  const orderRows = newOrders.map(({ orderPk, placedAt, lines: _lines, ...columns }) => ({ id: orderPk, ...columns, createdAt: placedAt }));
  const lineRows = newOrders.flatMap((order) => order.lines.map((line, lineNo) => ({ orderId: order.orderPk, lineNo, ...line })));
  return [...insertRows(db, orders, orderRows), ...insertRows(db, orderLines, lineRows)];
}

/** The order id is recorded already (its UNIQUE guard tripped). */
export const orderIdTaken = (violation: ConstraintViolation | null) =>
  violation?.kind === 'unique' && violation.targets.includes(columnTarget(orders.orderId));

/** A guest's order becomes the claiming member's. */
export function claimStatement(db: Database, orderPk: string, memberId: string, at: Date) {
  return db.update(orders).set({ memberId, claimedAt: at }).where(eq(orders.id, orderPk));
}

/** What one refund adds to the order's running totals (the CHECKs on them refuse more than was paid). */
export interface RefundCounts {
  amount: number;
  pointsClawedBack: number;
  pointsReturned: number;
  walletReturned: { bonus: number; cash: number };
}

/** A refund added to the order's totals and, by line number, to its lines' refunded quantities. */
export function refundStatements(db: Database, orderPk: string, refund: RefundCounts, lineAllocations: Map<number, number>) {
  const { amount, pointsClawedBack, pointsReturned, walletReturned } = refund;
  return [
    db
      .update(orders)
      .set({
        refundedAmount: sql`${orders.refundedAmount} + ${amount}`,
        pointsClawedBack: sql`${orders.pointsClawedBack} + ${pointsClawedBack}`,
        pointsReturned: sql`${orders.pointsReturned} + ${pointsReturned}`,
        walletReturned: sql`${orders.walletReturned} + ${walletReturned.bonus + walletReturned.cash}`,
        walletBonusReturned: sql`${orders.walletBonusReturned} + ${walletReturned.bonus}`,
      })
      .where(eq(orders.id, orderPk)),
    ...[...lineAllocations].map(([lineNo, quantity]) =>
      db
        .update(orderLines)
        .set({ refundedQuantity: sql`${orderLines.refundedQuantity} + ${quantity}` })
        .where(and(eq(orderLines.orderId, orderPk), eq(orderLines.lineNo, lineNo))),
    ),
  ];
}

/** The row a refund leaves in the order's history, for the refund's own batch. */
export function refundRecordStatement(
  db: Database,
  refund: { programId: string; orderPk: string; amount: number; pointsClawedBack: number; pointsReturned: number; at: Date },
) {
  const { at, ...values } = refund;
  return db.insert(orderRefunds).values({ id: newId(), ...values, createdAt: at });
}

/** The refund that completes a full refund marks the order so. */
export function fullyRefundedStatement(db: Database, orderPk: string, at: Date) {
  return db.update(orders).set({ fullyRefundedAt: at }).where(eq(orders.id, orderPk));
}
