import { and, eq, sql } from 'drizzle-orm';
import { orderLines, orders } from '../../../schema';
import type { Database } from '../../platform/db/database';

export function findOrder(db: Database, programId: string, orderId: string) {
  return db.query.orders.findFirst({ where: and(eq(orders.programId, programId), eq(orders.orderId, orderId)) });
}

export function linesOf(db: Database, orderPk: string) {
  return db.select().from(orderLines).where(eq(orderLines.orderId, orderPk)).orderBy(orderLines.lineNo);
}

/** Each member's last order (when it was placed) among the members in (afterMemberId, lastMemberId]; a query builder to batch. */
export function lastOrderDates(db: Database, programId: string, afterMemberId: string | null, lastMemberId: string) {
  return db
    .select({ memberId: sql<string>`${orders.memberId}`, lastOrderAt: sql<Date>`max(${orders.createdAt})`.mapWith(orders.createdAt) })
    .from(orders)
    .where(
      and(
        eq(orders.programId, programId),
        afterMemberId ? sql`${orders.memberId} > ${afterMemberId}` : sql`${orders.memberId} is not null`,
        sql`${orders.memberId} <= ${lastMemberId}`,
      ),
    )
    .groupBy(orders.memberId);
}
