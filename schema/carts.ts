import { sqliteTable, text, integer, primaryKey, index } from 'drizzle-orm/sqlite-core';
import { programIdColumn } from './columns';
import { memberIdColumn } from './members';

/** A cart line as tracked (the same fields `quote` takes). */
export interface TrackedCartLine {
  sku: string;
  category: string | null;
  quantity: number;
  unitPrice: number;
  attributes: Record<string, unknown>;
}

/**
 * A member's open cart, as the storefront last tracked it (`trackCart`). Recording an order with
 * its `cartId` deletes it; a cart idle past the program's threshold is a `cart.abandoned` reminder,
 * once per idle period (its `updatedAt` is part of the reminder's reason).
 */
export const carts = sqliteTable(
  'carts',
  {
    programId: programIdColumn(),
    /** The storefront's cart id, unique in the program. */
    cartId: text('cart_id').notNull(),
    memberId: memberIdColumn(),
    currency: text('currency').notNull(),
    lines: text('lines', { mode: 'json' }).notNull().$type<TrackedCartLine[]>(),
    codes: text('codes', { mode: 'json' }).notNull().$type<string[]>(),
    attributes: text('attributes', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    /** The last trackCart: the idle period starts here. */
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.cartId] }), index('carts_member').on(t.programId, t.memberId, t.updatedAt)],
);

export type CartRow = typeof carts.$inferSelect;
