import { and, eq, sql, type SQL } from 'drizzle-orm';
import { memberDailyActivity, memberStats, purchasedKeys } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { dayNumber, monthIndex } from '../../platform/time';
import { insertRows } from '../../platform/db/insert-rows';
import type { NewOrder } from '../orders';
import { changesNoDay, dayPurchasesJson, onlyAdds, orderForStats, statsDelta, type StatsDelta } from './domain/stats';

/**
 * The statements that apply a stats delta, for the batch of the order change it comes from. The
 * member's row is created on its first order, its day's row on the day's first counted order; a day
 * left without a counted order is deleted.
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
  return [stats, ...dailyActivityStatements(db, programId, memberId, delta), ...purchasedKeysStatements(db, programId, delta.purchases)];
}

/** Records the SKUs and categories bought (a purchase counted), once per program; they stay known after refunds. */
function purchasedKeysStatements(db: Database, programId: string, purchases: StatsDelta['purchases']) {
  const keys = new Map<string, { programId: string; kind: StatsDelta['purchases'][number]['kind']; key: string }>();
  for (const { kind, key, orders } of purchases) if (orders > 0) keys.set(`${kind}\u0000${key}`, { programId, kind, key });
  return insertRows(db, purchasedKeys, [...keys.values()], { onConflictDoNothing: true });
}

const daily = memberDailyActivity;
const dailyKey = [daily.programId, daily.memberId, daily.day];

/**
 * SQL: a day's stored purchases plus others (JSON as `dayPurchasesJson` writes them, negative to
 * take away), summed per kind and key, entries at 0 left out, sorted as stored. Both writers' one
 * expression; what is added may be `excluded.purchases` (no parameters: an import's shared text).
 */
const purchasesPlus = (added: SQL) =>
  sql`(select json_group_array(json_array(bought_kind, bought_key, bought_orders) order by bought_kind, bought_key) from (
      select value ->> 0 as bought_kind, value ->> 1 as bought_key, sum(value ->> 2) as bought_orders
      from (select value from json_each(${daily.purchases}) union all select value from json_each(${added}))
      group by 1, 2)
    where bought_orders > 0)`;

/** What one order change adds to its member's day (the day it was placed on); a day left without a counted order goes. */
function dailyActivityStatements(db: Database, programId: string, memberId: string, delta: StatsDelta) {
  if (changesNoDay(delta)) return [];
  const day = dayNumber(delta.placedAt);
  const purchases = dayPurchasesJson(delta.purchases);
  const totals = {
    orders: sql`${daily.orders} + ${delta.orderCount}`,
    spend: sql`${daily.spend} + ${delta.spend}`,
    purchases: purchasesPlus(sql`${purchases}`),
  };
  if (onlyAdds(delta))
    return [
      db
        .insert(daily)
        .values({ programId, memberId, day, month: monthIndex(delta.placedAt), orders: delta.orderCount, spend: delta.spend, purchases })
        .onConflictDoUpdate({ target: dailyKey, set: totals }),
    ];
  // What takes away is an update (the order being refunded created the row).
  const thisDay = and(eq(daily.programId, programId), eq(daily.memberId, memberId), eq(daily.day, day));
  return [
    db.update(daily).set(totals).where(thisDay),
    ...(delta.orderCount < 0 ? [db.delete(daily).where(and(thisDay, eq(daily.orders, 0)))] : []),
  ];
}

/**
 * What many new orders (an import) add to their members' stats, merged per member and per member
 * and day, as a few multi-row upserts: a thousand orders cost a handful of statements.
 */
export function addedStatsStatements(db: Database, programId: string, added: Array<{ memberId: string; delta: StatsDelta }>) {
  const perMember = new Map<
    string,
    { memberId: string; programId: string; firstOrderAt: Date; lastOrderAt: Date; orderCount: number; totalSpend: number }
  >();
  const perDay = new Map<string, { memberId: string; day: number; month: number; deltas: StatsDelta[] }>();
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
    if (changesNoDay(delta)) continue;
    const day = dayNumber(delta.placedAt);
    const id = `${memberId}\u0000${day}`;
    const days = perDay.get(id) ?? { memberId, day, month: monthIndex(delta.placedAt), deltas: [] };
    days.deltas.push(delta);
    perDay.set(id, days);
  }
  const days = [...perDay.values()].map(({ memberId, day, month, deltas }) => ({
    programId,
    memberId,
    day,
    month,
    orders: deltas.reduce((sum, delta) => sum + delta.orderCount, 0),
    spend: deltas.reduce((sum, delta) => sum + delta.spend, 0),
    purchases: dayPurchasesJson(deltas.flatMap((delta) => delta.purchases)),
  }));
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
    ...insertRows(db, daily, days, {
      onConflictDoUpdate: {
        target: dailyKey,
        set: {
          orders: sql`${daily.orders} + excluded.orders`,
          spend: sql`${daily.spend} + excluded.spend`,
          purchases: purchasesPlus(sql`excluded.purchases`),
        },
      },
    }),
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
