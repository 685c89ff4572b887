import type { PurchaseKeyKind } from '../../../../schema/values';
import { dayNumber } from '../../../platform/time';

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
  purchases: Array<PurchaseKey & { day: number; orders: number }>;
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
  const day = dayNumber(after.placedAt);
  const purchases: StatsDelta['purchases'] = [];
  for (const [id, entry] of to.keys) if (!from.keys.has(id)) purchases.push({ ...entry, day, orders: 1 });
  for (const [id, entry] of from.keys) if (!to.keys.has(id)) purchases.push({ ...entry, day, orders: -1 });
  return { placedAt: after.placedAt, orderCount: to.orderCount - from.orderCount, spend: to.spend - from.spend, purchases };
}

/** Average order value in minor units (rounded down); null without orders. */
export const averageOrderValue = (stats: { orderCount: number; totalSpend: number }) =>
  stats.orderCount === 0 ? null : Math.floor(stats.totalSpend / stats.orderCount);
