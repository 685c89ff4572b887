import { mulDivRounded } from '../../rules/domain';

export interface RefundableOrder {
  total: number;
  refundedAmount: number;
  pointsEarned: number;
  pointsRedeemed: number;
  pointsClawedBack: number;
  pointsReturned: number;
}

/**
 * What a refund undoes, proportionally to money: the points earned on the refunded part are taken
 * back and the points that paid for it are returned. Computed on the cumulative refunded amount
 * (half-up), so any series of partial refunds adds up exactly to a full refund.
 */
export function refundShares(order: RefundableOrder, amount: number) {
  const refundedAfter = order.refundedAmount + amount;
  // A free order has nothing to refund proportionally: its points stay as they are.
  const share = (points: number) => (order.total === 0 ? 0 : mulDivRounded([points, refundedAfter], order.total, 'half_up'));
  return {
    refundedAfter,
    pointsToClawBack: share(order.pointsEarned) - order.pointsClawedBack,
    pointsToReturn: share(order.pointsRedeemed) - order.pointsReturned,
  };
}

export interface RefundLine {
  sku: string;
  quantity: number;
}

export interface OrderLineState {
  lineNo: number;
  sku: string;
  quantity: number;
  refundedQuantity: number;
  unitPrice: number;
}

/**
 * Allocates refunded quantities to order lines by SKU (first lines first). Returns the amount and
 * per-line quantities, or null when a SKU is not on the order or more is asked than is left.
 */
export function allocateRefundLines(lines: OrderLineState[], refund: RefundLine[]) {
  const allocations = new Map<number, number>();
  let amount = 0;
  for (const { sku, quantity } of refund) {
    let left = quantity;
    for (const line of lines.filter((candidate) => candidate.sku === sku)) {
      const free = line.quantity - line.refundedQuantity - (allocations.get(line.lineNo) ?? 0);
      const take = Math.min(free, left);
      if (take <= 0) continue;
      allocations.set(line.lineNo, (allocations.get(line.lineNo) ?? 0) + take);
      amount += take * line.unitPrice;
      left -= take;
    }
    if (left > 0) return null;
  }
  return { amount, allocations };
}
