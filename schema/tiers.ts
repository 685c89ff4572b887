import { sql } from 'drizzle-orm';
import { programIdColumn } from './columns';
import { sqliteTable, text, integer, uniqueIndex, index, check } from 'drizzle-orm/sqlite-core';
import { programs } from './programs';
import { members, memberIdColumn } from './members';
import { tierMetrics, tierWindows, pendingCounts, tierChangeReasons } from './values';
import { checks } from './constraints';

/** When an order counts toward tier progress while its points are pending: at once, or once they vest. */

/** How a program qualifies members for tiers (one row per program; absent = no tiers configured). */
export const tierSettings = sqliteTable(
  'tier_settings',
  {
    programId: text('program_id')
      .primaryKey()
      .references(() => programs.id),
    metric: text('metric', { enum: tierMetrics }).notNull(),
    window: text('window', { enum: tierWindows }).notNull(),
    windowMonths: integer('window_months').notNull(),
    downgradeGraceDays: integer('downgrade_grace_days').notNull(),
    pendingPointsCount: text('pending_points_count', { enum: pendingCounts }).notNull().default('at_once'),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [check(checks.tierSettingsRanges, sql`${t.windowMonths} between 1 and 120 and ${t.downgradeGraceDays} between 0 and 3650`)],
);

/** A tier: reached when the qualifying metric is at least `threshold`. */
export const tiers = sqliteTable(
  'tiers',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    name: text('name').notNull(),
    threshold: integer('threshold').notNull(),
    earnMultiplierPermille: integer('earn_multiplier_permille').notNull(),
    discountBasisPoints: integer('discount_basis_points').notNull(),
    memberOnlyOffers: integer('member_only_offers', { mode: 'boolean' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('tiers_program_name').on(t.programId, t.name),
    uniqueIndex('tiers_program_threshold').on(t.programId, t.threshold),
    check(
      checks.tiersRanges,
      sql`${t.threshold} >= 0 and ${t.earnMultiplierPermille} between 0 and 100000 and ${t.discountBasisPoints} between 0 and 10000`,
    ),
  ],
);

/** The tier a member holds now, and since when a downgrade is due (for the grace period). */
export const memberTiers = sqliteTable(
  'member_tiers',
  {
    memberId: text('member_id')
      .primaryKey()
      .references(() => members.id),
    programId: programIdColumn(),
    tierId: text('tier_id').references(() => tiers.id),
    since: integer('since', { mode: 'timestamp_ms' }).notNull(),
    downgradeDueSince: integer('downgrade_due_since', { mode: 'timestamp_ms' }),
  },
  (t) => [index('member_tiers_program').on(t.programId, t.memberId)],
);

export const tierHistory = sqliteTable(
  'tier_history',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    memberId: memberIdColumn(),
    fromTierId: text('from_tier_id'),
    toTierId: text('to_tier_id'),
    reason: text('reason', { enum: tierChangeReasons }).notNull(),
    metricValue: integer('metric_value').notNull(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('tier_history_member').on(t.programId, t.memberId, t.id)],
);

export type TierRow = typeof tiers.$inferSelect;
export type TierSettingsRow = typeof tierSettings.$inferSelect;
export type MemberTierRow = typeof memberTiers.$inferSelect;
export type TierHistoryRow = typeof tierHistory.$inferSelect;
