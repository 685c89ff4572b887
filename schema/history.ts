import { sql } from 'drizzle-orm';
import { programIdColumn, nullOrWholeWithin, wholeWithin } from './columns';
import { memberIdColumn } from './members';
import { checks } from './constraints';
import { purchaseKeyKinds } from './values';
import { MAX_BALANCE } from '../src/platform/bounds';
import { sqliteTable, text, integer, index, check, primaryKey } from 'drizzle-orm/sqlite-core';

/** The last day and month a date can fall in (JavaScript dates end at 8.64e15 ms, in the year 275760). */
const MAX_DAY = 100_000_000;
const MAX_MONTH = 275_760 * 12 + 11;

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
 * A member's history per UTC day it placed a counted order on, kept current in the batch of every
 * order, refund, import and claim (DESIGN.md §12), with the member stats' definitions: an order
 * counts while it is not fully refunded, for what was paid after discounts and refunds. A day
 * without a counted order has no row. One short row per member and order day holds all an order
 * adds to history beyond the stats: each member-keyed tree an order writes costs an import about a
 * page per order, so days, not keys, are its rows. `WITHOUT ROWID` (migration 0020; drizzle does not
 * model it): the rows live in the primary key's B-tree alone, in the order (program, member, day)
 * that every reader seeks (a member's purchases since a day; cohorts by member).
 */
export const memberDailyActivity = sqliteTable(
  'member_daily_activity',
  {
    programId: programIdColumn(),
    memberId: memberIdColumn(),
    /** Days since 1970-01-01 (UTC) of the orders counted. */
    day: integer('day').notNull(),
    /** The day's month since year 0 (year × 12 + month − 1), kept so that reports by month need no date functions. */
    month: integer('month').notNull(),
    orders: integer('orders').notNull(),
    spend: integer('spend').notNull(),
    /**
     * JSON: `[kind, key, orders]` for each SKU and category bought that day, sorted by kind then key
     * (binary order), with how many of the day's counted orders hold an unrefunded unit of it; only
     * entries above 0. "k times within N days" sums a key's entries over the window's days.
     */
    purchases: text('purchases').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.memberId, t.day] }),
    check(
      checks.memberDailyActivityRange,
      sql`${wholeWithin(t.day, 0, MAX_DAY)} and ${wholeWithin(t.month, 0, MAX_MONTH)} and ${wholeWithin(t.orders, 0, MAX_BALANCE)} and ${wholeWithin(t.spend, 0, MAX_BALANCE)}`,
    ),
    check(checks.memberDailyActivityPurchases, sql`json_valid(${t.purchases}) and ${t.purchases} like '[%'`),
  ],
);

/**
 * The SKUs and categories ever bought in a program (a segment may only name a category bought),
 * written with the daily activity of every order, never removed: a few rows per program. It spares
 * the daily activity a look inside every member's purchases. `WITHOUT ROWID` (migration 0019).
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
