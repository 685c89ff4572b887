import { mulDivRounded } from '../../rules/domain';

export interface RefundableOrder {
  total: number;
  discount: number;
  refundedAmount: number;
  pointsEarned: number;
  pointsRedeemed: number;
  pointsClawedBack: number;
  pointsReturned: number;
  walletPayment: number;
  walletBonusPayment: number;
  walletReturned: number;
  walletBonusReturned: number;
}

/** What the customer owed for the order: its total after discounts (points paid part of it). */
export const netTotal = (order: Pick<RefundableOrder, 'total' | 'discount'>) => order.total - order.discount;

/**
 * What a refund undoes, proportionally to money: the points earned on the refunded part are taken
 * back, and the points and the wallet money that paid for it are returned. Computed on the cumulative refunded amount
 * (half-up), so any series of partial refunds adds up exactly to a full refund.
 */
export function refundShares(order: RefundableOrder, amount: number) {
  const refundedAfter = order.refundedAmount + amount;
  const net = netTotal(order);
  // A free order has nothing to refund proportionally: its points stay as they are.
  const share = (points: number) => (net === 0 ? 0 : mulDivRounded([points, refundedAfter], net, 'half_up'));
  // Bonus credit and cash each by their own running share, so each comes back exactly, never less than before.
  const bonusBack = share(order.walletBonusPayment) - order.walletBonusReturned;
  const cashBack = share(order.walletPayment - order.walletBonusPayment) - (order.walletReturned - order.walletBonusReturned);
  return {
    refundedAfter,
    pointsToClawBack: share(order.pointsEarned) - order.pointsClawedBack,
    pointsToReturn: share(order.pointsRedeemed) - order.pointsReturned,
    /** Back to the wallet, in proportion to what it paid: to bonus credit as much as it paid of it. */
    walletToReturn: { bonus: bonusBack, cash: cashBack },
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
  discount: number;
}

/** What the first `units` units of a line were paid after its discount (half-up, cumulative, so all units add up exactly). */
const paidFor = (line: OrderLineState, units: number) =>
  mulDivRounded([line.quantity * line.unitPrice - line.discount, units], line.quantity, 'half_up');

/**
 * Allocates refunded quantities to order lines by SKU (first lines first). Returns the amount (what
 * those units were paid) and per-line quantities, or null when a SKU is not on the order or more
 * is asked than is left.
 */
export function allocateRefundLines(lines: OrderLineState[], refund: RefundLine[]) {
  const allocations = new Map<number, number>();
  for (const { sku, quantity } of refund) {
    let left = quantity;
    for (const line of lines.filter((candidate) => candidate.sku === sku)) {
      const free = line.quantity - line.refundedQuantity - (allocations.get(line.lineNo) ?? 0);
      const take = Math.min(free, left);
      if (take <= 0) continue;
      allocations.set(line.lineNo, (allocations.get(line.lineNo) ?? 0) + take);
      left -= take;
    }
    if (left > 0) return null;
  }
  let amount = 0;
  for (const line of lines) {
    const units = allocations.get(line.lineNo) ?? 0;
    if (units > 0) amount += paidFor(line, line.refundedQuantity + units) - paidFor(line, line.refundedQuantity);
  }
  return { amount, allocations };
}

/**
 * Whether this refund completes a full refund: every minor unit paid is back. An order that cost
 * nothing (fully discounted) is fully refunded once every unit of its lines is, or, without lines,
 * by a refund of 0.
 */
export function isFullRefund(order: RefundableOrder, amount: number, lines: OrderLineState[], allocations: Map<number, number>): boolean {
  if (order.refundedAmount + amount < netTotal(order)) return false;
  if (netTotal(order) > 0) return true;
  return lines.every((line) => line.refundedQuantity + (allocations.get(line.lineNo) ?? 0) === line.quantity);
}
