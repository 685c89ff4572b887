import type { Span } from './periods';

/** What one period's counted orders add up to (one aggregate row per period). */
export interface PeriodTotals {
  orders: number;
  buyers: number;
  /** Buyers in the period with an earlier counted order before one of their orders in it (two or more orders by its end). */
  repeatBuyers: number;
  /** Net of discounts and refunds, minor units. */
  revenue: number;
  /** Over the period's orders that have a previous counted order of the same member: the gaps summed, and how many. */
  gapDaysTotal: number;
  gaps: number;
}

export interface PeriodFigures extends PeriodTotals, Span {
  /** repeatBuyers / buyers × 100; null without buyers. */
  repeatPurchaseRate: number | null;
  /** orders / buyers (purchase frequency); null without buyers. */
  ordersPerBuyer: number | null;
  /** revenue / orders, minor units; null without orders. */
  averageOrderValue: number | null;
  /** Mean days from a member's previous counted order to each order of the period; null when none had one. */
  averageDaysBetweenPurchases: number | null;
}

const ratio = (numerator: number, denominator: number) => (denominator === 0 ? null : numerator / denominator);

export const EMPTY_TOTALS: PeriodTotals = { orders: 0, buyers: 0, repeatBuyers: 0, revenue: 0, gapDaysTotal: 0, gaps: 0 };

export function periodFigures(span: Span, totals: PeriodTotals): PeriodFigures {
  const repeatShare = ratio(totals.repeatBuyers, totals.buyers);
  return {
    ...span,
    ...totals,
    repeatPurchaseRate: repeatShare === null ? null : repeatShare * 100,
    ordersPerBuyer: ratio(totals.orders, totals.buyers),
    averageOrderValue: ratio(totals.revenue, totals.orders),
    averageDaysBetweenPurchases: ratio(totals.gapDaysTotal, totals.gaps),
  };
}
