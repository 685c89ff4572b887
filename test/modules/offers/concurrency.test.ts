import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { closeSoundly, key } from '../../support/ledger';
import { createCode, createOffer, line, offerStats, quote, recordOrder, refundOrder } from '../../support/offers';

/**
 * Limits shared by all members (a single-use code, an offer's maxRedemptions and budget) under
 * orders recorded at the same instant. With `networkLatency` every statement yields the event loop,
 * so concurrent commands read the same counters before any of them writes, as they would against
 * Turso: only the CHECKs on the counters (and the re-evaluation of the loser) keep the limits.
 */

const CODE_USES = `query($id: ID!) { node(id: $id) { ... on Offer { codes(first: 50) { edges { node { code uses maxUses } } } } } }`;

async function codeUses(app: TestApp, offerId: string, code: string): Promise<number> {
  const response = await app.graphql(CODE_USES, { id: offerId }, await app.token({ role: 'admin' }));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const found = (response.data!.node.codes.edges as Array<{ node: { code: string; uses: number } }>).find(
    (edge) => edge.node.code === code,
  );
  expect(found, `code ${code} of offer ${offerId}`).toBeDefined();
  return found!.node.uses;
}

async function enrollMany(app: TestApp, count: number, prefix: string) {
  const members = [];
  for (let index = 0; index < count; index++) members.push(await enroll(app, { email: `${prefix}-${index}@example.com` }));
  return members;
}

const applicationsOf = (result: Record<string, any>, offerId: string) =>
  (result.appliedOffers as Array<Record<string, any>>).filter((applied) => applied.offer?.id === offerId);

let app: TestApp | undefined;
afterEach(async () => {
  if (app) await closeSoundly(app);
  app = undefined;
});

describe('a single-use code entered by 20 members at the same instant', () => {
  it.each([
    ['through the per-member serializer', false],
    ['without the serializer: the database guards alone', true],
  ])('%s: exactly one order gets it, the 19 others are recorded without it (CODE_ALREADY_USED)', async (_name, withoutSerializer) => {
    app = await createTestApp({ networkLatency: true, withoutSerializer });
    const offer = await createOffer(app, { name: 'Ten off once', codeRequired: true, effect: { percentOff: { basisPoints: 1000 } } });
    await createCode(app, { offerId: offer.id, code: 'ONLY-ONCE', maxUses: 1 });
    const members = await enrollMany(app, 20, `single-${withoutSerializer}`);
    const token = await app.token({ role: 'storefront' });

    const results = await Promise.all(
      members.map((member, index) =>
        recordOrder(
          app!,
          {
            memberId: member.globalId,
            orderId: `single-${withoutSerializer}-${index}`,
            total: 2000,
            lines: [line('MUG', 2, 1000)],
            codes: ['only-once'],
          },
          token,
        ),
      ),
    );

    expect(results.map((result) => result.__typename)).toEqual(Array(20).fill('RecordOrderPayload'));
    const winners = results.filter((result) => applicationsOf(result, offer.id).length > 0);
    const losers = results.filter((result) => applicationsOf(result, offer.id).length === 0);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({
      discount: { amount: 200 },
      totalAfterDiscount: { amount: 1800 },
      pointsEarned: 18,
      appliedOffers: [{ offer: { id: offer.id }, code: 'ONLY-ONCE', discount: 200 }],
      notApplied: [],
      lines: [{ discount: 200, total: 1800 }],
    });
    expect(losers).toHaveLength(19);
    for (const loser of losers) {
      expect(loser).toMatchObject({
        discount: { amount: 0 },
        totalAfterDiscount: { amount: 2000 },
        amountPaid: { amount: 2000 },
        pointsEarned: 20,
        appliedOffers: [],
        lines: [{ discount: 0, total: 2000 }],
      });
      expect(loser.notApplied).toEqual([
        { offerId: offer.id, tierId: null, code: 'ONLY-ONCE', reason: 'CODE_ALREADY_USED', threshold: null },
      ]);
    }

    expect(await codeUses(app, offer.id, 'ONLY-ONCE')).toBe(1);
    expect(await offerStats(app, offer.id)).toMatchObject({ redemptions: 1, discountGiven: 200 });
    // What the members hold agrees with what the orders said they earned.
    const after = await Promise.all(members.map((member) => quote(app!, { memberId: member.globalId, lines: [line('MUG', 1, 100)] })));
    expect(after.map((quoted) => quoted.pointsRedeemable).sort((a, b) => a - b)).toEqual([18, ...Array(19).fill(20)].sort((a, b) => a - b));
  });

  it('with expectedDiscount: exactly one is recorded, the 19 others are refused (CheckoutChangedError) and record nothing', async () => {
    app = await createTestApp({ networkLatency: true });
    const offer = await createOffer(app, { name: 'Ten off once', codeRequired: true, effect: { percentOff: { basisPoints: 1000 } } });
    await createCode(app, { offerId: offer.id, code: 'ONLY-ONCE', maxUses: 1 });
    const members = await enrollMany(app, 20, 'expected');
    const cart = { total: 2000, lines: [line('MUG', 2, 1000)], codes: ['ONLY-ONCE'] };
    const quoted = await quote(app, { ...cart, memberId: members[0]!.globalId });
    expect(quoted.discount.amount).toBe(200);
    const token = await app.token({ role: 'storefront' });

    const requests = members.map((member, index) => ({
      ...cart,
      memberId: member.globalId,
      orderId: `expected-${index}`,
      idempotencyKey: `expected-key-${index}`,
      expectedDiscount: quoted.discount.amount,
    }));
    const results = await Promise.all(requests.map((request) => recordOrder(app!, request, token)));

    const recorded = results.filter((result) => result.__typename === 'RecordOrderPayload');
    const changed = results.filter((result) => result.__typename === 'CheckoutChangedError');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ discount: { amount: 200 }, appliedOffers: [{ code: 'ONLY-ONCE', discount: 200 }] });
    expect(changed).toHaveLength(19);
    for (const refused of changed) expect(refused).toMatchObject({ code: 'CHECKOUT_CHANGED', expectedDiscount: 200, currentDiscount: 0 });
    expect(await codeUses(app, offer.id, 'ONLY-ONCE')).toBe(1);
    expect(await offerStats(app, offer.id)).toMatchObject({ redemptions: 1, discountGiven: 200 });

    // Nothing was recorded for the refused ones: no order to refund, and the same order id and key,
    // now without the code, records the order for the first time.
    const refusedRequests = requests.filter((_request, index) => results[index]!.__typename === 'CheckoutChangedError');
    for (const request of refusedRequests) {
      expect(await refundOrder(app, { orderId: request.orderId, amount: 1 })).toMatchObject({ __typename: 'OrderNotFoundError' });
      const retried = await recordOrder(app, { ...request, codes: [], expectedDiscount: 0 }, token);
      expect(retried).toMatchObject({
        __typename: 'RecordOrderPayload',
        orderId: request.orderId,
        replayed: false,
        discount: { amount: 0 },
        pointsEarned: 20,
        pointsBalance: 20,
      });
    }
    expect(await offerStats(app, offer.id)).toMatchObject({ redemptions: 1, discountGiven: 200 });
  });
});

describe('an automatic offer capped at 50 redemptions, 100 members ordering at once', () => {
  it.each([
    ['through the per-member serializer', false],
    ['without the serializer: the database guards alone', true],
  ])('%s: exactly 50 orders get it, the other 50 are LIMIT_REACHED', async (_name, withoutSerializer) => {
    app = await createTestApp({ networkLatency: true, withoutSerializer });
    const offer = await createOffer(app, { name: 'First 50', maxRedemptions: 50, effect: { amountOff: { amount: 300 } } });
    const members = await enrollMany(app, 100, `cap-${withoutSerializer}`);
    const token = await app.token({ role: 'storefront' });

    const results = await Promise.all(
      members.map((member, index) =>
        recordOrder(
          app!,
          { memberId: member.globalId, orderId: `cap-${withoutSerializer}-${index}`, total: 1000 + index, lines: [line('BEAN', 1, 1000)] },
          token,
        ),
      ),
    );

    expect(results.map((result) => result.__typename)).toEqual(Array(100).fill('RecordOrderPayload'));
    const got = results.filter((result) => applicationsOf(result, offer.id).length > 0);
    const missed = results.filter((result) => applicationsOf(result, offer.id).length === 0);
    expect(got).toHaveLength(50);
    for (const winner of got)
      expect(winner).toMatchObject({ discount: { amount: 300 }, appliedOffers: [{ offer: { id: offer.id }, discount: 300 }] });
    expect(missed).toHaveLength(50);
    for (const loser of missed) {
      expect(loser.discount.amount).toBe(0);
      expect(loser.notApplied).toEqual([{ offerId: offer.id, tierId: null, code: null, reason: 'LIMIT_REACHED', threshold: null }]);
    }
    expect(await offerStats(app, offer.id)).toMatchObject({ redemptions: 50, redemptionsLeft: 0, discountGiven: 50 * 300 });
  });
});

describe('an offer with a budget, orders racing for what is left of it', () => {
  it.each([
    ['through the per-member serializer', false],
    ['without the serializer: the database guards alone', true],
  ])('%s: the discount given never passes the budget, the last order gets exactly what is left', async (_name, withoutSerializer) => {
    app = await createTestApp({ networkLatency: true, withoutSerializer });
    const budget = 5_003;
    const offer = await createOffer(app, { name: 'Budgeted 15 %', budget, effect: { percentOff: { basisPoints: 1500 } } });
    const members = await enrollMany(app, 30, `budget-${withoutSerializer}`);
    const token = await app.token({ role: 'storefront' });
    // Totals of 1,000 to 3,900: 150 to 585 off each, 10,000 or so wanted in all, against 5,003.
    const totals = members.map((_member, index) => 1000 + ((index * 737) % 2900));
    const wanted = totals.map((total) => Math.round((total * 1500) / 10_000));
    expect(wanted.reduce((sum, amount) => sum + amount, 0)).toBeGreaterThan(budget);

    const results = await Promise.all(
      members.map((member, index) =>
        recordOrder(
          app!,
          {
            memberId: member.globalId,
            orderId: `budget-${withoutSerializer}-${index}`,
            total: totals[index]!,
            lines: [line('CAKE', 1, totals[index]!)],
          },
          token,
        ),
      ),
    );

    expect(results.map((result) => result.__typename)).toEqual(Array(30).fill('RecordOrderPayload'));
    const given = results.map((result) => applicationsOf(result, offer.id).reduce((sum, applied) => sum + applied.discount, 0));
    const stats = await offerStats(app, offer.id);
    expect(stats.discountGiven).toBeLessThanOrEqual(budget);
    expect(given.reduce((sum, amount) => sum + amount, 0)).toBe(stats.discountGiven);
    // The budget is used up to the last minor unit (the last order gets what is left), no more.
    expect(stats).toMatchObject({ discountGiven: budget, budgetLeft: 0 });
    results.forEach((result, index) => {
      expect(given[index]).toBeLessThanOrEqual(wanted[index]!);
      expect(result.discount.amount).toBe(given[index]);
      if (given[index] === 0)
        expect(result.notApplied).toEqual([{ offerId: offer.id, tierId: null, code: null, reason: 'BUDGET_EXHAUSTED', threshold: null }]);
    });
    // At most one order got less than it asked for (the one that took the rest of the budget).
    expect(given.filter((amount, index) => amount > 0 && amount < wanted[index]!).length).toBeLessThanOrEqual(1);
    expect(stats.redemptions).toBe(given.filter((amount) => amount > 0).length);
  });
});

describe('one member, orders at the same instant against a per-member limit', () => {
  it('through the serializer: an offer limited to one use per member applies to exactly one of 10 orders', async () => {
    app = await createTestApp({ networkLatency: true });
    const offer = await createOffer(app, { name: 'Once each', perMemberLimit: 1, effect: { amountOff: { amount: 250 } } });
    const { globalId } = await enroll(app, { email: 'limit@example.com' });
    const token = await app.token({ role: 'storefront' });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        recordOrder(app!, { memberId: globalId, orderId: `limit-${index}`, total: 1000, lines: [line('TEA', 1, 1000)] }, token),
      ),
    );
    expect(results.map((result) => result.__typename)).toEqual(Array(10).fill('RecordOrderPayload'));
    expect(results.filter((result) => applicationsOf(result, offer.id).length > 0)).toHaveLength(1);
    for (const result of results.filter((one) => applicationsOf(one, offer.id).length === 0)) {
      expect(result.notApplied).toEqual([{ offerId: offer.id, tierId: null, code: null, reason: 'MEMBER_LIMIT_REACHED', threshold: null }]);
    }
    expect(await offerStats(app, offer.id)).toMatchObject({ redemptions: 1, discountGiven: 250 });
  });
});

describe('concurrent refunds of one order that used a single-use code', () => {
  it.each([
    ['through the per-member serializer', false],
    ['without the serializer: the database guards alone', true],
  ])('%s: one full refund succeeds and releases the code once; the other is RefundExceedsOrderError', async (_name, withoutSerializer) => {
    app = await createTestApp({ networkLatency: true, withoutSerializer });
    const offer = await createOffer(app, { name: 'Ten off once', codeRequired: true, effect: { percentOff: { basisPoints: 1000 } } });
    await createCode(app, { offerId: offer.id, code: 'REFUND-RACE', maxUses: 1 });
    const { globalId } = await enroll(app, { email: 'refund-race@example.com' });
    const order = await recordOrder(app, {
      memberId: globalId,
      orderId: 'refund-race',
      total: 2000,
      lines: [line('MUG', 2, 1000)],
      codes: ['REFUND-RACE'],
    });
    expect(order).toMatchObject({ __typename: 'RecordOrderPayload', discount: { amount: 200 } });

    const results = await Promise.all([
      refundOrder(app, { orderId: 'refund-race', amount: 1800, idempotencyKey: key('race-a') }),
      refundOrder(app, { orderId: 'refund-race', amount: 1800, idempotencyKey: key('race-b') }),
    ]);
    expect(results.map((result) => result.__typename).sort()).toEqual(['RefundExceedsOrderError', 'RefundOrderPayload']);
    expect(results.find((result) => result.__typename === 'RefundOrderPayload')).toMatchObject({
      amount: 1800,
      totalRefunded: 1800,
      offersReleased: true,
      pointsClawedBack: 18,
    });
    expect(await offerStats(app, offer.id)).toMatchObject({ redemptions: 0, discountGiven: 0 });
    expect(await codeUses(app, offer.id, 'REFUND-RACE')).toBe(0);
  });
});

describe('an order that keeps losing a shared limit', () => {
  it('is refused as CheckoutContendedError after its retries, and nothing of it is recorded', async () => {
    app = await createTestApp({ networkLatency: true });
    const offer = await createOffer(app, { name: 'Capped', maxRedemptions: 1_000, effect: { percentOff: { basisPoints: 1000 } } });
    const { globalId } = await enroll(app, { email: 'unlucky@example.com' });
    // A storm no single test can time: every time this order writes, another member's order has
    // just taken the offer's cap. A trigger makes the database answer exactly as the CHECK does then.
    await app.client.execute(`create trigger always_contended before update of redemptions on offers
      begin select raise(abort, 'CHECK constraint failed: offers_redemption_cap'); end`);
    const before = app.roundTrips.count;
    const result = await recordOrder(app, {
      memberId: globalId,
      orderId: 'contended-1',
      total: 2000,
      lines: [line('MUG', 2, 1000)],
      idempotencyKey: 'contended-key',
    });
    expect(result).toMatchObject({ __typename: 'CheckoutContendedError', code: 'CHECKOUT_CONTENDED' });
    expect(result.message).toMatch(/contended-1/);
    // It was prepared and written again each time (10 attempts), not given up at once.
    expect(app.roundTrips.count - before).toBeGreaterThanOrEqual(20);
    expect(await offerStats(app, offer.id)).toMatchObject({ redemptions: 0, discountGiven: 0 });
    const orders = await app.client.execute("select count(*) as count from orders where order_id = 'contended-1'");
    expect(orders.rows[0]!.count).toBe(0);

    // Once the storm is over, the same request (same key) records the order with the offer.
    await app.client.execute('drop trigger always_contended');
    const retried = await recordOrder(app, {
      memberId: globalId,
      orderId: 'contended-1',
      total: 2000,
      lines: [line('MUG', 2, 1000)],
      idempotencyKey: 'contended-key',
    });
    expect(retried).toMatchObject({ __typename: 'RecordOrderPayload', replayed: false, discount: { amount: 200 } });
  });
});
