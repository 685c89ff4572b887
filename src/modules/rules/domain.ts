import { z } from 'zod';
import { roundingModes } from '../../../schema/values';
import type { ProgramRulesRow } from '../../../schema';
import {
  MAX_BASIS_POINTS,
  MAX_EARN_POINTS,
  MAX_EARN_POINTS_PER_MINOR_UNIT,
  MAX_POINTS,
  MAX_RATE_TERM,
  MAX_REDEEM_VALUE_PER_POINT,
} from '../../platform/bounds';
import { InvalidInputError, type InputIssue } from '../../platform/errors';

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

/**
 * ISO 4217 codes in use, from the runtime's ICU data (Node and workerd both ship it), read when
 * first needed so that a Worker's start-up stays light.
 */
let isoCurrencies: Set<string> | undefined;
const isIsoCurrency = (code: string) => (isoCurrencies ??= new Set(Intl.supportedValuesOf('currency'))).has(code);

export const currencySchema = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be a 3-letter ISO 4217 code')
  .transform((code) => code.toUpperCase())
  .refine(isIsoCurrency, 'must be an ISO 4217 currency code in use, e.g. EUR');

/** A partial change of rules: omitted fields keep their value; `pointsLifetimeMonths: null` = never expire. */
export const rulesUpdateSchema = z.object({
  currency: currencySchema.optional(),
  earnPoints: count(MAX_EARN_POINTS).optional(),
  earnPerAmount: positive(MAX_RATE_TERM).optional(),
  earnRounding: z.enum(roundingModes).optional(),
  pointsLifetimeMonths: positive(1200).nullish(),
  redeemPoints: positive(MAX_RATE_TERM).optional(),
  redeemValue: count(MAX_RATE_TERM).optional(),
  minimumRedemption: count(MAX_POINTS).optional(),
  walletBonusThreshold: count(1_000_000_000_000).optional(),
  walletBonusBasisPoints: count(MAX_BASIS_POINTS).optional(),
  maxDiscountBasisPoints: count(MAX_BASIS_POINTS).nullish(),
  maxBackdateDays: count(365).optional(),
  guestClaimDays: count(365).optional(),
  pointsVestingDays: count(365).optional(),
});

export type RulesUpdate = z.output<typeof rulesUpdateSchema>;

/**
 * The rates the rules make, checked on the rules as they will be (an update may change either
 * side): they bound every points quantity (see platform/bounds.ts).
 */
export function rateIssues(rules: ProgramRules): InputIssue[] {
  const issues: InputIssue[] = [];
  if (rules.earnPoints > rules.earnPerAmount * MAX_EARN_POINTS_PER_MINOR_UNIT) {
    issues.push({
      path: ['input', 'earnPoints'],
      message: `must be at most earnPerAmount (${rules.earnPerAmount}): at most ${MAX_EARN_POINTS_PER_MINOR_UNIT} point per minor unit`,
    });
  }
  if (rules.redeemValue > rules.redeemPoints * MAX_REDEEM_VALUE_PER_POINT) {
    issues.push({
      path: ['input', 'redeemValue'],
      message: `must be at most ${MAX_REDEEM_VALUE_PER_POINT} × redeemPoints (${rules.redeemPoints}): a point pays at most ${MAX_REDEEM_VALUE_PER_POINT} minor units`,
    });
  }
  return issues;
}

/** The rules after `update`; throws `InvalidInputError` when their rates leave the bounds. */
export function applyRulesUpdate(current: ProgramRules, update: RulesUpdate): ProgramRules {
  const next = { ...current };
  for (const [key, value] of Object.entries(update) as Array<[keyof ProgramRules, never]>) {
    if (value !== undefined) next[key] = value;
  }
  const issues = rateIssues(next);
  if (issues.length > 0) throw new InvalidInputError(issues);
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
  const rounded =
    remainder === 0n || mode === 'down' ? quotient : mode === 'up' || remainder * 2n >= denominator ? quotient + 1n : quotient;
  // The bounds on inputs and settings keep every result safe (platform/bounds.ts); this never trips.
  if (rounded > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${rounded} is past Number.MAX_SAFE_INTEGER`);
  return Number(rounded);
}
