import type { PurchaseKeyKind } from '../../../../schema/values';
import { asStoredText } from '../../../platform/text';

export interface PurchasedLine {
  sku: string;
  category: string | null;
  quantity: number;
  refundedQuantity: number;
}

/** An order as member stats see it. */
export interface OrderForStats {
  placedAt: Date;
  /** Paid after discounts, before refunds (minor units). */
  netTotal: number;
  refundedAmount: number;
  fullyRefunded: boolean;
  lines: PurchasedLine[];
}

/** An order as its member's stats see it (refunds and claims change what it counts for). */
export function orderForStats(
  order: { createdAt: Date; total: number; discount: number; refundedAmount: number; fullyRefundedAt: Date | null },
  lines: PurchasedLine[],
): OrderForStats {
  return {
    placedAt: order.createdAt,
    netTotal: order.total - order.discount,
    refundedAmount: order.refundedAmount,
    fullyRefunded: order.fullyRefundedAt !== null,
    lines,
  };
}

export interface PurchaseKey {
  kind: PurchaseKeyKind;
  key: string;
}

const keyOf = ({ kind, key }: PurchaseKey) => `${kind}\u0000${key}`;

/**
 * The SKUs and categories an order counts as bought: those with at least one unit not refunded,
 * none once the order is fully refunded.
 */
export function heldPurchaseKeys(order: Pick<OrderForStats, 'fullyRefunded' | 'lines'>): PurchaseKey[] {
  if (order.fullyRefunded) return [];
  const held = new Map<string, PurchaseKey>();
  for (const line of order.lines) {
    if (line.refundedQuantity >= line.quantity) continue;
    for (const entry of [
      { kind: 'sku' as const, key: line.sku },
      ...(line.category ? [{ kind: 'category' as const, key: line.category }] : []),
    ])
      held.set(keyOf(entry), entry);
  }
  return [...held.values()];
}

/** What one change to an order adds to its member's stats (negative to take away). */
export interface StatsDelta {
  placedAt: Date;
  orderCount: number;
  spend: number;
  /** The SKUs and categories the order (placed on `placedAt`'s UTC day) counts as bought, +1 or −1 each. */
  purchases: Array<PurchaseKey & { orders: number }>;
}

/** What an order counts for on its own: once (unless fully refunded), for what was paid and not refunded. */
function contribution(order: OrderForStats) {
  return {
    orderCount: order.fullyRefunded ? 0 : 1,
    spend: order.netTotal - order.refundedAmount,
    keys: new Map(heldPurchaseKeys(order).map((entry) => [keyOf(entry), entry])),
  };
}

/**
 * The change to a member's stats when an order goes from `before` (null: not recorded yet) to
 * `after`. Recording, refunding and importing all go through this, so the stats always equal what
 * a recomputation from the orders would give.
 */
export function statsDelta(before: OrderForStats | null, after: OrderForStats): StatsDelta {
  const from = before ? contribution(before) : { orderCount: 0, spend: 0, keys: new Map<string, PurchaseKey>() };
  const to = contribution(after);
  const purchases: StatsDelta['purchases'] = [];
  for (const [id, entry] of to.keys) if (!from.keys.has(id)) purchases.push({ ...entry, orders: 1 });
  for (const [id, entry] of from.keys) if (!to.keys.has(id)) purchases.push({ ...entry, orders: -1 });
  return { placedAt: after.placedAt, orderCount: to.orderCount - from.orderCount, spend: to.spend - from.spend, purchases };
}

/** Whether a delta changes nothing a member's history keeps per day (a refund of nothing, a claim of a fully refunded order). */
export const changesNoDay = (delta: StatsDelta) => delta.orderCount === 0 && delta.spend === 0 && delta.purchases.length === 0;

/** Whether a delta only adds (an order recorded, imported or claimed), never takes away (a refund). */
export const onlyAdds = (delta: StatsDelta) =>
  delta.orderCount >= 0 && delta.spend >= 0 && delta.purchases.every(({ orders }) => orders >= 0);

/** UTF-16 code units ordered as the code points they encode, which is how SQLite's binary order sorts UTF-8 text. */
const codePointOrder = (unit: number) => (unit < 0xd800 ? unit : unit < 0xe000 ? unit + 0x2000 : unit - 0x800);

/** Compares texts as SQLite's binary collation does (JavaScript's `<` differs beyond U+D7FF). */
export function compareBinary(a: string, b: string): number {
  for (let index = 0; index < a.length && index < b.length; index++) {
    const difference = codePointOrder(a.charCodeAt(index)) - codePointOrder(b.charCodeAt(index));
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

/**
 * Purchases (of one day) as the daily activity holds them: JSON `[kind, key, orders]`, summed per
 * SKU and category, zeros left out, sorted by kind then key as SQLite sorts them, so that a day's
 * row reads the same however its orders arrived (JSON.stringify writes what SQLite's `json_array`
 * writes, once a key is text as SQLite stores it). Negative sums stay (what a refund takes away).
 */
export function dayPurchasesJson(purchases: ReadonlyArray<PurchaseKey & { orders: number }>): string {
  const sums = new Map<string, [PurchaseKey['kind'], string, number]>();
  for (const purchase of purchases) {
    const key = asStoredText(purchase.key);
    const id = keyOf({ kind: purchase.kind, key });
    const entry = sums.get(id) ?? [purchase.kind, key, 0];
    entry[2] += purchase.orders;
    sums.set(id, entry);
  }
  const entries = [...sums.values()].filter(([, , orders]) => orders !== 0);
  return JSON.stringify(entries.sort(([kindA, keyA], [kindB, keyB]) => compareBinary(kindA, kindB) || compareBinary(keyA, keyB)));
}

/** How a day's purchases JSON begins the entry of a SKU or category (`["category","tea",`): days without it need no parsing. */
export const dayPurchaseEntryStart = ({ kind, key }: PurchaseKey) => `${JSON.stringify([kind, asStoredText(key)]).slice(0, -1)},`;

/** Average order value in minor units (rounded down); null without orders. */
export const averageOrderValue = (stats: { orderCount: number; totalSpend: number }) =>
  stats.orderCount === 0 ? null : Math.floor(stats.totalSpend / stats.orderCount);
