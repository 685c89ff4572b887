import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, uniqueIndex, index, check, primaryKey } from 'drizzle-orm/sqlite-core';
import { programIdColumn, wholeWithin } from './columns';
import { MAX_AMOUNT, MAX_BALANCE } from '../src/platform/bounds';
import { members, memberIdColumn, optionalMemberIdColumn } from './members';
import { orders } from './orders';
import { programs } from './programs';
import type { OfferConditions, OfferEffect } from '../src/modules/offers/domain/offer';
import { offerStatuses, limitPeriods, limitWindows } from './values';
import { checks } from './constraints';

/** Calendar: the current day, ISO week (from Monday), month or year in UTC. Rolling: the last 24 hours, 7 days, month or year. */

/**
 * An incentive: who may use it (`conditions`), what it gives (`effect`), and its limits. The
 * counters are the database's guard for cross-member limits (DESIGN.md §3.6): a batch that would
 * take an offer past its cap or budget trips the CHECK and rolls back.
 */
export const offers = sqliteTable(
  'offers',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    name: text('name').notNull(),
    description: text('description'),
    status: text('status', { enum: offerStatuses }).notNull(),
    /** Applied only when one of its promo codes is entered; otherwise automatic. */
    codeRequired: integer('code_required', { mode: 'boolean' }).notNull(),
    priority: integer('priority').notNull(),
    exclusive: integer('exclusive', { mode: 'boolean' }).notNull(),
    startsAt: integer('starts_at', { mode: 'timestamp_ms' }),
    endsAt: integer('ends_at', { mode: 'timestamp_ms' }),
    maxRedemptions: integer('max_redemptions'),
    /** Most discount the offer may give in total, minor units. */
    budget: integer('budget'),
    perMemberLimit: integer('per_member_limit'),
    /** Null: `perMemberLimit` counts over the offer's life; otherwise per period. */
    perMemberLimitPeriod: text('per_member_limit_period', { enum: limitPeriods }),
    perMemberLimitWindow: text('per_member_limit_window', { enum: limitWindows }).notNull().default('calendar'),
    conditions: text('conditions', { mode: 'json' }).$type<OfferConditions>().notNull(),
    effect: text('effect', { mode: 'json' }).$type<OfferEffect>().notNull(),
    redemptions: integer('redemptions').notNull().default(0),
    discountGiven: integer('discount_given').notNull().default(0),
    bonusPointsGiven: integer('bonus_points_given').notNull().default(0),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('offers_program_status').on(t.programId, t.status),
    check(checks.offersStatus, sql`${t.status} in ('active', 'paused', 'archived')`),
    check(
      checks.offersRedemptionCap,
      sql`${t.redemptions} >= 0 and (${t.maxRedemptions} is null or ${t.redemptions} <= ${t.maxRedemptions})`,
    ),
    check(checks.offersBudget, sql`${t.discountGiven} >= 0 and (${t.budget} is null or ${t.discountGiven} <= ${t.budget})`),
    check(checks.offersBonusPoints, sql`${t.bonusPointsGiven} >= 0`),
    check(
      checks.offersCountersRange,
      sql`${wholeWithin(t.redemptions, 0, MAX_BALANCE)} and ${wholeWithin(t.discountGiven, 0, MAX_BALANCE)} and ${wholeWithin(t.bonusPointsGiven, 0, MAX_BALANCE)}`,
    ),
  ],
);

/**
 * Bumped by every change to a program's offers, in the same batch: checkout keeps the program's
 * active offers in memory and reads them again only when this moved.
 */
export const offerRevisions = sqliteTable('offer_revisions', {
  programId: text('program_id')
    .primaryKey()
    .references(() => programs.id),
  revision: integer('revision').notNull(),
});

/** Single-use codes generated together; listable and exportable as one set. */
export const promoCodeBatches = sqliteTable('promo_code_batches', {
  id: text('id').primaryKey(),
  programId: programIdColumn(),
  offerId: text('offer_id')
    .notNull()
    .references(() => offers.id),
  prefix: text('prefix').notNull(),
  count: integer('count').notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * A code that unlocks an offer, stored normalized (upper case). `uses` is guarded like the offer
 * counters: a single-use code (maxUses 1) raced by many members is redeemed once.
 */
export const promoCodes = sqliteTable(
  'promo_codes',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    offerId: text('offer_id')
      .notNull()
      .references(() => offers.id),
    batchId: text('batch_id').references(() => promoCodeBatches.id),
    code: text('code').notNull(),
    maxUses: integer('max_uses'),
    perMemberLimit: integer('per_member_limit'),
    minimumSpend: integer('minimum_spend'),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
    assignedMemberId: text('assigned_member_id').references(() => members.id),
    uses: integer('uses').notNull().default(0),
    /** A personal code that applies itself at its member's checkout, as if entered (a partner voucher). */
    autoApply: integer('auto_apply', { mode: 'boolean' }).notNull().default(false),
    /** When the code stopped being usable for good (e.g. the order that earned it was refunded). */
    voidedAt: integer('voided_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('promo_codes_program_code').on(t.programId, t.code),
    index('promo_codes_offer').on(t.offerId, t.id),
    index('promo_codes_batch').on(t.batchId, t.id),
    index('promo_codes_assigned').on(t.programId, t.assignedMemberId),
    check(checks.promoCodesUses, sql`${t.uses} >= 0 and (${t.maxUses} is null or ${t.uses} <= ${t.maxUses})`),
  ],
);

/**
 * What an offer did on one order. `countsAsRedemption` is false for stamp progress that gave
 * nothing yet; `releasedAt` is set when a full refund undoes the redemption.
 */
export const offerApplications = sqliteTable(
  'offer_applications',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    orderPk: text('order_pk')
      .notNull()
      .references(() => orders.id),
    offerId: text('offer_id')
      .notNull()
      .references(() => offers.id),
    codeId: text('code_id').references(() => promoCodes.id),
    /** Null on a guest's order until it is claimed. */
    memberId: optionalMemberIdColumn(),
    discount: integer('discount').notNull(),
    bonusPoints: integer('bonus_points').notNull(),
    giftSku: text('gift_sku'),
    giftQuantity: integer('gift_quantity').notNull(),
    stamps: integer('stamps').notNull(),
    /** The order's lines that stamped the card (every unit of them did): partial refunds of them take their stamps back. */
    stampedLines: text('stamped_lines', { mode: 'json' }).$type<number[]>().notNull().default(sql`'[]'`),
    /** Stamps that partial refunds took back so far. */
    stampsReturned: integer('stamps_returned').notNull().default(0),
    freeUnits: integer('free_units').notNull().default(0),
    countsAsRedemption: integer('counts_as_redemption', { mode: 'boolean' }).notNull(),
    releasedAt: integer('released_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('offer_applications_order_offer').on(t.orderPk, t.offerId),
    index('offer_applications_member').on(t.programId, t.memberId, t.offerId),
    index('offer_applications_code').on(t.codeId),
    check(
      checks.offerApplicationsAmounts,
      sql`${t.discount} >= 0 and ${t.bonusPoints} >= 0 and ${t.giftQuantity} >= 0 and ${t.stamps} >= 0`,
    ),
    check(checks.offerApplicationsStampsReturned, sql`${t.stampsReturned} between 0 and ${t.stamps}`),
    check(
      checks.offerApplicationsRange,
      sql`${wholeWithin(t.discount, 0, MAX_AMOUNT)} and ${wholeWithin(t.bonusPoints, 0, MAX_BALANCE)} and ${wholeWithin(t.stamps, 0, MAX_BALANCE)} and ${wholeWithin(t.freeUnits, 0, MAX_BALANCE)}`,
    ),
  ],
);

/**
 * A member's progress on a stamp-card offer: matching units bought and free units given, lifetime
 * (after refunds). The next free unit comes at stamp (rewards + 1) × N, so a refund that takes
 * stamps back never lets the same stamps pay out twice.
 */
export const stampCards = sqliteTable(
  'stamp_cards',
  {
    offerId: text('offer_id')
      .notNull()
      .references(() => offers.id),
    memberId: memberIdColumn(),
    programId: programIdColumn(),
    stamps: integer('stamps').notNull(),
    rewards: integer('rewards').notNull().default(0),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.offerId, t.memberId] }),
    index('stamp_cards_member').on(t.programId, t.memberId),
    check(checks.stampCardsStamps, sql`${t.stamps} >= 0`),
    check(checks.stampCardsRange, sql`${wholeWithin(t.stamps, 0, MAX_BALANCE)} and ${wholeWithin(t.rewards, 0, MAX_BALANCE)}`),
  ],
);

export type OfferRow = typeof offers.$inferSelect;
export type PromoCodeRow = typeof promoCodes.$inferSelect;
export type PromoCodeBatchRow = typeof promoCodeBatches.$inferSelect;
export type OfferApplicationRow = typeof offerApplications.$inferSelect;
export type StampCardRow = typeof stampCards.$inferSelect;
