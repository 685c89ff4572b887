import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { ADJUST, closeSoundly, memberLedger, mutate } from '../../support/ledger';
import { AVAILABLE_OFFERS, createCode, createOffer, line, offerStats, quote, recordOrder, refundOrder } from '../../support/offers';

/**
 * Refunds of orders that offers discounted: what is refundable is what was paid (total − discount),
 * a unit refunded by lines comes back at what it was paid after its line's share of the discount,
 * and only the refund that completes a full refund gives the order's redemptions back.
 */

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});
afterEach(() => closeSoundly(app));

let members = 0;
const newMember = async () => enroll(app, { email: `refunds-${++members}@example.com` });

async function stampCardOf(memberGlobalId: string, offerId: string) {
  const response = await app.graphql(AVAILABLE_OFFERS, { id: memberGlobalId }, await app.token({ role: 'admin' }));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const cards = response.data!.member.stampCards as Array<{
    offer: { id: string };
    stampsRequired: number;
    stamps: number;
    untilReward: number;
    lifetimeStamps: number;
    rewardsEarned: number;
  }>;
  const card = cards.find((one) => one.offer.id === offerId);
  // No card at all is the same as an empty one.
  return card
    ? { stamps: card.stamps, untilReward: card.untilReward, lifetimeStamps: card.lifetimeStamps, rewardsEarned: card.rewardsEarned }
    : { stamps: 0, untilReward: null, lifetimeStamps: 0, rewardsEarned: 0 };
}

const CODE_USES = `query($id: ID!) { node(id: $id) { ... on Offer { codes(first: 50) { edges { node { code uses } } } } } }`;
async function codeUses(offerId: string, code: string) {
  const response = await app.graphql(CODE_USES, { id: offerId }, await app.token({ role: 'admin' }));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return (response.data!.node.codes.edges as Array<{ node: { code: string; uses: number } }>).find((edge) => edge.node.code === code)!.node
    .uses;
}

describe('refund by amount of a discounted order', () => {
  it('refunds at most total − discount, and takes points back in proportion to what was paid', async () => {
    const offer = await createOffer(app, { name: '10 % off everything', effect: { percentOff: { basisPoints: 1000 } } });
    const { globalId } = await newMember();
    await mutate(app, ADJUST, { memberId: globalId, points: 2000, reason: 'fixture' });

    // 10,000 − 1,000 discount = 9,000 owed; 2,000 points pay 20.00, 70.00 is paid otherwise → 70 points.
    const order = await recordOrder(app, {
      memberId: globalId,
      orderId: 'amount-1',
      total: 10_000,
      lines: [line('BEAN', 4, 2500)],
      redeemPoints: 2000,
    });
    expect(order).toMatchObject({
      __typename: 'RecordOrderPayload',
      discount: { amount: 1000 },
      totalAfterDiscount: { amount: 9000 },
      pointsPayment: { amount: 2000 },
      amountPaid: { amount: 7000 },
      pointsEarned: 70,
      pointsBalance: 70,
    });

    expect(await refundOrder(app, { orderId: 'amount-1', amount: 9001 })).toMatchObject({
      __typename: 'RefundExceedsOrderError',
      refundable: 9000,
    });

    // An odd part of what was paid: 70 × 3001 / 9000 = 23.34 → 23 back; 2000 × 3001 / 9000 = 666.9 → 667 returned.
    expect(await refundOrder(app, { orderId: 'amount-1', amount: 3001 })).toMatchObject({
      __typename: 'RefundOrderPayload',
      amount: 3001,
      totalRefunded: 3001,
      pointsClawedBack: 23,
      pointsReturned: 667,
      pointsBalance: 70 - 23 + 667,
      offersReleased: false,
    });
    expect(await refundOrder(app, { orderId: 'amount-1', amount: 6000 })).toMatchObject({
      __typename: 'RefundExceedsOrderError',
      refundable: 5999,
    });
    // The rest: shares are of the cumulative amount, so they add up exactly to what the order moved.
    expect(await refundOrder(app, { orderId: 'amount-1', amount: 5999 })).toMatchObject({
      amount: 5999,
      totalRefunded: 9000,
      pointsClawedBack: 70 - 23,
      pointsReturned: 2000 - 667,
      pointsBalance: 2000,
      offersReleased: true,
    });
    expect(await refundOrder(app, { orderId: 'amount-1', amount: 1 })).toMatchObject({
      __typename: 'RefundExceedsOrderError',
      refundable: 0,
    });
    expect((await memberLedger(app, globalId)).pointsBalance).toBe(2000);
    expect(await offerStats(app, offer.id)).toMatchObject({ redemptions: 0, discountGiven: 0 });
  });

  it('an order discounted by the shipping part too: refundable is still total − discount', async () => {
    await createOffer(app, { name: '5 € off', effect: { amountOff: { amount: 500 } } });
    const { globalId } = await newMember();
    // 1,000 of lines + 499 shipping; 500 off split 1000:499 → 334 on the line, 166 on the rest (largest remainder).
    const order = await recordOrder(app, { memberId: globalId, orderId: 'ship-1', total: 1499, lines: [line('BOOK', 1, 1000)] });
    expect(order).toMatchObject({ discount: { amount: 500 }, restOfOrderDiscount: 166, lines: [{ discount: 334, total: 666 }] });
    expect(await refundOrder(app, { orderId: 'ship-1', amount: 1000 })).toMatchObject({
      __typename: 'RefundExceedsOrderError',
      refundable: 999,
    });
    // The line back: what it was paid (666); the shipping is not a line, so this is not yet a full refund.
    expect(await refundOrder(app, { orderId: 'ship-1', lines: [{ sku: 'BOOK', quantity: 1 }] })).toMatchObject({
      amount: 666,
      offersReleased: false,
    });
    expect(await refundOrder(app, { orderId: 'ship-1', amount: 333 })).toMatchObject({
      amount: 333,
      totalRefunded: 999,
      offersReleased: true,
      pointsBalance: 0,
    });
  });
});

describe('refund by lines of a discounted order', () => {
  it("refunds each unit at what it was paid after its own line's share of the discount", async () => {
    const offer = await createOffer(app, { name: '10 % off A', effect: { percentOff: { basisPoints: 1000, items: { skus: ['A'] } } } });
    const { globalId } = await newMember();
    const order = await recordOrder(app, {
      memberId: globalId,
      orderId: 'lines-1',
      total: 2500,
      lines: [line('A', 2, 1000), line('B', 1, 500)],
    });
    expect(order).toMatchObject({
      discount: { amount: 200 },
      lines: [
        { sku: 'A', discount: 200, total: 1800 },
        { sku: 'B', discount: 0, total: 500 },
      ],
      pointsEarned: 23,
    });

    expect(await refundOrder(app, { orderId: 'lines-1', lines: [{ sku: 'B', quantity: 1 }] })).toMatchObject({
      amount: 500,
      totalRefunded: 500,
      pointsClawedBack: 5,
      offersReleased: false,
    });
    expect(await refundOrder(app, { orderId: 'lines-1', lines: [{ sku: 'A', quantity: 1 }] })).toMatchObject({
      amount: 900,
      totalRefunded: 1400,
      offersReleased: false,
    });
    expect(await refundOrder(app, { orderId: 'lines-1', lines: [{ sku: 'A', quantity: 1 }] })).toMatchObject({
      amount: 900,
      totalRefunded: 2300,
      offersReleased: true,
      pointsBalance: 0,
    });
    expect(await offerStats(app, offer.id)).toMatchObject({ redemptions: 0, discountGiven: 0 });
  });

  it('odd amounts: 3 units of 3.33 at 10 % off (8.99 paid) come back as 3.00 + 2.99 + 3.00', async () => {
    const offer = await createOffer(app, { name: '10 % off ODD', effect: { percentOff: { basisPoints: 1000, items: { skus: ['ODD'] } } } });
    const { globalId } = await newMember();
    const order = await recordOrder(app, {
      memberId: globalId,
      orderId: 'odd-1',
      total: 999 + 250,
      lines: [line('ODD', 3, 333), line('EVEN', 1, 250)],
    });
    // 10 % of 999 = 99.9 → 100 (half-up), all of it on the ODD line.
    expect(order).toMatchObject({
      discount: { amount: 100 },
      totalAfterDiscount: { amount: 1149 },
      lines: [
        { discount: 100, total: 899 },
        { discount: 0, total: 250 },
      ],
    });

    const refunds = [];
    for (let unit = 0; unit < 3; unit++) refunds.push(await refundOrder(app, { orderId: 'odd-1', lines: [{ sku: 'ODD', quantity: 1 }] }));
    expect(refunds.map((refund) => refund.amount)).toEqual([300, 299, 300]);
    expect(refunds.map((refund) => refund.offersReleased)).toEqual([false, false, false]);
    expect(await refundOrder(app, { orderId: 'odd-1', lines: [{ sku: 'ODD', quantity: 1 }] })).toMatchObject({
      __typename: 'InvalidInputError',
    });
    expect(await refundOrder(app, { orderId: 'odd-1', lines: [{ sku: 'EVEN', quantity: 1 }] })).toMatchObject({
      amount: 250,
      totalRefunded: 1149,
      offersReleased: true,
      pointsBalance: 0,
    });
    expect(await offerStats(app, offer.id)).toMatchObject({ redemptions: 0, discountGiven: 0 });
  });

  it('odd amounts in other groupings, with a discount split over several lines, add up to what was paid', async () => {
    await createOffer(app, { name: '7 € off the order', effect: { amountOff: { amount: 700 } } });
    const { globalId } = await newMember();
    // 700 over 999 : 101 : 399 (largest remainder): 466.5 → 467, 47.2 → 47, 186.3 → 186; paid 532, 54, 213.
    const order = await recordOrder(app, {
      memberId: globalId,
      orderId: 'odd-2',
      total: 1499,
      lines: [line('X', 3, 333), line('Y', 1, 101), line('Z', 7, 57)],
    });
    expect(order).toMatchObject({
      discount: { amount: 700 },
      lines: [
        { discount: 467, total: 532 },
        { discount: 47, total: 54 },
        { discount: 186, total: 213 },
      ],
    });

    // X: 532 × 2/3 = 354.7 → 355; Z: 213 × 3/7 = 91.3 → 91.
    expect(
      await refundOrder(app, {
        orderId: 'odd-2',
        lines: [
          { sku: 'X', quantity: 2 },
          { sku: 'Z', quantity: 3 },
        ],
      }),
    ).toMatchObject({ amount: 355 + 91, offersReleased: false });
    expect(await refundOrder(app, { orderId: 'odd-2', lines: [{ sku: 'Z', quantity: 4 }] })).toMatchObject({
      amount: 213 - 91,
      offersReleased: false,
    });
    expect(await refundOrder(app, { orderId: 'odd-2', lines: [{ sku: 'Y', quantity: 1 }] })).toMatchObject({
      amount: 54,
      offersReleased: false,
    });
    expect(await refundOrder(app, { orderId: 'odd-2', lines: [{ sku: 'X', quantity: 1 }] })).toMatchObject({
      amount: 532 - 355,
      totalRefunded: 799,
      offersReleased: true,
    });
  });
});

describe("what a refund gives back of the order's offers", () => {
  it('a partial refund keeps the single-use code used and the per-member use taken; the refund that completes it releases both', async () => {
    const coded = await createOffer(app, {
      name: 'Code: 10 % off',
      codeRequired: true,
      priority: 10,
      effect: { percentOff: { basisPoints: 1000 } },
    });
    await createCode(app, { offerId: coded.id, code: 'ONE-SHOT', maxUses: 1 });
    const oncePerMember = await createOffer(app, {
      name: '1 € off, once per member',
      perMemberLimit: 1,
      effect: { amountOff: { amount: 100 } },
    });
    const { globalId } = await newMember();
    const other = await newMember();
    const cart = { memberId: globalId, total: 2000, lines: [line('MUG', 2, 1000)], codes: ['one-shot'] };
    const applied = [
      { offer: { id: coded.id }, code: 'ONE-SHOT', discount: 200 },
      { offer: { id: oncePerMember.id }, code: null, discount: 100 },
    ];

    expect(await recordOrder(app, { ...cart, orderId: 'release-1' })).toMatchObject({ discount: { amount: 300 }, appliedOffers: applied });
    const usedUp = [
      { offerId: coded.id, tierId: null, code: 'ONE-SHOT', reason: 'CODE_ALREADY_USED', threshold: null },
      { offerId: oncePerMember.id, tierId: null, code: null, reason: 'MEMBER_LIMIT_REACHED', threshold: null },
    ];
    expect((await quote(app, cart)).notApplied).toEqual(usedUp);

    // Partial refunds, by amount and by lines: nothing given back.
    expect(await refundOrder(app, { orderId: 'release-1', amount: 1000 })).toMatchObject({
      __typename: 'RefundOrderPayload',
      amount: 1000,
      offersReleased: false,
    });
    expect(await refundOrder(app, { orderId: 'release-1', amount: 699 })).toMatchObject({
      amount: 699,
      totalRefunded: 1699,
      offersReleased: false,
    });
    expect((await quote(app, cart)).notApplied).toEqual(usedUp);
    expect((await quote(app, { ...cart, memberId: other.globalId })).notApplied).toEqual([usedUp[0]]);
    expect(await codeUses(coded.id, 'ONE-SHOT')).toBe(1);
    expect(await offerStats(app, coded.id)).toMatchObject({ redemptions: 1, discountGiven: 200 });
    expect(await offerStats(app, oncePerMember.id)).toMatchObject({ redemptions: 1, discountGiven: 100 });

    // The last minor unit completes the refund: the code, the offer uses and the budgets come back.
    expect(await refundOrder(app, { orderId: 'release-1', amount: 1 })).toMatchObject({
      amount: 1,
      totalRefunded: 1700,
      offersReleased: true,
      pointsBalance: 0,
    });
    expect(await codeUses(coded.id, 'ONE-SHOT')).toBe(0);
    expect(await offerStats(app, coded.id)).toMatchObject({ redemptions: 0, discountGiven: 0 });
    expect(await offerStats(app, oncePerMember.id)).toMatchObject({ redemptions: 0, discountGiven: 0 });
    const again = await quote(app, cart);
    expect(again).toMatchObject({ discount: { amount: 300 }, appliedOffers: applied, notApplied: [] });
    // The code is usable by anyone again: another member records it.
    expect(await recordOrder(app, { ...cart, memberId: other.globalId, orderId: 'release-2' })).toMatchObject({ appliedOffers: applied });
    expect(await offerStats(app, coded.id)).toMatchObject({ redemptions: 1, discountGiven: 200 });
  });

  it('a partial refund keeps the stamps; a full refund removes the stamps the order earned and its free unit', async () => {
    const card = await createOffer(app, {
      name: 'Every 3rd coffee free',
      effect: { stampCard: { stampsRequired: 3, items: { skus: ['COFFEE'] } } },
    });
    const { globalId } = await newMember();
    const first = await recordOrder(app, { memberId: globalId, orderId: 'stamps-1', total: 700, lines: [line('COFFEE', 2, 350)] });
    expect(first).toMatchObject({
      discount: { amount: 0 },
      stampsEarned: 2,
      appliedOffers: [{ offer: { id: card.id }, stamps: 2, freeUnits: 0, discount: 0 }],
    });
    expect(await stampCardOf(globalId, card.id)).toEqual({ stamps: 2, untilReward: 1, lifetimeStamps: 2, rewardsEarned: 0 });
    expect(await offerStats(app, card.id)).toMatchObject({ redemptions: 0 });

    // The 3rd coffee is free: 2 more stamps (4), one free unit.
    const second = await recordOrder(app, { memberId: globalId, orderId: 'stamps-2', total: 700, lines: [line('COFFEE', 2, 350)] });
    expect(second).toMatchObject({
      discount: { amount: 350 },
      stampsEarned: 2,
      appliedOffers: [{ offer: { id: card.id }, stamps: 2, freeUnits: 1, discount: 350 }],
    });
    expect(await stampCardOf(globalId, card.id)).toEqual({ stamps: 1, untilReward: 2, lifetimeStamps: 4, rewardsEarned: 1 });
    expect(await offerStats(app, card.id)).toMatchObject({ redemptions: 1, discountGiven: 350 });

    expect(await refundOrder(app, { orderId: 'stamps-2', amount: 100 })).toMatchObject({ offersReleased: false });
    expect(await stampCardOf(globalId, card.id)).toEqual({ stamps: 1, untilReward: 2, lifetimeStamps: 4, rewardsEarned: 1 });

    expect(await refundOrder(app, { orderId: 'stamps-2', amount: 250 })).toMatchObject({ totalRefunded: 350, offersReleased: true });
    expect(await stampCardOf(globalId, card.id)).toEqual({ stamps: 2, untilReward: 1, lifetimeStamps: 2, rewardsEarned: 0 });
    expect(await offerStats(app, card.id)).toMatchObject({ redemptions: 0, discountGiven: 0 });
    // The next coffee is the free one again.
    expect(await quote(app, { memberId: globalId, lines: [line('COFFEE', 1, 350)] })).toMatchObject({
      discount: { amount: 350 },
      appliedOffers: [{ stamps: 1, freeUnits: 1 }],
    });

    // The first order's stamps go too, once it is refunded in full (stamp progress alone is no redemption).
    expect(await refundOrder(app, { orderId: 'stamps-1', lines: [{ sku: 'COFFEE', quantity: 2 }] })).toMatchObject({
      amount: 700,
      offersReleased: true,
    });
    expect(await stampCardOf(globalId, card.id)).toMatchObject({ stamps: 0, lifetimeStamps: 0, rewardsEarned: 0 });
  });

  it('refunding an order whose stamps helped earn a free unit never lets those stamps pay out twice', async () => {
    const card = await createOffer(app, {
      name: 'Every 3rd espresso free',
      effect: { stampCard: { stampsRequired: 3, items: { skus: ['ESPRESSO'] } } },
    });
    const { globalId } = await newMember();
    await recordOrder(app, { memberId: globalId, orderId: 'twice-1', lines: [line('ESPRESSO', 2, 200)] });
    expect(await recordOrder(app, { memberId: globalId, orderId: 'twice-2', lines: [line('ESPRESSO', 2, 200)] })).toMatchObject({
      appliedOffers: [{ freeUnits: 1, discount: 200 }],
    });
    expect(await refundOrder(app, { orderId: 'twice-1', amount: 400 })).toMatchObject({ offersReleased: true });
    // 2 espressos kept, 1 of them free: the card is 1 stamp short of where it was before the free one.
    expect(await stampCardOf(globalId, card.id)).toEqual({ stamps: 0, untilReward: 4, lifetimeStamps: 2, rewardsEarned: 1 });
    expect(await recordOrder(app, { memberId: globalId, orderId: 'twice-3', lines: [line('ESPRESSO', 1, 200)] })).toMatchObject({
      discount: { amount: 0 },
      appliedOffers: [{ stamps: 1, freeUnits: 0 }],
    });
    expect(await recordOrder(app, { memberId: globalId, orderId: 'twice-4', lines: [line('ESPRESSO', 3, 200)] })).toMatchObject({
      discount: { amount: 200 },
      appliedOffers: [{ stamps: 3, freeUnits: 1 }],
    });
  });

  it('a fully discounted order with lines is fully refunded by lines: offersReleased', async () => {
    const free = await createOffer(app, { name: 'On the house', codeRequired: true, effect: { percentOff: { basisPoints: 10_000 } } });
    await createCode(app, { offerId: free.id, code: 'FREE-ONE', maxUses: 1 });
    const { globalId } = await newMember();
    const order = await recordOrder(app, {
      memberId: globalId,
      orderId: 'free-1',
      total: 1000,
      lines: [line('CAKE', 2, 500)],
      codes: ['FREE-ONE'],
    });
    expect(order).toMatchObject({
      discount: { amount: 1000 },
      totalAfterDiscount: { amount: 0 },
      pointsEarned: 0,
      lines: [{ discount: 1000, total: 0 }],
    });

    expect(await refundOrder(app, { orderId: 'free-1', amount: 1 })).toMatchObject({
      __typename: 'RefundExceedsOrderError',
      refundable: 0,
    });
    expect(await refundOrder(app, { orderId: 'free-1', lines: [{ sku: 'CAKE', quantity: 1 }] })).toMatchObject({
      __typename: 'RefundOrderPayload',
      amount: 0,
      offersReleased: false,
    });
    expect(await codeUses(free.id, 'FREE-ONE')).toBe(1);
    expect(await refundOrder(app, { orderId: 'free-1', lines: [{ sku: 'CAKE', quantity: 1 }] })).toMatchObject({
      amount: 0,
      totalRefunded: 0,
      offersReleased: true,
    });
    expect(await codeUses(free.id, 'FREE-ONE')).toBe(0);
    expect(await offerStats(app, free.id)).toMatchObject({ redemptions: 0, discountGiven: 0 });
    expect(await quote(app, { memberId: globalId, lines: [line('CAKE', 2, 500)], codes: ['FREE-ONE'] })).toMatchObject({
      discount: { amount: 1000 },
      notApplied: [],
    });
  });

  it('replaying the refund that released the offers releases nothing a second time', async () => {
    const coded = await createOffer(app, { name: 'Code: 10 % off', codeRequired: true, effect: { percentOff: { basisPoints: 1000 } } });
    await createCode(app, { offerId: coded.id, code: 'REPLAY-ME', maxUses: 1 });
    const first = await newMember();
    const second = await newMember();
    const cart = { total: 1000, lines: [line('MUG', 1, 1000)], codes: ['REPLAY-ME'] };
    expect(await recordOrder(app, { ...cart, memberId: first.globalId, orderId: 'replay-1' })).toMatchObject({ discount: { amount: 100 } });

    const full = { orderId: 'replay-1', amount: 900, idempotencyKey: 'refund-replay-1' };
    const refunded = await refundOrder(app, full);
    expect(refunded).toMatchObject({ __typename: 'RefundOrderPayload', amount: 900, offersReleased: true, replayed: false });
    expect(await offerStats(app, coded.id)).toMatchObject({ redemptions: 0, discountGiven: 0 });

    // Someone else uses the code now.
    expect(await recordOrder(app, { ...cart, memberId: second.globalId, orderId: 'replay-2' })).toMatchObject({
      discount: { amount: 100 },
      appliedOffers: [{ code: 'REPLAY-ME' }],
    });
    expect(await codeUses(coded.id, 'REPLAY-ME')).toBe(1);

    // The same refund again: the first answer, nothing moved, the second order's use stays counted.
    expect(await refundOrder(app, full)).toEqual({ ...refunded, replayed: true });
    expect(await codeUses(coded.id, 'REPLAY-ME')).toBe(1);
    expect(await offerStats(app, coded.id)).toMatchObject({ redemptions: 1, discountGiven: 100 });
    expect((await quote(app, { ...cart, memberId: first.globalId })).notApplied).toMatchObject([
      { code: 'REPLAY-ME', reason: 'CODE_ALREADY_USED' },
    ]);
    // A new refund of the same order: nothing left to refund, nothing released.
    expect(await refundOrder(app, { orderId: 'replay-1', amount: 1 })).toMatchObject({
      __typename: 'RefundExceedsOrderError',
      refundable: 0,
    });
    expect(await offerStats(app, coded.id)).toMatchObject({ redemptions: 1, discountGiven: 100 });
  });
});
