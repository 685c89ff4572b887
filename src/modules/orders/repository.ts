import { and, eq, gt, gte, inArray, lt, lte, sql, type Column, type SQL } from 'drizzle-orm';
import { orderLines, orderRefunds, orders } from '../../../schema';
import type { tierMetrics } from '../../../schema/values';
import type { Database } from '../../platform/db/database';
import { keyset, type KeysetPage } from '../../platform/db/keyset';

/** What a tier counts on an order: its net spend or its net points earned. */
export type OrderMeasure = (typeof tierMetrics)[number];

/** Orders placed after `start` (or at it, when `startInclusive`) and up to `end`. */
export interface PlacedWithin {
  start: Date;
  end: Date;
  startInclusive: boolean;
}

/** Net spend (total − discount − refunded) or net points earned (earned − clawed back) of an order. */
function measureOf(measure: OrderMeasure): SQL {
  return measure === 'spend'
    ? sql`${orders.total} - ${orders.discount} - ${orders.refundedAmount}`
    : sql`${orders.pointsEarned} - ${orders.pointsClawedBack}`;
}

/** Clamped: years of large orders could sum past 2^53, and only which threshold (≤ 1e12) is reached matters. */
const clampedSum = (measure: OrderMeasure) => sql`min(coalesce(sum(${measureOf(measure)}), 0), ${Number.MAX_SAFE_INTEGER})`;

/** One range of the (program, member, created_at) index. */
function placedBy(programId: string, memberId: string | SQL, window: PlacedWithin) {
  return and(
    eq(orders.programId, programId),
    eq(orders.memberId, memberId),
    window.startInclusive ? gte(orders.createdAt, window.start) : gt(orders.createdAt, window.start),
    lte(orders.createdAt, window.end),
  );
}

/** The member's orders placed within the window, summed by `measure`. */
export async function memberOrdersTotal(
  db: Database,
  programId: string,
  memberId: string,
  measure: OrderMeasure,
  window: PlacedWithin,
): Promise<number> {
  const [row] = await db
    .select({ value: sql<number>`${clampedSum(measure)}`.mapWith(Number) })
    .from(orders)
    .where(placedBy(programId, memberId, window));
  return row?.value ?? 0;
}

/** `memberOrdersTotal` as a scalar subquery, for a set-based query over many members (`memberId`: their id column). */
export function memberOrdersTotalSql(programId: string, memberId: SQL, measure: OrderMeasure, window: PlacedWithin): SQL<number> {
  return sql<number>`(select ${clampedSum(measure)} from ${orders} where ${placedBy(programId, memberId, window)})`.mapWith(Number);
}

/** What the order (by its row id, e.g. a column of the caller's table) came to before discounts; a scalar subquery. */
export function orderTotalSql(orderPk: SQL | Column): SQL<number> {
  return sql<number>`(select ${orders.total} from ${orders} where ${orders.id} = ${orderPk})`.mapWith(Number);
}

/** When the order (by its row id, e.g. a column of the caller's table) was fully refunded, null while it is not; a scalar subquery. */
export function orderFullyRefundedAtSql(orderPk: SQL | Column): SQL<Date | null> {
  return sql<Date | null>`(select ${orders.fullyRefundedAt} from ${orders} where ${orders.id} = ${orderPk})`.mapWith(
    orders.fullyRefundedAt,
  );
}

export function findOrder(db: Database, programId: string, orderId: string) {
  return db.query.orders.findFirst({ where: and(eq(orders.programId, programId), eq(orders.orderId, orderId)) });
}

export function linesOf(db: Database, orderPk: string) {
  return db.select().from(orderLines).where(eq(orderLines.orderId, orderPk)).orderBy(orderLines.lineNo);
}

/** Orders of the members in (afterMemberId, lastMemberId] (a chunk of a job; the last id may be a subquery). */
function ofMembersBetween(programId: string, afterMemberId: string | null, lastMemberId: string | SQL) {
  return and(
    eq(orders.programId, programId),
    afterMemberId ? sql`${orders.memberId} > ${afterMemberId}` : sql`${orders.memberId} is not null`,
    sql`${orders.memberId} <= ${lastMemberId}`,
  );
}

/** Each member's last order (when it was placed) among the members in (afterMemberId, lastMemberId]; a query builder to batch. */
export function lastOrderDates(db: Database, programId: string, afterMemberId: string | null, lastMemberId: string | SQL) {
  return db
    .select({ memberId: sql<string>`${orders.memberId}`, lastOrderAt: sql<Date>`max(${orders.createdAt})`.mapWith(orders.createdAt) })
    .from(orders)
    .where(ofMembersBetween(programId, afterMemberId, lastMemberId))
    .groupBy(orders.memberId);
}

/**
 * Every order of the members in (afterMemberId, lastMemberId] placed after `since` (of those in `memberIds`), with both its
 * measures (as `memberOrdersTotal` sums them): what a forecast of their qualifying metric needs.
 * One range of the (program, member, created_at) index per member; a query builder to batch.
 */
export function measuredOrdersSince(
  db: Database,
  programId: string,
  afterMemberId: string | null,
  lastMemberId: string | SQL,
  since: SQL,
  /** Only these members' orders: a subquery of member ids. */
  memberIds: SQL,
) {
  return db
    .select({
      memberId: sql<string>`${orders.memberId}`,
      placedAt: orders.createdAt,
      spend: sql<number>`${measureOf('spend')}`.mapWith(Number),
      pointsEarned: sql<number>`${measureOf('points_earned')}`.mapWith(Number),
    })
    .from(orders)
    .where(
      and(
        ofMembersBetween(programId, afterMemberId, lastMemberId),
        sql`${orders.createdAt} > ${since}`,
        sql`${orders.memberId} in ${memberIds}`,
      ),
    );
}

export function existingOrderIds(db: Database, programId: string, orderIds: string[]) {
  return db
    .select({ orderId: orders.orderId })
    .from(orders)
    .where(and(eq(orders.programId, programId), inArray(orders.orderId, orderIds)));
}

/** The member's orders placed up to `at`: how many, and the last one's time. */
export async function orderHistory(db: Database, programId: string, memberId: string, at: Date) {
  const [row] = await db
    .select({ count: sql<number>`count(*)`.mapWith(Number), last: sql<number | null>`max(${orders.createdAt})` })
    .from(orders)
    .where(and(eq(orders.programId, programId), eq(orders.memberId, memberId), lte(orders.createdAt, at)));
  return { priorOrders: row?.count ?? 0, lastOrderAt: row?.last == null ? null : new Date(Number(row.last)) };
}

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

/** The lines of many orders, by order then line; a query builder to batch. */
export function linesOfOrders(db: Database, orderPks: string[]) {
  return db.select().from(orderLines).where(inArray(orderLines.orderId, orderPks)).orderBy(orderLines.orderId, orderLines.lineNo);
}

/** The refunds of many orders, by order then time; a query builder to batch. */
export function refundsOfOrders(db: Database, orderPks: string[]) {
  return db
    .select()
    .from(orderRefunds)
    .where(inArray(orderRefunds.orderPk, orderPks))
    .orderBy(orderRefunds.orderPk, orderRefunds.createdAt);
}

/**
 * A member's orders placed since `since` (epoch ms) and not fully refunded, counted or summed by
 * what was paid (total − discount − refunded); a scalar subquery over the caller's member columns.
 */
export function memberOrdersSinceSql(member: { programId: Column; id: Column }, since: number, aggregate: 'count' | 'paid'): SQL {
  const select =
    aggregate === 'count' ? sql`count(*)` : sql`coalesce(sum(${orders.total} - ${orders.discount} - ${orders.refundedAmount}), 0)`;
  return sql`(select ${select} from ${orders} where ${orders.programId} = ${member.programId} and ${orders.memberId} = ${member.id} and ${orders.createdAt} >= ${since} and ${orders.fullyRefundedAt} is null)`;
}
