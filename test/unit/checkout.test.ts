import { describe, expect, it } from 'vitest';
import {
  allocateRefundLines,
  isFullRefund,
  type OrderLineState,
  type RefundableOrder,
  refundShares,
} from '../../src/modules/checkout/domain/refund';

const order: RefundableOrder = {
  total: 1000,
  discount: 100,
  refundedAmount: 0,
  pointsEarned: 90,
  pointsRedeemed: 7,
  pointsClawedBack: 0,
  pointsReturned: 0,
  walletPayment: 0,
  walletBonusPayment: 0,
  walletReturned: 0,
  walletBonusReturned: 0,
};

describe('refund shares', () => {
  it('takes back and returns points in proportion to the money refunded', () => {
    expect(refundShares(order, 450)).toMatchObject({ refundedAfter: 450, pointsToClawBack: 45, pointsToReturn: 4 });
  });

  it('adds up exactly to a full refund over any series of partial refunds', () => {
    let state = { ...order };
    for (let refund = 0; refund < 7; refund++) {
      const amount = refund < 6 ? 128 : 900 - 6 * 128;
      const shares = refundShares(state, amount);
      state = {
        ...state,
        refundedAmount: shares.refundedAfter,
        pointsClawedBack: state.pointsClawedBack + shares.pointsToClawBack,
        pointsReturned: state.pointsReturned + shares.pointsToReturn,
      };
    }
    expect(state).toMatchObject({ refundedAmount: 900, pointsClawedBack: 90, pointsReturned: 7 });
  });

  it('leaves the points of a free order alone', () => {
    const free = { ...order, total: 100, discount: 100 };
    expect(refundShares(free, 0)).toMatchObject({ pointsToClawBack: 0, pointsToReturn: 0 });
  });
});

describe('refund lines', () => {
  const lines: OrderLineState[] = [
    { lineNo: 1, sku: 'A', quantity: 3, refundedQuantity: 0, unitPrice: 100, discount: 10 },
    { lineNo: 2, sku: 'A', quantity: 1, refundedQuantity: 0, unitPrice: 100, discount: 0 },
    { lineNo: 3, sku: 'B', quantity: 2, refundedQuantity: 1, unitPrice: 50, discount: 0 },
  ];

  it('refunds what the units were paid after their discount, first lines first', () => {
    const result = allocateRefundLines(lines, [{ sku: 'A', quantity: 4 }]);
    expect(result?.amount).toBe(390);
    expect(Object.fromEntries(result!.allocations)).toEqual({ 1: 3, 2: 1 });
  });

  it('splits a line discount so that its units add up exactly', () => {
    const units = [1, 1, 1].map((_, index) => {
      const line = { ...lines[0]!, refundedQuantity: index };
      return allocateRefundLines([line], [{ sku: 'A', quantity: 1 }])!.amount;
    });
    expect(units.reduce((a, b) => a + b, 0)).toBe(290);
  });

  it('refuses an unknown SKU or more units than are left', () => {
    expect(allocateRefundLines(lines, [{ sku: 'C', quantity: 1 }])).toBeNull();
    expect(allocateRefundLines(lines, [{ sku: 'B', quantity: 2 }])).toBeNull();
  });

  it('knows when a refund completes the order', () => {
    expect(isFullRefund(order, 900, [], new Map())).toBe(true);
    expect(isFullRefund(order, 899, [], new Map())).toBe(false);
    const free = { ...order, total: 100, discount: 100 };
    const line = [{ lineNo: 1, sku: 'A', quantity: 2, refundedQuantity: 1, unitPrice: 50, discount: 100 }];
    expect(isFullRefund(free, 0, line, new Map([[1, 1]]))).toBe(true);
    expect(isFullRefund(free, 0, line, new Map())).toBe(false);
  });
});
