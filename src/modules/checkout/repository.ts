import { and, eq, inArray } from 'drizzle-orm';
import { orderLines, orders } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { addedStatsStatements, statsDelta } from '../history';

export function findOrder(db: Database, programId: string, orderId: string) {
  return db.query.orders.findFirst({ where: and(eq(orders.programId, programId), eq(orders.orderId, orderId)) });
}

export function linesOf(db: Database, orderPk: string) {
  return db.select().from(orderLines).where(eq(orderLines.orderId, orderPk)).orderBy(orderLines.lineNo);
}

export function existingOrderIds(db: Database, programId: string, orderIds: string[]) {
  return db.select({ orderId: orders.orderId }).from(orders).where(and(eq(orders.programId, programId), inArray(orders.orderId, orderIds)));
}

export interface NewOrder {
  orderPk: string;
  programId: string;
  memberId: string;
  orderId: string;
  currency: string;
  total: number;
  discount: number;
  pointsRedeemed: number;
  pointsPayment: number;
  pointsEarned: number;
  attributes: Record<string, unknown>;
  placedAt: Date;
  lines: Array<{ sku: string; category: string | null; quantity: number; unitPrice: number; discount: number; attributes?: Record<string, unknown> }>;
}

const ROWS_PER_INSERT = 500;
const inChunks = <T>(items: T[]) => Array.from({ length: Math.ceil(items.length / ROWS_PER_INSERT) }, (_, index) => items.slice(index * ROWS_PER_INSERT, (index + 1) * ROWS_PER_INSERT));

/**
 * The rows of new orders (one recorded, or an import's thousand) and what they add to their
 * members' stats, as a few multi-row statements for one batch.
 */
export function newOrderStatements(db: Database, newOrders: NewOrder[]) {
  const orderRows = newOrders.map(({ orderPk, placedAt, lines: _lines, ...columns }) => ({ id: orderPk, ...columns, createdAt: placedAt }));
  const lineRows = newOrders.flatMap((order) => order.lines.map((line, lineNo) => ({ orderId: order.orderPk, lineNo, ...line })));
  const added = newOrders.map((order) => ({
    memberId: order.memberId,
    delta: statsDelta(null, {
      placedAt: order.placedAt,
      netTotal: order.total - order.discount,
      refundedAmount: 0,
      fullyRefunded: false,
      lines: order.lines.map((line) => ({ ...line, refundedQuantity: 0 })),
    }),
  }));
  return [
    ...inChunks(orderRows).map((rows) => db.insert(orders).values(rows)),
    ...inChunks(lineRows).map((rows) => db.insert(orderLines).values(rows)),
    ...(newOrders.length > 0 ? addedStatsStatements(db, newOrders[0]!.programId, added) : []),
  ];
}
