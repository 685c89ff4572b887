import { z } from 'zod';
import { roundingModes, type ProgramRulesRow } from '../../../schema';

export type ProgramRules = Omit<ProgramRulesRow, 'programId' | 'updatedAt'>;

/** What a program starts with until an admin changes it: 1 point per 1.00, 100 points pay 1.00. */
export const defaultRules: ProgramRules = {
  currency: 'EUR',
  earnPoints: 1,
  earnPerAmount: 100,
  earnRounding: 'down',
  pointsLifetimeMonths: 12,
  redeemPoints: 100,
  redeemValue: 100,
  minimumRedemption: 0,
  walletBonusThreshold: 0,
  walletBonusBasisPoints: 0,
  maxDiscountBasisPoints: null,
  maxBackdateDays: 7,
  guestClaimDays: 30,
  pointsVestingDays: 0,
};

const count = (max: number) => z.number().int('must be a whole number').min(0, 'must not be negative').max(max);
const positive = (max: number) => z.number().int('must be a whole number').min(1, 'must be at least 1').max(max);

export const currencySchema = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be a 3-letter ISO 4217 code')
  .transform((code) => code.toUpperCase());

/** A partial change of rules: omitted fields keep their value; `pointsLifetimeMonths: null` = never expire. */
export const rulesUpdateSchema = z.object({
  currency: currencySchema.optional(),
  earnPoints: count(1_000_000).optional(),
  earnPerAmount: positive(1_000_000_000).optional(),
  earnRounding: z.enum(roundingModes).optional(),
  pointsLifetimeMonths: positive(1200).nullish(),
  redeemPoints: positive(1_000_000_000).optional(),
  redeemValue: count(1_000_000_000).optional(),
  minimumRedemption: count(1_000_000_000).optional(),
  walletBonusThreshold: count(1_000_000_000_000).optional(),
  walletBonusBasisPoints: count(10_000).optional(),
  maxDiscountBasisPoints: count(10_000).nullish(),
  maxBackdateDays: count(365).optional(),
  guestClaimDays: count(365).optional(),
  pointsVestingDays: count(365).optional(),
});

export type RulesUpdate = z.output<typeof rulesUpdateSchema>;

export function applyRulesUpdate(current: ProgramRules, update: RulesUpdate): ProgramRules {
  const next = { ...current };
  for (const [key, value] of Object.entries(update) as Array<[keyof ProgramRules, never]>) {
    if (value !== undefined) next[key] = value;
  }
  return next;
}

/**
 * `factors` multiplied, divided by `divisor`, with a rounding rule: the only place where rounding
 * happens. In BigInt, because the products (amount × rate × multiplier) can pass 2^53 before the
 * division brings them back; operands are non-negative.
 */
export function mulDivRounded(factors: number[], divisor: number, mode: ProgramRules['earnRounding']): number {
  const numerator = factors.reduce((product, factor) => product * BigInt(factor), 1n);
  const denominator = BigInt(divisor);
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const rounded = remainder === 0n || mode === 'down' ? quotient : mode === 'up' || remainder * 2n >= denominator ? quotient + 1n : quotient;
  return Number(rounded);
}
