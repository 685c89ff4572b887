import { and, eq, sql, type SQL } from 'drizzle-orm';
import { memberMonthlyActivity, memberPurchaseCounts, memberStats, purchasedKeys } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { monthIndex } from '../../platform/time';
import { insertRows } from '../../platform/db/insert-rows';
import type { NewOrder } from '../orders';
import { orderForStats, statsDelta, type StatsDelta } from './domain/stats';

/**
 * The statements that apply a stats delta, for the batch of the order change it comes from. The
 * member's row is created on its first order; purchase counts and monthly activity that drop to
 * zero are deleted.
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
  return [
    stats,
    ...purchases,
    ...emptied,
    ...purchasedKeysStatements(db, programId, delta.purchases),
    ...monthlyActivityStatements(db, programId, memberId, delta),
  ];
}

/** Records the SKUs and categories bought (a purchase counted), once per program; they stay known after refunds. */
function purchasedKeysStatements(db: Database, programId: string, purchases: StatsDelta['purchases']) {
  const keys = new Map<string, { programId: string; kind: StatsDelta['purchases'][number]['kind']; key: string }>();
  for (const { kind, key, orders } of purchases) if (orders > 0) keys.set(`${kind}\u0000${key}`, { programId, kind, key });
  return insertRows(db, purchasedKeys, [...keys.values()], { onConflictDoNothing: true });
}

function monthlyActivityStatements(db: Database, programId: string, memberId: string, delta: StatsDelta) {
  if (delta.orderCount === 0 && delta.spend === 0) return [];
  const month = monthIndex(delta.placedAt);
  const totals = {
    orders: sql`${memberMonthlyActivity.orders} + ${delta.orderCount}`,
    spend: sql`${memberMonthlyActivity.spend} + ${delta.spend}`,
  };
  const thisMonth = and(
    eq(memberMonthlyActivity.programId, programId),
    eq(memberMonthlyActivity.memberId, memberId),
    eq(memberMonthlyActivity.month, month),
  );
  if (delta.orderCount >= 0 && delta.spend >= 0)
    return [
      db
        .insert(memberMonthlyActivity)
        .values({ programId, memberId, month, orders: delta.orderCount, spend: delta.spend })
        .onConflictDoUpdate({
          target: [memberMonthlyActivity.programId, memberMonthlyActivity.memberId, memberMonthlyActivity.month],
          set: totals,
        }),
    ];
  // What takes away is an update (the order being refunded created the row); a month left without a counted order goes.
  return [
    db.update(memberMonthlyActivity).set(totals).where(thisMonth),
    ...(delta.orderCount < 0 ? [db.delete(memberMonthlyActivity).where(and(thisMonth, eq(memberMonthlyActivity.orders, 0)))] : []),
  ];
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
  const perMonth = new Map<string, { programId: string; memberId: string; month: number; orders: number; spend: number }>();
  for (const { memberId, delta } of added) {
    const month = monthIndex(delta.placedAt);
    const activity = perMonth.get(`${memberId}\u0000${month}`) ?? { programId, memberId, month, orders: 0, spend: 0 };
    activity.orders += delta.orderCount;
    activity.spend += delta.spend;
    perMonth.set(`${memberId}\u0000${month}`, activity);
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
    ...insertRows(
      db,
      memberMonthlyActivity,
      [...perMonth.values()].filter((activity) => activity.orders > 0 || activity.spend > 0),
      {
        onConflictDoUpdate: {
          target: [memberMonthlyActivity.programId, memberMonthlyActivity.memberId, memberMonthlyActivity.month],
          set: {
            orders: sql`${memberMonthlyActivity.orders} + excluded.orders`,
            spend: sql`${memberMonthlyActivity.spend} + excluded.spend`,
          },
        },
      },
    ),
    ...purchasedKeysStatements(
      db,
      programId,
      added.flatMap(({ delta }) => delta.purchases),
    ),
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

/** SQL: ids (`member_id`) of members whose first order (any, as member stats keep it) was placed before `before`: imported history counts. */
export function memberIdsOrderingBeforeSql(programId: string, before: Date, within: SQL | null): SQL {
  return sql`select ${memberStats.memberId} as member_id from ${memberStats} where ${memberStats.programId} = ${programId} and ${memberStats.firstOrderAt} < ${before.getTime()}${
    within ? sql` and ${memberStats.memberId} in (${within})` : sql``
  }`;
}
