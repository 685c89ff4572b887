import { z } from 'zod';
import { MAX_AMOUNT, text, whole } from '../../platform/validation';
import { cartFields, withTotal } from '../checkout';

/** The most rows one import call takes; the CLI streams any number through calls of this size. */
export const MAX_IMPORT_ROWS = 1000;

/** A past order brought in from another system (DESIGN.md §12: it counts for history, stats and segments). */
export const importOrderSchema = z
  .object({
    memberExternalId: text(128),
    orderId: text(128),
    placedAt: z.date().min(new Date(0), { message: 'must be on or after 1970-01-01T00:00:00Z' }),
    currency: cartFields.currency,
    total: cartFields.total,
    discount: whole(0, MAX_AMOUNT)
      .nullish()
      .transform((discount) => discount ?? 0),
    lines: cartFields.lines,
    attributes: cartFields.attributes,
  })
  .transform(withTotal)
  .refine((order) => order.discount <= order.total, { path: ['discount'], message: 'must be at most the total' });

export type ImportOrder = z.output<typeof importOrderSchema>;

export const importRejectionCodes = [
  'invalid_input',
  'unknown_currency',
  'currency_mismatch',
  'future_placed_at',
  'member_not_found',
  'duplicate_in_request',
  'duplicate_member',
] as const;
export type ImportRejectionCode = (typeof importRejectionCodes)[number];

/** Why one row of an import was not imported; `index` is its position in the call. */
export interface ImportRejection {
  index: number;
  /** The row's order id or member external id, when it has one. */
  id: string | null;
  code: ImportRejectionCode;
  message: string;
  path: string[];
}

/**
 * Checks a row that parsed against what the program and the clock say: the program's currency, a
 * past `placedAt`. Pure: the caller read the rules and the time.
 */
export function orderRowRejection(order: ImportOrder, index: number, programCurrency: string, now: Date): ImportRejection | null {
  if (order.placedAt.getTime() >= now.getTime()) {
    return {
      index,
      id: order.orderId,
      code: 'future_placed_at',
      message: `placedAt must be in the past (before ${now.toISOString()})`,
      path: ['placedAt'],
    };
  }
  if (order.currency !== programCurrency) {
    return {
      index,
      id: order.orderId,
      code: 'currency_mismatch',
      message: `must be the program currency ${programCurrency}`,
      path: ['currency'],
    };
  }
  return null;
}

/** A row zod refused, as a rejection: an unknown currency is told apart, the rest is invalid input. */
export function parseRejection(error: z.ZodError, index: number, id: unknown): ImportRejection {
  const [issue] = error.issues;
  const path = (issue?.path ?? []).map(String);
  return {
    index,
    id: typeof id === 'string' ? id : null,
    code: path[0] === 'currency' ? 'unknown_currency' : 'invalid_input',
    message: error.issues.map((entry) => `${entry.path.join('.') || 'row'}: ${entry.message}`).join('; '),
    path,
  };
}
