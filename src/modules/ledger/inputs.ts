import { z } from 'zod';
import { currencySchema } from '../rules/domain';

const MAX_AMOUNT = 100_000_000_000;
/** Keys the engine itself uses (scheduled jobs); a client key can never take one of them first. */
export const SYSTEM_KEY_PREFIX = 'system:';

const key = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((value) => !value.startsWith(SYSTEM_KEY_PREFIX), `must not start with "${SYSTEM_KEY_PREFIX}" (reserved)`);
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const whole = (min: number, max: number) =>
  z.number().int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

export const idempotencyKeySchema = key;

export const recordOrderSchema = z.object({
  orderId: text(128),
  currency: currencySchema,
  total: whole(0, MAX_AMOUNT),
  lines: z
    .array(
      z.object({
        sku: text(128),
        category: text(128).nullish(),
        quantity: whole(1, 1_000_000),
        unitPrice: whole(0, MAX_AMOUNT),
      }),
    )
    .max(500, 'at most 500 lines')
    .nullish()
    .transform((lines) => lines ?? []),
  redeemPoints: whole(0, 1_000_000_000)
    .nullish()
    .transform((points) => points ?? 0),
  attributes: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .nullish()
    .transform((attributes) => attributes ?? {}),
  idempotencyKey: key,
});

export const refundOrderSchema = z
  .object({
    orderId: text(128),
    amount: whole(1, MAX_AMOUNT).nullish().transform((amount) => amount ?? null),
    lines: z
      .array(z.object({ sku: text(128), quantity: whole(1, 1_000_000) }))
      .min(1, 'at least one line')
      .nullish()
      .transform((lines) => lines ?? null),
    idempotencyKey: key,
  })
  .refine((input) => (input.amount === null) !== (input.lines === null), {
    message: 'give either amount or lines, not both',
    path: ['amount'],
  });

export const redeemPointsSchema = z.object({
  points: whole(1, 1_000_000_000),
  reason: text(500).nullish().transform((reason) => reason ?? null),
  reference: text(200).nullish().transform((reference) => reference ?? null),
  idempotencyKey: key,
});

export const adjustPointsSchema = z.object({
  points: whole(-1_000_000_000, 1_000_000_000).refine((points) => points !== 0, 'must not be 0'),
  reason: text(500),
  idempotencyKey: key,
});

export const walletSchema = z.object({
  currency: currencySchema,
  amount: whole(1, MAX_AMOUNT),
  reference: text(200).nullish().transform((reference) => reference ?? null),
  idempotencyKey: key,
});

export const reverseTransferSchema = z.object({ reason: text(500), idempotencyKey: key });
