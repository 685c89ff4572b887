import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, uniqueIndex, index, check, primaryKey } from 'drizzle-orm/sqlite-core';
import { programIdColumn, wholeWithin } from './columns';
import { MAX_BALANCE } from '../src/platform/bounds';
import { members } from './members';
import { orders } from './orders';
import { programs } from './programs';
import { referralRewardKinds, capPeriods, referralStatuses, rejectionReasons } from './values';
import { checks } from './constraints';

/** One rung of the referrer ladder: from the Nth converted referral on, this reward. */
export interface ReferralRung {
  fromConversions: number;
  points: number | null;
  discountBasisPoints: number | null;
}

/** How a program rewards referrals (one row per program; absent = defaults). */
export const referralSettings = sqliteTable(
  'referral_settings',
  {
    programId: text('program_id')
      .primaryKey()
      .references(() => programs.id),
    shareBaseUrl: text('share_base_url'),
    /** The referee's order must cost at least this (after discounts) to convert the referral. */
    minimumOrderAmount: integer('minimum_order_amount').notNull(),
    /** Days the referee's order must stay unrefunded before the referrer's reward is issued. */
    holdingDays: integer('holding_days').notNull(),
    rewardKind: text('reward_kind', { enum: referralRewardKinds }).notNull(),
    rungs: text('rungs', { mode: 'json' }).$type<ReferralRung[]>().notNull(),
    capPerPeriod: integer('cap_per_period'),
    capPeriod: text('cap_period', { enum: capPeriods }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    check(
      checks.referralSettingsRanges,
      sql`${t.minimumOrderAmount} >= 0 and ${t.holdingDays} between 0 and 365 and (${t.capPerPeriod} is null or ${t.capPerPeriod} >= 1)`,
    ),
  ],
);

/** Each member's own code to share; `visits` counts tracked visits of its link (invitations). */
export const referralCodes = sqliteTable(
  'referral_codes',
  {
    memberId: text('member_id')
      .primaryKey()
      .references(() => members.id),
    programId: programIdColumn(),
    code: text('code').notNull(),
    visits: integer('visits').notNull().default(0),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('referral_codes_program_code').on(t.programId, t.code)],
);

/**
 * A referee attributed to a referrer, once (UNIQUE referee). `pending` until the referee's first
 * qualifying order converts it; its reward is issued (`confirmed`) once the holding period has
 * passed; `rejected` carries why. Every change after conversion runs in the referrer's serializer.
 */
export const referrals = sqliteTable(
  'referrals',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    referrerId: text('referrer_id')
      .notNull()
      .references(() => members.id),
    refereeId: text('referee_id')
      .notNull()
      .references(() => members.id),
    status: text('status', { enum: referralStatuses }).notNull(),
    rejectionReason: text('rejection_reason', { enum: rejectionReasons }),
    orderPk: text('order_pk').references(() => orders.id),
    rung: integer('rung'),
    rewardPoints: integer('reward_points').notNull().default(0),
    convertedAt: integer('converted_at', { mode: 'timestamp_ms' }),
    confirmAfter: integer('confirm_after', { mode: 'timestamp_ms' }),
    confirmedAt: integer('confirmed_at', { mode: 'timestamp_ms' }),
    /** The referrer's conversions numbered 1, 2, 3 …: UNIQUE, so two at once cannot take the same rung. */
    conversionSeq: integer('conversion_seq'),
    pointsClawedBack: integer('points_clawed_back').notNull().default(0),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('referrals_referee').on(t.refereeId),
    uniqueIndex('referrals_referrer_seq').on(t.referrerId, t.conversionSeq),
    index('referrals_referrer').on(t.programId, t.referrerId, t.id),
    index('referrals_due').on(t.programId, t.status, t.confirmAfter),
    check(checks.referralsStatus, sql`${t.status} in ('pending', 'converted', 'confirmed', 'rejected')`),
    check(checks.referralsAmounts, sql`${t.rewardPoints} >= 0 and ${t.pointsClawedBack} between 0 and ${t.rewardPoints}`),
    check(
      checks.referralsPointsRange,
      sql`${wholeWithin(t.rewardPoints, 0, MAX_BALANCE)} and ${wholeWithin(t.pointsClawedBack, 0, MAX_BALANCE)}`,
    ),
  ],
);

/**
 * Conversions per referrer per calendar period, the cross-member guard of the cap: two referees
 * of one referrer convert in different serializers, so the CHECK decides who is over the cap.
 */
export const referralConversionCounts = sqliteTable(
  'referral_conversion_counts',
  {
    referrerId: text('referrer_id')
      .notNull()
      .references(() => members.id),
    programId: programIdColumn(),
    period: text('period').notNull(),
    conversions: integer('conversions').notNull(),
    cap: integer('cap').notNull(),
  },
  (t) => [primaryKey({ columns: [t.referrerId, t.period] }), check(checks.referralConversionCountsCap, sql`${t.conversions} <= ${t.cap}`)],
);

/**
 * Keyed fingerprints (HMAC-SHA256 with FINGERPRINT_SECRET of program and normalized email) of every
 * email a member of the program ever had; they outlive erasure, so an erased member cannot come
 * back as "new", and without the key no one can confirm a guessed address against them. `keyId`
 * names the key (null: an unkeyed SHA-256 from before migration 0005, re-keyed or dropped by the
 * rekey-fingerprints job).
 */
export const emailFingerprints = sqliteTable(
  'email_fingerprints',
  {
    programId: programIdColumn(),
    hash: text('hash').notNull(),
    keyId: text('key_id'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.hash] })],
);

export type ReferralSettingsRow = typeof referralSettings.$inferSelect;
export type ReferralRow = typeof referrals.$inferSelect;
