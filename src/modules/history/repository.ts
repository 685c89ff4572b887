import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import { memberPurchaseCounts, memberStats, offerApplications, promoCodes } from '../../../schema';
import type { Database } from '../../platform/db/database';
import type { PurchaseKeyKind } from '../../../schema';
import { linesOfOrders, refundsOfOrders } from '../orders';

/** Lines, applied offers and refunds of many orders: one round trip whatever their number. */
export async function orderDetails(db: Database, orderPks: string[]) {
  const [lines, applications, refunds] = await db.batch([
    linesOfOrders(db, orderPks),
    db
      .select({ application: offerApplications, code: promoCodes.code })
      .from(offerApplications)
      .leftJoin(promoCodes, eq(promoCodes.id, offerApplications.codeId))
      .where(inArray(offerApplications.orderPk, orderPks))
      .orderBy(offerApplications.orderPk, offerApplications.id),
    refundsOfOrders(db, orderPks),
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
