import { z } from 'zod';
import { MAX_AMOUNT, text, whole, withoutControlCharacters } from '../../platform/validation';
import { MAX_POINTS, MAX_QUANTITY } from '../../platform/bounds';
import { currencySchema } from '../rules';
import { enteredCodesSchema } from '../offers';
import { idempotencyKeySchema } from '../ledger';

const attributes = z
  .record(withoutControlCharacters(z.string().max(64)), z.union([withoutControlCharacters(z.string().max(200)), z.number(), z.boolean()]))
  .nullish()
  .transform((values) => values ?? {});

/** The fields of a cart that an order, quoted, recorded or imported, shares. */
export const cartFields = {
  currency: currencySchema,
  total: whole(0, MAX_AMOUNT).nullish(),
  lines: z
    .array(
      z.object({
        sku: text(128),
        category: text(128)
          .nullish()
          .transform((category) => category ?? null),
        quantity: whole(1, MAX_QUANTITY),
        unitPrice: whole(0, MAX_AMOUNT),
        attributes,
      }),
    )
    .max(500, 'at most 500 lines')
    .nullish()
    .transform((lines) => lines ?? []),
  codes: enteredCodesSchema,
  redeemPoints: whole(0, MAX_POINTS)
    .nullish()
    .transform((points) => points ?? 0),
  attributes,
  walletPayment: z
    .object({ amount: whole(1, MAX_AMOUNT), currency: currencySchema })
    .nullish()
    .transform((payment) => payment ?? null),
  /** Plain JSON from here on: the cart crosses the Durable Object boundary. */
  placedAt: z
    .date()
    .nullish()
    .transform((placedAt) => placedAt?.toISOString() ?? null),
};

/** The total defaults to the sum of the lines; when given it must cover them (the rest is shipping, fees …). */
export function withTotal<Cart extends { total?: number | null; lines: Array<{ quantity: number; unitPrice: number }> }>(
  cart: Cart,
  context: z.RefinementCtx,
) {
  const linesTotal = cart.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  if (cart.total == null && cart.lines.length === 0) context.addIssue({ code: 'custom', path: ['total'], message: 'give total or lines' });
  else if (linesTotal > MAX_AMOUNT) context.addIssue({ code: 'custom', path: ['lines'], message: `must add up to at most ${MAX_AMOUNT}` });
  else if (cart.total != null && cart.total < linesTotal)
    context.addIssue({ code: 'custom', path: ['total'], message: `must be at least the sum of the lines (${linesTotal})` });
  return { ...cart, total: cart.total ?? linesTotal };
}

export const quoteCartSchema = z
  .object({
    ...cartFields,
    memberId: z
      .string()
      .nullish()
      .transform((id) => id ?? null),
  })
  .transform(withTotal);
export type QuoteCart = z.output<typeof quoteCartSchema>;

export const recordOrderSchema = z
  .object({
    ...cartFields,
    /** Null: a guest's order (codes, caps and budgets count it; it earns points once a member claims it). */
    memberId: z
      .string()
      .nullish()
      .transform((id) => id ?? null),
    orderId: text(128),
    /** The tracked cart (trackCart) this order was placed from: recording the order ends it. */
    cartId: text(128)
      .nullish()
      .transform((cartId) => cartId ?? null),
    idempotencyKey: idempotencyKeySchema,
    expectedDiscount: whole(0, MAX_AMOUNT)
      .nullish()
      .transform((discount) => discount ?? null),
  })
  .transform(withTotal);
export type RecordOrderRequest = z.output<typeof recordOrderSchema>;

export const claimOrderSchema = z.object({ orderId: text(128), idempotencyKey: idempotencyKeySchema });

export const refundOrderSchema = z
  .object({
    orderId: text(128),
    amount: whole(0, MAX_AMOUNT)
      .nullish()
      .transform((amount) => amount ?? null),
    lines: z
      .array(z.object({ sku: text(128), quantity: whole(1, MAX_QUANTITY) }))
      .min(1, 'at least one line')
      .nullish()
      .transform((lines) => lines ?? null),
    idempotencyKey: idempotencyKeySchema,
  })
  .refine((input) => (input.amount === null) !== (input.lines === null), {
    message: 'give either amount or lines, not both',
    path: ['amount'],
  });
