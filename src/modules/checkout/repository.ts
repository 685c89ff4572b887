import { orderLines, orders } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { insertRows } from '../../platform/db/insert-rows';
import { addedStatsStatements, statsDelta } from '../history';

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

/** An order as its member's stats see it (refunds and claims change what it counts for). */
export function orderForStats(
  order: { createdAt: Date; total: number; discount: number; refundedAmount: number; fullyRefundedAt: Date | null },
  lines: Array<{ sku: string; category: string | null; quantity: number; refundedQuantity: number }>,
) {
  return {
    placedAt: order.createdAt,
    netTotal: order.total - order.discount,
    refundedAmount: order.refundedAmount,
    fullyRefunded: order.fullyRefundedAt !== null,
    lines,
  };
}

/**
 * The rows of new orders (one recorded, or an import's thousand) and what they add to their
 * members' stats, as a few multi-row statements for one batch.
 */
export function newOrderStatements(db: Database, newOrders: NewOrder[]) {
  const orderRows = newOrders.map(({ orderPk, placedAt, lines: _lines, ...columns }) => ({ id: orderPk, ...columns, createdAt: placedAt }));
  const lineRows = newOrders.flatMap((order) => order.lines.map((line, lineNo) => ({ orderId: order.orderPk, lineNo, ...line })));
  // A guest's order counts for no one until a member claims it.
  const added = newOrders.flatMap((order) =>
    order.memberId
      ? [
          {
            memberId: order.memberId,
            delta: statsDelta(
              null,
              orderForStats(
                { createdAt: order.placedAt, total: order.total, discount: order.discount ?? 0, refundedAmount: 0, fullyRefundedAt: null },
                order.lines.map((line) => ({ ...line, refundedQuantity: 0 })),
              ),
            ),
          },
        ]
      : [],
  );
  return [
    ...insertRows(db, orders, orderRows),
    ...insertRows(db, orderLines, lineRows),
    ...(added.length > 0 ? addedStatsStatements(db, newOrders[0]!.programId, added) : []),
  ];
}
