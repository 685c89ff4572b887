import { z } from 'zod';
import { MAX_AMOUNT, prose, text, whole, withoutControlCharacters } from '../../platform/validation';
import { MAX_POINTS } from '../../platform/bounds';
import { currencySchema } from '../rules';

/** Keys the engine itself uses (scheduled jobs); a client key can never take one of them first. */
export const SYSTEM_KEY_PREFIX = 'system:';

const key = withoutControlCharacters(z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters')).refine(
  (value) => !value.startsWith(SYSTEM_KEY_PREFIX),
  `must not start with "${SYSTEM_KEY_PREFIX}" (reserved)`,
);

export const idempotencyKeySchema = key;

export const redeemPointsSchema = z.object({
  points: whole(1, MAX_POINTS),
  reason: prose(500)
    .nullish()
    .transform((reason) => reason ?? null),
  reference: text(200)
    .nullish()
    .transform((reference) => reference ?? null),
  idempotencyKey: key,
});

export const adjustPointsSchema = z.object({
  points: whole(-MAX_POINTS, MAX_POINTS).refine((points) => points !== 0, 'must not be 0'),
  reason: prose(500),
  idempotencyKey: key,
});

export const walletSchema = z.object({
  currency: currencySchema,
  amount: whole(1, MAX_AMOUNT),
  reference: text(200)
    .nullish()
    .transform((reference) => reference ?? null),
  idempotencyKey: key,
});

export const reverseTransferSchema = z.object({ reason: prose(500), idempotencyKey: key });
