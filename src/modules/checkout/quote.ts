import { REST_OF_ORDER } from '../offers';
import type { NotApplied } from '../offers';
import type { NextStep } from '../offers';
import type { Checkout, CheckoutCart } from './context';

export interface AppliedOfferResult {
  offerId: string | null;
  tierId: string | null;
  effect: string;
  code: string | null;
  discount: number;
  gift: { sku: string; quantity: number } | null;
  bonusPoints: number;
  stamps: number;
  freeUnits: number;
  nextStep: NextStep | null;
}

export interface QuotedLine {
  lineNo: number;
  sku: string;
  quantity: number;
  unitPrice: number;
  discount: number;
}

/** Plain JSON (it crosses the Durable Object boundary inside a recordOrder result). */
export interface QuoteResult {
  currency: string;
  total: number;
  discount: number;
  totalAfterDiscount: number;
  pointsRedeemed: number;
  pointsPayment: number;
  amountDue: number;
  walletPayment: number;
  amountToPay: number;
  pointsEarned: number;
  pointsRedeemable: number;
  applied: AppliedOfferResult[];
  notApplied: NotApplied[];
  lines: QuotedLine[];
  /** Discount on the part of the total no line covers. */
  restOfOrderDiscount: number;
}

export function quoteResult(cart: CheckoutCart, { priced, pointsRedeemable }: Checkout): QuoteResult {
  return {
    currency: cart.currency,
    total: priced.total,
    discount: priced.discount,
    totalAfterDiscount: priced.totalAfterDiscount,
    pointsRedeemed: priced.pointsRedeemed,
    pointsPayment: priced.pointsPayment,
    amountDue: priced.amountDue,
    walletPayment: priced.walletPayment,
    amountToPay: priced.amountToPay,
    pointsEarned: priced.pointsEarned,
    pointsRedeemable,
    applied: priced.applied.map(({ offerId, tierId, effect, code, discount, gift, bonusPoints, stamps, freeUnits, nextStep }) => ({
      offerId,
      tierId,
      effect,
      code,
      discount,
      gift,
      bonusPoints,
      stamps,
      freeUnits,
      nextStep,
    })),
    notApplied: priced.notApplied,
    lines: cart.lines.map((line, lineNo) => ({
      lineNo,
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      discount: priced.lineDiscounts.get(lineNo) ?? 0,
    })),
    restOfOrderDiscount: priced.lineDiscounts.get(REST_OF_ORDER) ?? 0,
  };
}
