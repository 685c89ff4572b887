import { and, eq, sql } from 'drizzle-orm';
import { memberPurchaseCounts, memberStats } from '../../../schema';
import type { Database } from '../../platform/db/database';
import type { StatsDelta } from './domain/stats';

/**
 * The statements that apply a stats delta, for the batch of the order change it comes from. The
 * member's row is created on its first order; purchase counts that drop to zero are deleted.
 */
export function statsStatements(db: Database, programId: string, memberId: string, delta: StatsDelta) {
  const placedAt = delta.placedAt.getTime();
  const totals = {
    orderCount: sql`${memberStats.orderCount} + ${delta.orderCount}`,
    totalSpend: sql`${memberStats.totalSpend} + ${delta.spend}`,
  };
  // SQLite checks an upsert's candidate row before its conflict, so what takes away is an update:
  // the order being refunded created the row.
  const stats =
    delta.orderCount >= 0 && delta.spend >= 0
      ? db
          .insert(memberStats)
          .values({ programId, memberId, firstOrderAt: delta.placedAt, lastOrderAt: delta.placedAt, orderCount: delta.orderCount, totalSpend: delta.spend })
          .onConflictDoUpdate({
            target: memberStats.memberId,
            set: {
              firstOrderAt: sql`min(coalesce(${memberStats.firstOrderAt}, ${placedAt}), ${placedAt})`,
              lastOrderAt: sql`max(coalesce(${memberStats.lastOrderAt}, ${placedAt}), ${placedAt})`,
              ...totals,
            },
          })
      : db.update(memberStats).set(totals).where(eq(memberStats.memberId, memberId));
  const purchases = delta.purchases.map(({ kind, key, day, orders }) =>
    orders > 0
      ? db
          .insert(memberPurchaseCounts)
          .values({ programId, memberId, kind, key, day, orders })
          .onConflictDoUpdate({
            target: [memberPurchaseCounts.memberId, memberPurchaseCounts.kind, memberPurchaseCounts.key, memberPurchaseCounts.day],
            set: { orders: sql`${memberPurchaseCounts.orders} + ${orders}` },
          })
      : db
          .update(memberPurchaseCounts)
          .set({ orders: sql`${memberPurchaseCounts.orders} + ${orders}` })
          .where(and(eq(memberPurchaseCounts.memberId, memberId), eq(memberPurchaseCounts.kind, kind), eq(memberPurchaseCounts.key, key), eq(memberPurchaseCounts.day, day))),
  );
  const emptied = delta.purchases.some((purchase) => purchase.orders < 0)
    ? [db.delete(memberPurchaseCounts).where(and(eq(memberPurchaseCounts.memberId, memberId), eq(memberPurchaseCounts.orders, 0)))]
    : [];
  return [stats, ...purchases, ...emptied];
}
