import { and, eq, sql, type SQL } from 'drizzle-orm';
import { memberPurchaseCounts, memberStats } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { insertRows } from '../../platform/db/insert-rows';
import type { NewOrder } from '../orders';
import { orderForStats, statsDelta, type StatsDelta } from './domain/stats';

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
          .values({
            programId,
            memberId,
            firstOrderAt: delta.placedAt,
            lastOrderAt: delta.placedAt,
            orderCount: delta.orderCount,
            totalSpend: delta.spend,
          })
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
          .where(
            and(
              eq(memberPurchaseCounts.memberId, memberId),
              eq(memberPurchaseCounts.kind, kind),
              eq(memberPurchaseCounts.key, key),
              eq(memberPurchaseCounts.day, day),
            ),
          ),
  );
  const emptied = delta.purchases.some((purchase) => purchase.orders < 0)
    ? [db.delete(memberPurchaseCounts).where(and(eq(memberPurchaseCounts.memberId, memberId), eq(memberPurchaseCounts.orders, 0)))]
    : [];
  return [stats, ...purchases, ...emptied];
}

/**
 * What many new orders (an import) add to their members' stats, merged per member and per
 * purchase key and day, as a few multi-row upserts: a thousand orders cost a handful of statements.
 */
export function addedStatsStatements(db: Database, programId: string, added: Array<{ memberId: string; delta: StatsDelta }>) {
  const perMember = new Map<
    string,
    { memberId: string; programId: string; firstOrderAt: Date; lastOrderAt: Date; orderCount: number; totalSpend: number }
  >();
  const perKey = new Map<
    string,
    { programId: string; memberId: string; kind: StatsDelta['purchases'][number]['kind']; key: string; day: number; orders: number }
  >();
  for (const { memberId, delta } of added) {
    const stats = perMember.get(memberId) ?? {
      memberId,
      programId,
      firstOrderAt: delta.placedAt,
      lastOrderAt: delta.placedAt,
      orderCount: 0,
      totalSpend: 0,
    };
    if (delta.placedAt < stats.firstOrderAt) stats.firstOrderAt = delta.placedAt;
    if (delta.placedAt > stats.lastOrderAt) stats.lastOrderAt = delta.placedAt;
    stats.orderCount += delta.orderCount;
    stats.totalSpend += delta.spend;
    perMember.set(memberId, stats);
    for (const { kind, key, day, orders } of delta.purchases) {
      const id = `${memberId}\u0000${kind}\u0000${key}\u0000${day}`;
      const entry = perKey.get(id) ?? { programId, memberId, kind, key, day, orders: 0 };
      entry.orders += orders;
      perKey.set(id, entry);
    }
  }
  return [
    ...insertRows(db, memberStats, [...perMember.values()], {
      onConflictDoUpdate: {
        target: memberStats.memberId,
        set: {
          firstOrderAt: sql`min(coalesce(${memberStats.firstOrderAt}, excluded.first_order_at), excluded.first_order_at)`,
          lastOrderAt: sql`max(coalesce(${memberStats.lastOrderAt}, excluded.last_order_at), excluded.last_order_at)`,
          orderCount: sql`${memberStats.orderCount} + excluded.order_count`,
          totalSpend: sql`${memberStats.totalSpend} + excluded.total_spend`,
        },
      },
    }),
    ...insertRows(db, memberPurchaseCounts, [...perKey.values()], {
      onConflictDoUpdate: {
        target: [memberPurchaseCounts.memberId, memberPurchaseCounts.kind, memberPurchaseCounts.key, memberPurchaseCounts.day],
        set: { orders: sql`${memberPurchaseCounts.orders} + excluded.orders` },
      },
    }),
  ];
}

/** What new orders (one recorded, or an import's thousand) add to their members' stats, for the batch that writes them. */
export function newOrderStatsStatements(db: Database, newOrders: NewOrder[]) {
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
  return added.length > 0 ? addedStatsStatements(db, newOrders[0]!.programId, added) : [];
}

/** Members whose first order (any, as member stats keep it) was placed before `before`: imported history counts. */
export async function memberIdsOrderingBefore(db: Database, programId: string, before: Date, within: SQL | null): Promise<string[]> {
  const rows = await db
    .select({ id: memberStats.memberId })
    .from(memberStats)
    .where(
      and(
        eq(memberStats.programId, programId),
        sql`${memberStats.firstOrderAt} < ${before.getTime()}`,
        within ? sql`${memberStats.memberId} in (${within})` : undefined,
      ),
    );
  return rows.map((row) => row.id);
}
