import { z } from 'zod';
import { normalizeCode, randomCodes } from '../../../platform/codes';
import { MAX_AMOUNT, optional, whole } from '../../../platform/validation';

/**
 * `count` random codes of `length` characters after `prefix`. With the default length of 10 there
 * are 29^10 ≈ 4 × 10^14 codes per prefix, so guessing one of a million issued codes takes ~10^8 tries.
 */
export function generateCodes(prefix: string, length: number, count: number): string[] {
  const random = randomCodes(length);
  return Array.from({ length: count }, () => `${normalizeCode(prefix)}${random()}`);
}

const codeText = z
  .string()
  .transform(normalizeCode)
  .pipe(z.string().regex(/^[A-Z0-9_-]{3,64}$/, 'must be 3 to 64 letters, digits, - or _'));

const codeLimits = {
  minimumSpend: optional(whole(1, MAX_AMOUNT)),
  expiresAt: optional(z.date()),
};

/** A code typed by many (null maxUses: unlimited), or a single-use one with maxUses 1. */
export const newPromoCodeSchema = z.object({
  code: codeText,
  maxUses: optional(whole(1, 1_000_000_000)),
  perMemberLimit: optional(whole(1, 1_000_000)),
  assignedMemberId: optional(z.string()),
  ...codeLimits,
});
export type NewPromoCode = z.output<typeof newPromoCodeSchema>;

export const codeBatchSchema = z.object({
  count: whole(1, 10_000),
  prefix: z
    .string()
    .transform(normalizeCode)
    .pipe(z.string().regex(/^[A-Z0-9_-]{0,16}$/, 'must be at most 16 letters, digits, - or _'))
    .nullish()
    .transform((prefix) => prefix ?? ''),
  length: whole(6, 32)
    .nullish()
    .transform((length) => length ?? 10),
  ...codeLimits,
});
export type CodeBatchRequest = z.output<typeof codeBatchSchema>;

export const enteredCodesSchema = z
  .array(z.string().max(64, 'must be at most 64 characters'))
  .max(10, 'at most 10 codes')
  .nullish()
  .transform((codes) => [...new Set((codes ?? []).map(normalizeCode).filter(Boolean))]);

/** RFC 4180 CSV of a batch: one code per row. */
export function codesCsv(rows: Array<{ code: string; uses: number; maxUses: number | null; expiresAt: Date | null }>): string {
  const header = 'code,uses,max_uses,expires_at';
  // Codes are [A-Z0-9_-] only, so no field needs quoting.
  const lines = rows.map((row) => [row.code, row.uses, row.maxUses ?? '', row.expiresAt?.toISOString() ?? ''].join(','));
  return [header, ...lines].join('\r\n') + '\r\n';
}
