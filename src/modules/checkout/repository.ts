import { and, eq } from 'drizzle-orm';
import { orderLines, orders } from '../../../schema';
import type { Database } from '../../platform/db/database';

export function findOrder(db: Database, programId: string, orderId: string) {
  return db.query.orders.findFirst({ where: and(eq(orders.programId, programId), eq(orders.orderId, orderId)) });
}

export function linesOf(db: Database, orderPk: string) {
  return db.select().from(orderLines).where(eq(orderLines.orderId, orderPk)).orderBy(orderLines.lineNo);
}
