import { and, eq, gt, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { carts, type CartRow } from '../../../schema';
import type { Database, Statement } from '../../platform/db/database';
import { DomainError } from '../../platform/errors';
import { text } from '../../platform/validation';
import { checkoutCart, type CheckoutCart } from './context';
import { CartOfAnotherMemberError, TooManyCartsError } from './errors';
import { cartFields, withTotal } from './inputs';
import { quoteResult, type QuoteResult } from './quote';

/** Open carts a member may have at once: a storefront tracks a handful, never thousands. */
export const MAX_OPEN_CARTS = 20;

/**
 * `trackCart`'s input: the lines as `quote` takes them (the same bounds), the codes entered, and
 * the cart's attributes. No lines: the cart was emptied, and is forgotten.
 */
export const trackCartSchema = z
  .object({
    memberId: z.string(),
    cartId: text(128),
    currency: cartFields.currency,
    lines: cartFields.lines,
    codes: cartFields.codes,
    attributes: cartFields.attributes,
  })
  .transform((cart, context) => (cart.lines.length === 0 ? { ...cart, total: 0 } : withTotal(cart, context)));
export type TrackCartRequest = z.output<typeof trackCartSchema>;

/** What `quote` evaluates for a tracked cart: no points or wallet payment, priced now. */
export function checkoutOfCart(cart: Pick<CartRow, 'memberId' | 'currency' | 'lines' | 'codes' | 'attributes'>): CheckoutCart {
  return {
    memberId: cart.memberId,
    currency: cart.currency,
    total: cart.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0),
    lines: cart.lines,
    codes: cart.codes,
    attributes: cart.attributes,
    redeemPoints: 0,
    placedAt: null,
    walletPayment: null,
  };
}

export interface TrackedCart {
  cartId: string;
  memberId: string;
  /** Null when the cart was emptied (and so forgotten). */
  quote: QuoteResult | null;
  trackedAt: Date;
}

/**
 * Records the member's cart as it is now (its idle time starts again), after quoting it: the quote
 * checks what `quote` checks (the member, the currency) and is the answer. One conditional upsert
 * keeps a cart with its member and within `MAX_OPEN_CARTS`; when it writes nothing, one read says why.
 */
export async function trackCart(db: Database, programId: string, cart: TrackCartRequest, now: Date): Promise<TrackedCart> {
  const owned = and(eq(carts.programId, programId), eq(carts.cartId, cart.cartId));
  if (cart.lines.length === 0) {
    const [owner] = await db.select({ memberId: carts.memberId }).from(carts).where(owned);
    if (owner && owner.memberId !== cart.memberId) throw new CartOfAnotherMemberError(cart.cartId);
    await db.delete(carts).where(and(owned, eq(carts.memberId, cart.memberId)));
    return { cartId: cart.cartId, memberId: cart.memberId, quote: null, trackedAt: now };
  }
  const checkout = { ...checkoutOfCart(cart), total: cart.total };
  const quote = quoteResult(checkout, await checkoutCart(db, programId, checkout, now));
  const row = { programId, cartId: cart.cartId, memberId: cart.memberId, currency: cart.currency, lines: cart.lines, codes: cart.codes };
  const written = await db.run(sql`
    insert into ${carts} (program_id, cart_id, member_id, currency, lines, codes, attributes, updated_at)
    select ${row.programId}, ${row.cartId}, ${row.memberId}, ${row.currency}, ${JSON.stringify(row.lines)}, ${JSON.stringify(row.codes)},
      ${JSON.stringify(cart.attributes)}, ${now.getTime()}
    where exists (select 1 from ${carts} where program_id = ${programId} and cart_id = ${cart.cartId})
      or (select count(*) from ${carts} where program_id = ${programId} and member_id = ${cart.memberId}) < ${MAX_OPEN_CARTS}
    on conflict (program_id, cart_id) do update set currency = excluded.currency, lines = excluded.lines, codes = excluded.codes,
      attributes = excluded.attributes, updated_at = excluded.updated_at
    where carts.member_id = excluded.member_id`);
  if (written.rowsAffected === 0) {
    const [owner] = await db.select({ memberId: carts.memberId }).from(carts).where(owned);
    throw owner && owner.memberId !== cart.memberId ? new CartOfAnotherMemberError(cart.cartId) : new TooManyCartsError(MAX_OPEN_CARTS);
  }
  return { cartId: cart.cartId, memberId: cart.memberId, quote, trackedAt: now };
}

/** An order placed from a tracked cart ends it: part of the order's own batch. */
export function clearCartStatement(db: Database, programId: string, cartId: string): Statement {
  return db.delete(carts).where(and(eq(carts.programId, programId), eq(carts.cartId, cartId)));
}

/** An erased member's carts go with the erasure (its batch). */
export function forgetMemberCarts(db: Database, memberId: string): Statement {
  return db.delete(carts).where(eq(carts.memberId, memberId));
}

/**
 * The carts of the members in (afterMemberId, lastMemberId] idle since `idleSince` or earlier: one
 * range of the (program, member, updated_at) index per member; a query builder to batch.
 */
export function idleCarts(db: Database, programId: string, afterMemberId: string | null, lastMemberId: string | SQL, idleSince: Date) {
  return db
    .select()
    .from(carts)
    .where(
      and(
        eq(carts.programId, programId),
        afterMemberId ? gt(carts.memberId, afterMemberId) : undefined,
        lte(carts.memberId, lastMemberId),
        lte(carts.updatedAt, idleSince),
      ),
    );
}

/** The program's carts of these ids that are still open. */
export function cartsByIds(db: Database, programId: string, cartIds: string[]) {
  return db
    .select({ cartId: carts.cartId, updatedAt: carts.updatedAt })
    .from(carts)
    .where(and(eq(carts.programId, programId), inArray(carts.cartId, cartIds)));
}

/**
 * Each cart's quote now, as the `quote` query would answer for it; a cart that no longer quotes
 * (the program's currency changed) is left out.
 */
export async function quoteCarts(db: Database, programId: string, tracked: CartRow[], now: Date): Promise<Map<string, QuoteResult>> {
  const quoted = await Promise.all(
    tracked.map(async (cart) => {
      const checkout = checkoutOfCart(cart);
      try {
        return [[cart.cartId, quoteResult(checkout, await checkoutCart(db, programId, checkout, now))] as const];
      } catch (error) {
        if (error instanceof DomainError) return [];
        throw error;
      }
    }),
  );
  return new Map(quoted.flat());
}
