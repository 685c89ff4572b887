import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { closeSoundly } from '../../support/ledger';
import { createOffer, line, recordOrder, refundOrder } from '../../support/offers';

/**
 * Partial refunds by lines take back the stamps of the units they return. A free unit already
 * given from those stamps stays given: the card goes into debt, and the next stamps repay it first.
 */

const STAMP_CARDS = `query($id: ID!) { member(id: $id) { stampCards { offer { id } stamps untilReward stampsOwed lifetimeStamps rewardsEarned } } }`;

async function cardOf(app: TestApp, memberId: string, offerId: string) {
  const response = await app.graphql(STAMP_CARDS, { id: memberId }, await app.token({ role: 'admin' }));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const { offer, ...card } = (response.data!.member.stampCards as Array<Record<string, any>>).find((one) => one.offer.id === offerId) ?? {
    offer: null,
    lifetimeStamps: 0,
    rewardsEarned: 0,
  };
  return card;
}

const coffee = (quantity: number) => line('COFFEE', quantity, 350, { category: 'coffee' });

describe('stamps and partial refunds', () => {
  let app: TestApp;
  let memberId: string;
  let offerId: string;
  const card = () => cardOf(app, memberId, offerId);
  const stampCard = async (stampsRequired: number) => {
    offerId = (
      await createOffer(app, { name: 'Coffee card', effect: { stampCard: { stampsRequired, items: { categories: ['coffee'] } } } })
    ).id;
  };
  beforeEach(async () => {
    app = await createTestApp();
    memberId = (await enroll(app, { email: 'stamps@example.com' })).globalId;
  });
  afterEach(() => closeSoundly(app));

  it('refunding 8 of 9 stamped coffees takes their 8 stamps: the next coffee is not free', async () => {
    await stampCard(10);
    await recordOrder(app, { memberId, orderId: 'nine', lines: [coffee(9)] });
    const refund = await refundOrder(app, { orderId: 'nine', lines: [{ sku: 'COFFEE', quantity: 8 }] });
    expect(refund).toMatchObject({ __typename: 'RefundOrderPayload', stampsReturned: 8, offersReleased: false });
    expect(await card()).toEqual({ stamps: 1, untilReward: 9, stampsOwed: 0, lifetimeStamps: 1, rewardsEarned: 0 });
    const next = await recordOrder(app, { memberId, lines: [coffee(1)] });
    expect(next).toMatchObject({ discount: { amount: 0 }, appliedOffers: [{ stamps: 1, freeUnits: 0 }] });
  });

  it('a refund of stamps that paid for a free unit puts the card into debt, which the next stamps repay first', async () => {
    await stampCard(3);
    expect(await recordOrder(app, { memberId, orderId: 'three', lines: [coffee(3)] })).toMatchObject({
      appliedOffers: [{ stamps: 3, freeUnits: 1 }],
    });
    expect(await refundOrder(app, { orderId: 'three', lines: [{ sku: 'COFFEE', quantity: 2 }] })).toMatchObject({ stampsReturned: 2 });
    expect(await card()).toEqual({ stamps: 0, untilReward: 5, stampsOwed: 2, lifetimeStamps: 1, rewardsEarned: 1 });
    // Two stamps repay the debt; no free unit.
    expect(await recordOrder(app, { memberId, lines: [coffee(2)] })).toMatchObject({
      discount: { amount: 0 },
      appliedOffers: [{ stamps: 2, freeUnits: 0 }],
    });
    expect(await card()).toMatchObject({ stamps: 0, untilReward: 3, stampsOwed: 0 });
    // Then every 3rd unit again: 3 more kept units, one more free (6 kept, 2 free).
    expect(await recordOrder(app, { memberId, lines: [coffee(3)] })).toMatchObject({
      discount: { amount: 350 },
      appliedOffers: [{ stamps: 3, freeUnits: 1 }],
    });
  });

  it('takes back only the stamps of matching lines, never more than the order gave, and the full refund the rest', async () => {
    await stampCard(5);
    await recordOrder(app, { memberId, orderId: 'mixed', lines: [coffee(2), line('CAKE', 2, 400), coffee(2)] });
    expect(await refundOrder(app, { orderId: 'mixed', lines: [{ sku: 'CAKE', quantity: 2 }] })).toMatchObject({ stampsReturned: 0 });
    expect(await refundOrder(app, { orderId: 'mixed', lines: [{ sku: 'COFFEE', quantity: 3 }] })).toMatchObject({ stampsReturned: 3 });
    expect(await card()).toMatchObject({ lifetimeStamps: 1 });
    // A refund by amount returns no units: it keeps the stamps, until it completes a full refund.
    expect(await refundOrder(app, { orderId: 'mixed', amount: 100 })).toMatchObject({ stampsReturned: 0, offersReleased: false });
    expect(await refundOrder(app, { orderId: 'mixed', amount: 250 })).toMatchObject({ stampsReturned: 1, offersReleased: true });
    expect(await card()).toMatchObject({ lifetimeStamps: 0, rewardsEarned: 0 });
  });

  it('takes back the stamps of an order recorded before stamped lines were kept, by the lines the card matches', async () => {
    await stampCard(10);
    await recordOrder(app, { memberId, orderId: 'old', lines: [coffee(4), line('CAKE', 1, 400)] });
    await app.client.execute("update offer_applications set stamped_lines = '[]'"); // as migration 0006 left older orders
    expect(
      await refundOrder(app, {
        orderId: 'old',
        lines: [
          { sku: 'COFFEE', quantity: 3 },
          { sku: 'CAKE', quantity: 1 },
        ],
      }),
    ).toMatchObject({ stampsReturned: 3 });
    expect(await card()).toMatchObject({ lifetimeStamps: 1 });
  });
});

const steps = fc.array(
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        type: fc.constant('order' as const),
        coffees: fc.integer({ min: 0, max: 6 }),
        cakes: fc.integer({ min: 0, max: 2 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        type: fc.constant('refund' as const),
        order: fc.nat(),
        coffees: fc.integer({ min: 1, max: 6 }),
        full: fc.boolean(),
      }),
    },
  ),
  { minLength: 2, maxLength: 14 },
);

describe('the stamp property', () => {
  it('across random orders and partial and full refunds, free units given ≤ floor(units kept / stampsRequired) whenever one is given', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 5 }), steps, async (stampsRequired, plan) => {
        const app = await createTestApp();
        try {
          const memberId = (await enroll(app, { email: 'property@example.com' })).globalId;
          const offerId = (
            await createOffer(app, { name: 'Card', effect: { stampCard: { stampsRequired, items: { categories: ['coffee'] } } } })
          ).id;
          const orders: Array<{
            orderId: string;
            coffees: number;
            cakes: number;
            returned: number;
            cakesReturned: number;
            freeUnits: number;
            released: boolean;
          }> = [];
          const kept = () => orders.filter((order) => !order.released).reduce((sum, order) => sum + order.coffees - order.returned, 0);
          const given = () => orders.filter((order) => !order.released).reduce((sum, order) => sum + order.freeUnits, 0);
          for (const [index, step] of plan.entries()) {
            if (step.type === 'order') {
              if (step.coffees + step.cakes === 0) continue;
              const lines = [
                ...(step.coffees > 0 ? [coffee(step.coffees)] : []),
                ...(step.cakes > 0 ? [line('CAKE', step.cakes, 400)] : []),
              ];
              const givenBefore = given();
              const result = await recordOrder(app, { memberId, orderId: `o-${index}`, lines });
              const freeUnits = (result.appliedOffers as Array<{ freeUnits: number }>).reduce((sum, applied) => sum + applied.freeUnits, 0);
              orders.push({
                orderId: `o-${index}`,
                coffees: step.coffees,
                cakes: step.cakes,
                returned: 0,
                cakesReturned: 0,
                freeUnits,
                released: false,
              });
              // A new free unit only when the kept units pay for every free unit given, this one included.
              if (freeUnits > 0) expect(given(), JSON.stringify({ plan, orders })).toBeLessThanOrEqual(Math.floor(kept() / stampsRequired));
              expect(given()).toBeLessThanOrEqual(Math.max(givenBefore, Math.floor(kept() / stampsRequired)));
            } else {
              const open = orders.filter((order) => !order.released);
              if (open.length === 0) continue;
              const order = open[step.order % open.length]!;
              const coffeesLeft = order.coffees - order.returned;
              const cakesLeft = order.cakes - order.cakesReturned;
              const refundLines = step.full
                ? [
                    ...(coffeesLeft > 0 ? [{ sku: 'COFFEE', quantity: coffeesLeft }] : []),
                    ...(cakesLeft > 0 ? [{ sku: 'CAKE', quantity: cakesLeft }] : []),
                  ]
                : coffeesLeft > 0
                  ? [{ sku: 'COFFEE', quantity: Math.min(step.coffees, coffeesLeft) }]
                  : [];
              if (refundLines.length === 0) continue;
              const refund = await refundOrder(app, { orderId: order.orderId, lines: refundLines });
              expect(refund.__typename, JSON.stringify(refund)).toBe('RefundOrderPayload');
              const coffeesBack = refundLines.find((refunded) => refunded.sku === 'COFFEE')?.quantity ?? 0;
              if (refund.offersReleased) order.released = true;
              else {
                expect(refund.stampsReturned).toBe(coffeesBack);
                order.returned += coffeesBack;
                order.cakesReturned += refundLines.find((refunded) => refunded.sku === 'CAKE')?.quantity ?? 0;
              }
            }
            const card = await cardOf(app, memberId, offerId);
            expect(card.lifetimeStamps, JSON.stringify({ plan, orders })).toBe(kept());
            expect(card.rewardsEarned).toBe(given());
          }
          await closeSoundly(app);
        } catch (error) {
          app.close();
          throw error;
        }
      }),
      { numRuns: Number(process.env.STAMP_PROPERTY_RUNS ?? 12) },
    );
  }, 120_000);
});
