import { and, eq, inArray, sql, type Column, type SQL } from 'drizzle-orm';
import { memberDailyActivity, memberStats, purchasedKeys } from '../../../schema';
import type { Database } from '../../platform/db/database';
import type { PurchaseKeyKind } from '../../../schema';
import type { applicationsOfOrders } from '../offers';
import { linesOfOrders, refundsOfOrders } from '../orders';
import { dayPurchaseEntryStart } from './domain/stats';

/**
 * The offers module's read of the offers applied to orders. History cannot import offers (offers →
 * segments → history), so the composition root (src/services.ts) passes it in.
 */
export type ApplicationsOfOrders = typeof applicationsOfOrders;

/** Lines, applied offers and refunds of many orders: one round trip whatever their number. */
export async function orderDetails(db: Database, applicationsOf: ApplicationsOfOrders, orderPks: string[]) {
  const [lines, applications, refunds] = await db.batch([
    linesOfOrders(db, orderPks),
    applicationsOf(db, orderPks),
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
  const a = memberDailyActivity;
  return db.all<{ key: string; orders: number }>(sql`select bought.value ->> 1 as key, sum(bought.value ->> 2) as orders
    from ${a}, json_each(${a.purchases}) as bought
    where ${a.programId} = ${programId} and ${a.memberId} = ${memberId} and ${a.day} >= ${fromDay} and bought.value ->> 0 = ${kind}
    group by 1 order by 2 desc, 1 limit ${limit}`);
}

/** Whether any member of the program ever bought the SKU or category (refunded or not); a query builder (one row or none). */
export function anyPurchaseOf(db: Database, programId: string, kind: PurchaseKeyKind, key: string) {
  return db
    .select({ key: purchasedKeys.key })
    .from(purchasedKeys)
    .where(and(eq(purchasedKeys.programId, programId), eq(purchasedKeys.kind, kind), eq(purchasedKeys.key, key)))
    .limit(1);
}

/** A member's lifetime order count or spend (0 without orders); a scalar subquery over the caller's member id column. */
export function memberStatSql(memberId: Column, stat: 'orderCount' | 'totalSpend'): SQL {
  return sql`coalesce((select ${memberStats[stat]} from ${memberStats} where ${memberStats.memberId} = ${memberId}), 0)`;
}

/** Whether the member's last order was placed at or before `atMost` and after `after` (epoch ms; each optional, one given); false without orders. */
export function memberLastOrderSql(memberId: Column, bounds: { atMost?: number; after?: number }): SQL {
  const tests = [
    bounds.atMost !== undefined ? sql`${memberStats.lastOrderAt} <= ${bounds.atMost}` : null,
    bounds.after !== undefined ? sql`${memberStats.lastOrderAt} > ${bounds.after}` : null,
  ].filter((part): part is SQL => part !== null);
  return sql`exists (select 1 from ${memberStats} where ${memberStats.memberId} = ${memberId} and ${memberStats.lastOrderAt} is not null and ${sql.join(tests, sql` and `)})`;
}

/**
 * The member's orders that bought the SKU or category on `fromDay` (days since 1970-01-01) or later;
 * a scalar subquery over the caller's member columns, seeking the daily activity's key (program,
 * member, day). Only the days whose purchases text holds the entry are parsed: a segment refresh
 * asks this of every member, and parsing every day's purchases doubled its time.
 */
export function memberPurchasesSinceSql(
  member: { programId: Column; id: Column },
  kind: PurchaseKeyKind,
  key: string,
  fromDay: number,
): SQL {
  const a = memberDailyActivity;
  return sql`(select coalesce(sum(bought.value ->> 2), 0) from ${a}, json_each(${a.purchases}) as bought
        where ${a.programId} = ${member.programId} and ${a.memberId} = ${member.id} and ${a.day} >= ${fromDay}
          and instr(${a.purchases}, ${dayPurchaseEntryStart({ kind, key })}) > 0
          and bought.value ->> 0 = ${kind} and bought.value ->> 1 = ${key})`;
}

/**
 * One row per customer of the program (a member with a counted order): `member_id`, and `score`
 * (a window expression) of the last order's time as `recency`, of the order count as `frequency` and
 * of the spend as `monetary`; a subquery over the caller's program id column.
 */
export function customerScoresSql(programId: Column, score: (measure: SQL) => SQL): SQL {
  return sql`(select member_id, ${score(sql`last_order_at`)} as recency, ${score(sql`order_count`)} as frequency, ${score(sql`total_spend`)} as monetary
    from ${memberStats} where ${memberStats.programId} = ${programId} and ${memberStats.orderCount} > 0)`;
}
