import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { memberPurchaseCounts, memberStats, offerApplications, orderLines, orderRefunds, orders, promoCodes } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { keyset, type KeysetPage } from '../../platform/db/keyset';
import type { PurchaseKeyKind } from '../../../schema';

export interface OrderFilter {
  memberId?: string | null;
  /** Orders placed at or after this instant. */
  from?: Date | null;
  /** Orders placed before this instant. */
  to?: Date | null;
}

/** One keyset page of a program's orders, newest first. */
export function listOrders(db: Database, programId: string, filter: OrderFilter, page: KeysetPage) {
  const { conditions: position, orderBy, limit } = keyset(orders.id, page, true);
  const conditions: SQL[] = [eq(orders.programId, programId), ...position];
  if (filter.memberId) conditions.push(eq(orders.memberId, filter.memberId));
  if (filter.from) conditions.push(gte(orders.createdAt, filter.from));
  if (filter.to) conditions.push(lt(orders.createdAt, filter.to));
  return db
    .select()
    .from(orders)
    .where(and(...conditions))
    .orderBy(orderBy)
    .limit(limit);
}

export function ordersByPks(db: Database, programId: string, orderPks: readonly string[]) {
  return db
    .select()
    .from(orders)
    .where(and(eq(orders.programId, programId), inArray(orders.id, [...orderPks])));
}

export function orderByOrderId(db: Database, programId: string, orderId: string) {
  return db
    .select()
    .from(orders)
    .where(and(eq(orders.programId, programId), eq(orders.orderId, orderId)));
}

/** Lines, applied offers and refunds of many orders: one round trip whatever their number. */
export async function orderDetails(db: Database, orderPks: string[]) {
  const [lines, applications, refunds] = await db.batch([
    db.select().from(orderLines).where(inArray(orderLines.orderId, orderPks)).orderBy(orderLines.orderId, orderLines.lineNo),
    db
      .select({ application: offerApplications, code: promoCodes.code })
      .from(offerApplications)
      .leftJoin(promoCodes, eq(promoCodes.id, offerApplications.codeId))
      .where(inArray(offerApplications.orderPk, orderPks))
      .orderBy(offerApplications.orderPk, offerApplications.id),
    db.select().from(orderRefunds).where(inArray(orderRefunds.orderPk, orderPks)).orderBy(orderRefunds.orderPk, orderRefunds.createdAt),
  ]);
  return { lines, applications, refunds };
}

export function statsOf(db: Database, programId: string, memberIds: readonly string[]) {
  return db
    .select()
    .from(memberStats)
    .where(and(eq(memberStats.programId, programId), inArray(memberStats.memberId, [...memberIds])));
}

/** What a member bought most (orders per SKU or category) since `fromDay`, most first. */
export function purchasesOf(db: Database, programId: string, memberId: string, kind: PurchaseKeyKind, fromDay: number, limit: number) {
  const orderCount = sql<number>`sum(${memberPurchaseCounts.orders})`.mapWith(Number);
  return db
    .select({ key: memberPurchaseCounts.key, orders: orderCount })
    .from(memberPurchaseCounts)
    .where(
      and(
        eq(memberPurchaseCounts.programId, programId),
        eq(memberPurchaseCounts.memberId, memberId),
        eq(memberPurchaseCounts.kind, kind),
        gte(memberPurchaseCounts.day, fromDay),
      ),
    )
    .groupBy(memberPurchaseCounts.key)
    .orderBy(desc(orderCount), memberPurchaseCounts.key)
    .limit(limit);
}
