import { describe, expect, it } from 'vitest';
import { allocate, REST_OF_ORDER } from '../../src/modules/offers/domain/allocation';
import type { Shopper } from '../../src/modules/offers/domain/eligibility';
import { evaluateOffers, type EvaluationInput } from '../../src/modules/offers/domain/evaluate';
import type { Offer, OfferConditions, OfferEffect } from '../../src/modules/offers/domain/offer';

// Pure rules, no app and no database: each case runs in well under a millisecond.
const now = new Date('2026-06-15T12:00:00Z');

const conditions = (overrides: Partial<OfferConditions> = {}): OfferConditions => ({
  audience: 'everyone',
  tierIds: [],
  referredOnly: false,
  birthdayWindowDays: null,
  attributes: {},
  orderNumber: null,
  withinDaysOfLastOrder: null,
  minimumSpend: null,
  ...overrides,
});

let sequence = 0;
function offer(effect: OfferEffect, overrides: Partial<Offer> = {}): Offer {
  sequence += 1;
  return {
    id: `offer-${sequence}`,
    programId: 'p',
    name: `Offer ${sequence}`,
    description: null,
    status: 'active',
    codeRequired: false,
    priority: 0,
    exclusive: false,
    startsAt: null,
    endsAt: null,
    maxRedemptions: null,
    budget: null,
    perMemberLimit: null,
    perMemberLimitPeriod: null,
    perMemberLimitWindow: 'calendar',
    conditions: conditions(),
    effect,
    redemptions: 0,
    discountGiven: 0,
    bonusPointsGiven: 0,
    createdAt: new Date(now.getTime() - sequence * 1000),
    updatedAt: now,
    ...overrides,
  };
}

const member: Shopper = {
  memberId: 'm1',
  tier: null,
  birthday: null,
  priorOrders: 0,
  lastOrderAt: null,
  referred: false,
  referralDiscountBasisPoints: 0,
  offerUses: new Map(),
  codeUses: new Map(),
  stamps: new Map(),
  segmentIds: new Set(),
};
const guest: Shopper = { ...member, memberId: null };

const line = (lineNo: number, sku: string, quantity: number, unitPrice: number, category: string | null = null) => ({
  lineNo,
  sku,
  category,
  quantity,
  unitPrice,
  attributes: {},
});

function evaluate(overrides: Partial<EvaluationInput>) {
  return evaluateOffers({
    now,
    cart: { total: 10_000, lines: [line(1, 'A', 2, 2500), line(2, 'B', 1, 4000)], attributes: {} },
    shopper: member,
    automaticOffers: [],
    enteredCodes: [],
    maxDiscountBasisPoints: null,
    ...overrides,
  });
}

describe('allocate', () => {
  it('splits an amount in proportion to what each bucket has left, exactly', () => {
    const shares = allocate(100, [
      { key: 1, remaining: 100 },
      { key: 2, remaining: 100 },
      { key: 3, remaining: 100 },
    ]);
    expect([...shares.values()].reduce((a, b) => a + b, 0)).toBe(100);
    // Largest remainder, ties to the earlier bucket.
    expect(Object.fromEntries(shares)).toEqual({ 1: 34, 2: 33, 3: 33 });
  });

  it('never gives a bucket more than it has, even with products past 2^53', () => {
    const big = 2 ** 52;
    const shares = allocate(big, [
      { key: 1, remaining: big - 3 },
      { key: 2, remaining: 3 },
      { key: 3, remaining: big },
    ]);
    expect(shares.get(1)! + shares.get(2)! + shares.get(3)!).toBe(big);
    expect(Object.fromEntries(shares)).toEqual({ 1: big / 2 - 1, 2: 1, 3: big / 2 });
  });

  it('allocates nothing for zero and refuses more than there is', () => {
    expect(allocate(0, [{ key: 1, remaining: 5 }]).size).toBe(0);
    expect(() => allocate(6, [{ key: 1, remaining: 5 }])).toThrow(RangeError);
  });
});

describe('evaluateOffers', () => {
  it('applies a percentage off the whole order, spread over the lines and the rest of the order', () => {
    const evaluation = evaluate({ automaticOffers: [offer({ kind: 'percent_off', basisPoints: 1000, items: null })] });
    expect(evaluation.discount).toBe(1000);
    expect([...evaluation.lineDiscounts.values()].reduce((a, b) => a + b, 0)).toBe(1000);
    expect(evaluation.lineDiscounts.get(REST_OF_ORDER)).toBe(100);
  });

  it('applies offers by priority and an exclusive one stops the rest', () => {
    const low = offer({ kind: 'amount_off', amount: 500, items: null }, { priority: 1 });
    const high = offer({ kind: 'percent_off', basisPoints: 5000, items: null }, { priority: 9, exclusive: true });
    const evaluation = evaluate({ automaticOffers: [low, high] });
    expect(evaluation.applied.map((application) => application.offerId)).toEqual([high.id]);
    expect(evaluation.notApplied).toContainEqual(expect.objectContaining({ offerId: low.id, reason: 'excluded_by_exclusive_offer' }));
    expect(evaluation.discount).toBe(5000);
  });

  it('refuses members-only offers to a guest, with the reason', () => {
    const membersOnly = offer({ kind: 'amount_off', amount: 100, items: null }, { conditions: conditions({ audience: 'members' }) });
    const evaluation = evaluate({ shopper: guest, automaticOffers: [membersOnly] });
    expect(evaluation.discount).toBe(0);
    expect(evaluation.notApplied).toEqual([expect.objectContaining({ offerId: membersOnly.id, reason: 'members_only' })]);
  });

  it('respects the minimum spend', () => {
    const minimum = offer({ kind: 'amount_off', amount: 100, items: null }, { conditions: conditions({ minimumSpend: 10_001 }) });
    expect(evaluate({ automaticOffers: [minimum] }).notApplied[0]).toMatchObject({ reason: 'below_threshold', threshold: 10_001 });
  });

  it("caps the order's total discount and never takes the order below zero", () => {
    const huge = offer({ kind: 'amount_off', amount: 1_000_000, items: null });
    expect(evaluate({ automaticOffers: [huge] }).discount).toBe(10_000);
    expect(evaluate({ automaticOffers: [huge], maxDiscountBasisPoints: 2500 }).discount).toBe(2500);
  });

  it("caps a discount by the offer's budget left and refuses an exhausted one", () => {
    const budgeted = offer({ kind: 'amount_off', amount: 800, items: null }, { budget: 1000, discountGiven: 700 });
    expect(evaluate({ automaticOffers: [budgeted] }).discount).toBe(300);
    const spent = offer({ kind: 'amount_off', amount: 800, items: null }, { budget: 1000, discountGiven: 1000 });
    expect(evaluate({ automaticOffers: [spent] }).notApplied[0]).toMatchObject({ reason: 'budget_exhausted' });
  });

  it('discounts only the matching lines of an item offer', () => {
    const onB = offer({ kind: 'percent_off', basisPoints: 5000, items: { skus: ['B'], categories: [] } });
    const evaluation = evaluate({ automaticOffers: [onB] });
    expect(evaluation.discount).toBe(2000);
    expect(Object.fromEntries(evaluation.lineDiscounts)).toEqual({ 2: 2000 });
  });

  it("applies the tier's standing discount after the offers, on what they left", () => {
    const tiered: Shopper = { ...member, tier: { id: 'gold', discountBasisPoints: 1000, memberOnlyOffers: false } };
    const evaluation = evaluate({ shopper: tiered, automaticOffers: [offer({ kind: 'amount_off', amount: 5000, items: null })] });
    expect(evaluation.applied.map((application) => application.effect)).toEqual(['amount_off', 'tier_discount']);
    expect(evaluation.discount).toBe(5500);
  });

  it('refuses an unknown code and gives the same answer every time (pure)', () => {
    const input = { enteredCodes: [{ code: 'NOPE', match: null }] };
    expect(evaluate(input).notApplied).toEqual([{ offerId: null, tierId: null, code: 'NOPE', reason: 'unknown_code' }]);
    expect(evaluate(input)).toEqual(evaluate(input));
  });
});
