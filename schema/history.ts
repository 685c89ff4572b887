import { sql } from 'drizzle-orm';
import { programIdColumn, nullOrWholeWithin, wholeWithin } from './columns';
import { memberIdColumn } from './members';
import { purchaseKeyKinds } from './values';
import { checks } from './constraints';
import { MAX_BALANCE } from '../src/platform/bounds';
import { sqliteTable, text, integer, index, check, primaryKey } from 'drizzle-orm/sqlite-core';

/**
 * A member's purchase figures, kept current in the batch of every order, refund and import
 * (DESIGN.md §12). An order counts while it is not fully refunded; spend is what was paid after
 * discounts and refunds. First and last order are over every order placed.
 */
export const memberStats = sqliteTable(
  'member_stats',
  {
    memberId: memberIdColumn().primaryKey(),
    programId: programIdColumn(),
    firstOrderAt: integer('first_order_at', { mode: 'timestamp_ms' }),
    lastOrderAt: integer('last_order_at', { mode: 'timestamp_ms' }),
    orderCount: integer('order_count').notNull().default(0),
    totalSpend: integer('total_spend').notNull().default(0),
  },
  (t) => [
    index('member_stats_program_last_order').on(t.programId, t.lastOrderAt),
    check(checks.memberStatsRange, sql`${wholeWithin(t.orderCount, 0, MAX_BALANCE)} and ${wholeWithin(t.totalSpend, 0, MAX_BALANCE)}`),
    check(
      checks.memberStatsDates,
      sql`${nullOrWholeWithin(t.firstOrderAt, 0, 8_640_000_000_000_000)} and (${t.firstOrderAt} is null) = (${t.lastOrderAt} is null)`,
    ),
  ],
);

/**
 * How many of a member's orders (not fully refunded, with an unrefunded unit of it) bought a SKU or a
 * category, per UTC day of the order: "k times within N days" sums the days of the window. One row
 * per member, key and day the member bought it on, so it grows with order lines, never beyond them.
 * A `WITHOUT ROWID` table (migration 0019; drizzle does not model it): its rows live in the primary
 * key's B-tree alone, so an order's purchases write one tree, not a table and its key's index.
 */
export const memberPurchaseCounts = sqliteTable(
  'member_purchase_counts',
  {
    programId: programIdColumn(),
    memberId: memberIdColumn(),
    kind: text('kind', { enum: purchaseKeyKinds }).notNull(),
    key: text('key').notNull(),
    /** Days since 1970-01-01 (UTC) of the orders counted. */
    day: integer('day').notNull(),
    orders: integer('orders').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.kind, t.key, t.day] }),
    check(checks.memberPurchaseCountsKind, sql`${t.kind} in ('sku', 'category')`),
    check(checks.memberPurchaseCountsRange, sql`${wholeWithin(t.orders, 0, MAX_BALANCE)}`),
  ],
);

/**
 * A member's counted orders and spend per UTC calendar month (months since year 0: year × 12 +
 * month − 1), kept current in the same batches as member stats, with the same definitions: an
 * order counts while it is not fully refunded, for what was paid after discounts and refunds. A
 * month without a counted order has no row. Reports by month (cohorts) read this, not the orders,
 * in the primary key's order (program, member, month). `WITHOUT ROWID` (migration 0019), like
 * purchase counts: one B-tree written per order.
 */
export const memberMonthlyActivity = sqliteTable(
  'member_monthly_activity',
  {
    programId: programIdColumn(),
    memberId: memberIdColumn(),
    month: integer('month').notNull(),
    orders: integer('orders').notNull(),
    spend: integer('spend').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.memberId, t.month] }),
    check(checks.memberMonthlyActivityRange, sql`${wholeWithin(t.orders, 0, MAX_BALANCE)} and ${wholeWithin(t.spend, 0, MAX_BALANCE)}`),
  ],
);

/**
 * The SKUs and categories ever bought in a program (a segment may only name a category bought),
 * written with the purchase counts of every order, never removed: a few rows per program. It spares
 * purchase counts an index by key, which every order line wrote into. `WITHOUT ROWID` (migration 0019).
 */
export const purchasedKeys = sqliteTable(
  'purchased_keys',
  {
    programId: programIdColumn(),
    kind: text('kind', { enum: purchaseKeyKinds }).notNull(),
    key: text('key').notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.kind, t.key] }), check(checks.purchasedKeysKind, sql`${t.kind} in ('sku', 'category')`)],
);

export type MemberStatsRow = typeof memberStats.$inferSelect;
