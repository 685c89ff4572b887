import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, check } from 'drizzle-orm/sqlite-core';
import { programs } from './programs';
import { wholeWithin, nullOrWholeWithin } from './columns';
import {
  MAX_BASIS_POINTS,
  MAX_EARN_POINTS,
  MAX_EARN_POINTS_PER_MINOR_UNIT,
  MAX_POINTS,
  MAX_RATE_TERM,
  MAX_REDEEM_VALUE_PER_POINT,
} from '../src/platform/bounds';
import { roundingModes } from './values';
import { checks } from './constraints';

/**
 * A program's points and wallet rules (one row per program; absent = defaults). Money in minor
 * units of `currency`, ratios as integer pairs so that no rule needs a float.
 */
export const programRules = sqliteTable(
  'program_rules',
  {
    programId: text('program_id')
      .primaryKey()
      .references(() => programs.id),
    currency: text('currency').notNull(),
    /** `earnPoints` points for every `earnPerAmount` minor units actually paid. */
    earnPoints: integer('earn_points').notNull(),
    earnPerAmount: integer('earn_per_amount').notNull(),
    earnRounding: text('earn_rounding', { enum: roundingModes }).notNull(),
    /** Months until earned points expire; null = never. */
    pointsLifetimeMonths: integer('points_lifetime_months'),
    /** `redeemPoints` points pay `redeemValue` minor units of an order. */
    redeemPoints: integer('redeem_points').notNull(),
    redeemValue: integer('redeem_value').notNull(),
    minimumRedemption: integer('minimum_redemption').notNull(),
    /** A top-up of at least `walletBonusThreshold` gets `walletBonusBasisPoints` / 10,000 as bonus credit. */
    walletBonusThreshold: integer('wallet_bonus_threshold').notNull(),
    walletBonusBasisPoints: integer('wallet_bonus_basis_points').notNull(),
    /** Checkout never takes more than this share of an order's total off, in basis points; null = no cap. */
    maxDiscountBasisPoints: integer('max_discount_basis_points'),
    /** How many days in the past an order's `placedAt` may be (a till that syncs late). */
    maxBackdateDays: integer('max_backdate_days').notNull().default(7),
    /** How many days after a guest order a member may claim it (0: guest orders cannot be claimed). */
    guestClaimDays: integer('guest_claim_days').notNull().default(30),
    /** Days until points an order earns vest (its return window); 0: spendable at once. */
    pointsVestingDays: integer('points_vesting_days').notNull().default(0),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    check(
      checks.programRulesPositive,
      sql`${t.earnPoints} >= 0 and ${t.earnPerAmount} > 0 and ${t.redeemPoints} > 0 and ${t.redeemValue} >= 0`,
    ),
    check(
      checks.programRulesLimits,
      sql`${t.minimumRedemption} >= 0 and ${t.walletBonusThreshold} >= 0 and ${t.walletBonusBasisPoints} between 0 and 10000`,
    ),
    check(checks.programRulesDiscountCap, sql`${t.maxDiscountBasisPoints} is null or ${t.maxDiscountBasisPoints} between 0 and 10000`),
    check(
      checks.programRulesMaxBackdateDays,
      sql`${t.maxBackdateDays} between 0 and 365 and ${t.guestClaimDays} between 0 and 365 and ${t.pointsVestingDays} between 0 and 365`,
    ),
    check(
      checks.programRulesRange,
      sql`${wholeWithin(t.earnPoints, 0, MAX_EARN_POINTS)} and ${wholeWithin(t.earnPerAmount, 1, MAX_RATE_TERM)} and ${wholeWithin(t.redeemPoints, 1, MAX_RATE_TERM)} and ${wholeWithin(t.redeemValue, 0, MAX_RATE_TERM)}
        and ${wholeWithin(t.minimumRedemption, 0, MAX_POINTS)} and ${wholeWithin(t.walletBonusBasisPoints, 0, MAX_BASIS_POINTS)} and ${nullOrWholeWithin(t.maxDiscountBasisPoints, 0, MAX_BASIS_POINTS)}
        and ${t.earnPoints} <= ${t.earnPerAmount} * ${sql.raw(String(MAX_EARN_POINTS_PER_MINOR_UNIT))} and ${t.redeemValue} <= ${t.redeemPoints} * ${sql.raw(String(MAX_REDEEM_VALUE_PER_POINT))}`,
    ),
  ],
);

export type ProgramRulesRow = typeof programRules.$inferSelect;
