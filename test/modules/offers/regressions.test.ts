import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { closeSoundly, memberLedger, setRules } from '../../support/ledger';
import {
  AVAILABLE_OFFERS,
  UPDATE_OFFER,
  createCode,
  createOffer,
  line,
  offerStats,
  quote,
  recordOrder,
  refundOrder,
} from '../../support/offers';

/**
 * Regressions found in review of checkout, stamp cards, promo codes and offer visibility, through
 * GraphQL only (README "Offers, promo codes and checkout"):
 * - a cart whose total defaults to its lines is bounded like a given total;
 * - a stamp card keeps stamping when the program cap or an exclusive offer holds its free unit back,
 *   and that unit stays due, whole, for a later order (never a part of a free unit);
 * - after refunds, free units never exceed the matching units bought, and the card never reads
 *   more stamps than it holds or a negative distance to the reward;
 * - a code is used by every order it was applied to, also one that only stamped a card;
 * - members read live offers only, and never an offer's budget or redemption cap.
 */

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});
afterEach(() => closeSoundly(app));

let members = 0;
const newMember = async () => enroll(app, { email: `regressions-${++members}@example.com` });

const admin = () => app.token({ role: 'admin' });

type Card = {
  offer: { id: string };
  stampsRequired: number;
  stamps: number;
  untilReward: number;
  lifetimeStamps: number;
  rewardsEarned: number;
};

async function stampCards(memberGlobalId: string, token?: string) {
  const response = await app.graphql(AVAILABLE_OFFERS, { id: memberGlobalId }, token ?? (await admin()));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.member.stampCards as Card[];
}

/** The member's card on one offer, without the offer (undefined when the member has none). */
async function cardOf(memberGlobalId: string, offerId: string) {
  const card = (await stampCards(memberGlobalId)).find((one) => one.offer.id === offerId);
  if (!card) return undefined;
  const { offer: _offer, ...progress } = card;
  return progress;
}

/** What `appliedOffers` lists for a stamp card. */
const stampCardApplied = (
  offer: Record<string, any> & { id: string },
  discount: number,
  stamps: number,
  freeUnits: number,
  code: string | null = null,
) => ({
  offer: { id: offer.id, name: offer.name },
  tier: null,
  effect: 'STAMP_CARD',
  code,
  discount,
  gift: null,
  bonusPoints: 0,
  stamps,
  freeUnits,
});

/** What `notApplied` lists for an offer that did not apply. */
const skipped = (offerId: string, reason: string, code: string | null = null) => ({ offerId, tierId: null, code, reason, threshold: null });

async function setStatus(id: string, status: 'ACTIVE' | 'PAUSED' | 'ARCHIVED') {
  const response = await app.graphql(UPDATE_OFFER, { input: { id, status } }, await admin());
  expect(response.data?.updateOffer?.__typename, JSON.stringify(response)).toBe('OfferPayload');
}

describe('a cart whose total defaults to the sum of its lines', () => {
  const tooMuch = [
    ['two units at the largest unit price (2 × 100,000,000,000)', [line('GOLD', 2, 100_000_000_000)]],
    ['a million units at the largest unit price', [line('GOLD', 1_000_000, 100_000_000_000)]],
    ['two lines that each fit but not together', [line('GOLD', 1, 100_000_000_000), line('SILVER', 1, 1)]],
  ] as const;

  it.each(tooMuch)('is InvalidInputError on lines when they add up to more than 100,000,000,000 (%s): quote', async (_name, lines) => {
    const { globalId } = await newMember();
    const quoted = await quote(app, { memberId: globalId, lines });
    expect(quoted.__typename, JSON.stringify(quoted)).toBe('InvalidInputError');
    expect(quoted.code).toBe('INVALID_INPUT');
    expect(quoted.issues).toEqual([{ path: ['input', 'lines'], message: expect.stringContaining('100000000000') }]);
    // Exactly the largest amount is still a cart.
    const largest = await quote(app, { memberId: globalId, lines: [line('GOLD', 1, 99_999_999_999), line('SILVER', 1, 1)] });
    expect(largest).toMatchObject({ __typename: 'Quote', total: { amount: 100_000_000_000 } });
  });

  it.each(tooMuch)('is InvalidInputError on lines, and nothing is recorded (%s): recordOrder', async (_name, lines) => {
    const { globalId } = await newMember();
    const refused = await recordOrder(app, { memberId: globalId, orderId: 'too-much', lines });
    expect(refused.__typename, JSON.stringify(refused)).toBe('InvalidInputError');
    expect(refused.issues).toEqual([{ path: ['input', 'lines'], message: expect.stringContaining('100000000000') }]);
    expect((await memberLedger(app, globalId)).pointsBalance).toBe(0);
    // The order id is still free: the refused order was never written.
    const recorded = await recordOrder(app, { memberId: globalId, orderId: 'too-much', lines: [line('GOLD', 1, 100_000_000_000)] });
    expect(recorded).toMatchObject({
      __typename: 'RecordOrderPayload',
      total: { amount: 100_000_000_000 },
      pointsEarned: 1_000_000_000,
      replayed: false,
    });
  });
});

describe('an order id recorded already', () => {
  it('is DuplicateOrderError even when the new request would fail otherwise (points it cannot pay, a guard it trips)', async () => {
    const { globalId } = await newMember();
    expect(await recordOrder(app, { memberId: globalId, orderId: 'once-only', lines: [line('TEA', 1, 500)] })).toMatchObject({
      __typename: 'RecordOrderPayload',
    });
    const again = await recordOrder(app, { memberId: globalId, orderId: 'once-only', lines: [line('TEA', 1, 500)], redeemPoints: 500 });
    expect(again).toMatchObject({ __typename: 'DuplicateOrderError', code: 'DUPLICATE_ORDER' });
    expect((await memberLedger(app, globalId)).pointsBalance).toBe(5);
  });
});

describe("a replayed order's applied offers", () => {
  it('name their offers as the first answer did: the replay loads them (together), the first answer had read them', async () => {
    const { globalId } = await newMember();
    const tea = await createOffer(app, {
      name: 'Tea 10 %',
      priority: 2,
      effect: { percentOff: { basisPoints: 1_000, items: { skus: ['TEA'] } } },
    });
    const cake = await createOffer(app, {
      name: 'Cake 1.00 off',
      priority: 1,
      effect: { amountOff: { amount: 100, items: { skus: ['CAKE'] } } },
    });
    const input = {
      memberId: globalId,
      orderId: 'replayed-offers',
      lines: [line('TEA', 1, 500), line('CAKE', 1, 400)],
      idempotencyKey: 'replayed-offers',
    };
    const first = await recordOrder(app, input);
    const named = first.appliedOffers.map((applied: { offer: { id: string; name: string } | null }) => applied.offer);
    expect(named).toEqual(
      expect.arrayContaining([
        { id: tea.id, name: 'Tea 10 %' },
        { id: cake.id, name: 'Cake 1.00 off' },
      ]),
    );
    expect(await recordOrder(app, input)).toEqual({ ...first, replayed: true });
  });
});

describe('an order that cost nothing and has no lines', () => {
  it('is fully refunded by a refund of 0, which gives its single-use code back; 0 refunds nothing else', async () => {
    const { globalId } = await newMember();
    const offer = await createOffer(app, { name: 'On the house', codeRequired: true, effect: { percentOff: { basisPoints: 10_000 } } });
    await createCode(app, { offerId: offer.id, code: 'ON-THE-HOUSE', maxUses: 1 });
    const free = await recordOrder(app, { memberId: globalId, orderId: 'free-no-lines', total: 1_000, codes: ['on-the-house'] });
    expect(free).toMatchObject({ discount: { amount: 1_000 }, totalAfterDiscount: { amount: 0 } });
    expect(await refundOrder(app, { orderId: 'free-no-lines', amount: 0 })).toMatchObject({
      __typename: 'RefundOrderPayload',
      amount: 0,
      offersReleased: true,
    });
    expect(await offerStats(app, offer.id)).toMatchObject({ redemptions: 0, discountGiven: 0 });
    expect(await refundOrder(app, { orderId: 'free-no-lines', amount: 0 })).toMatchObject({
      __typename: 'RefundOrderPayload',
      offersReleased: false,
    });
    expect((await quote(app, { memberId: globalId, total: 1_000, codes: ['on-the-house'] })).appliedOffers).toMatchObject([
      { code: 'ON-THE-HOUSE', discount: 1_000 },
    ]);

    await recordOrder(app, { memberId: globalId, orderId: 'paid', total: 1_000 });
    expect(await refundOrder(app, { orderId: 'paid', amount: 0 })).toMatchObject({
      __typename: 'InvalidInputError',
      issues: [{ path: ['input', 'amount'], message: expect.stringContaining('at least 1') }],
    });
  });
});

describe('a stamp card under the program cap (maxDiscountBasisPoints)', () => {
  it('gives no part of a free unit: the unit stays due, whole, and the card is full until the cap allows it', async () => {
    await setRules(app, { maxDiscountBasisPoints: 1000 });
    const card = await createOffer(app, {
      name: 'Every 2nd coffee free',
      effect: { stampCard: { stampsRequired: 2, items: { skus: ['COFFEE'] } } },
    });
    const { globalId } = await newMember();

    // 2 × 350: the 2nd coffee is due free (350), but the cap allows 10 % of 700 = 70: no partial free unit.
    const cart = { memberId: globalId, lines: [line('COFFEE', 2, 350)] };
    const quoted = await quote(app, cart);
    expect(quoted).toMatchObject({ __typename: 'Quote', discount: { amount: 0 }, amountPaid: { amount: 700 }, stampsEarned: 2 });
    expect(quoted.appliedOffers).toEqual([stampCardApplied(card, 0, 2, 0)]);
    expect(quoted.notApplied).toEqual([skipped(card.id, 'DISCOUNT_CAP_REACHED')]);

    const recorded = await recordOrder(app, cart);
    expect(recorded).toMatchObject({
      __typename: 'RecordOrderPayload',
      discount: { amount: 0 },
      amountPaid: { amount: 700 },
      stampsEarned: 2,
      pointsEarned: 7,
    });
    expect(recorded.appliedOffers).toEqual([stampCardApplied(card, 0, 2, 0)]);
    expect(recorded.notApplied).toEqual([skipped(card.id, 'DISCOUNT_CAP_REACHED')]);
    expect(recorded.lines.map((recordedLine: { discount: number }) => recordedLine.discount)).toEqual([0]);

    expect(await cardOf(globalId, card.id)).toEqual({ stampsRequired: 2, stamps: 2, untilReward: 1, lifetimeStamps: 2, rewardsEarned: 0 });
    expect(await offerStats(app, card.id)).toMatchObject({ redemptions: 0, discountGiven: 0 });

    // Without the cap, the next order's one coffee is the free unit.
    await setRules(app, { maxDiscountBasisPoints: null });
    const next = await recordOrder(app, { memberId: globalId, lines: [line('COFFEE', 1, 350)] });
    expect(next).toMatchObject({ __typename: 'RecordOrderPayload', discount: { amount: 350 }, amountPaid: { amount: 0 }, stampsEarned: 1 });
    expect(next.appliedOffers).toEqual([stampCardApplied(card, 350, 1, 1)]);
    expect(next.notApplied).toEqual([]);
    expect(await cardOf(globalId, card.id)).toEqual({ stampsRequired: 2, stamps: 1, untilReward: 1, lifetimeStamps: 3, rewardsEarned: 1 });
    expect(await offerStats(app, card.id)).toMatchObject({ redemptions: 1, discountGiven: 350 });
  });

  it('still stamps when a higher-priority offer has used up the cap (DISCOUNT_CAP_REACHED), the free unit staying due', async () => {
    await setRules(app, { maxDiscountBasisPoints: 1000 });
    const seventy = await createOffer(app, { name: '0.70 off', priority: 10, effect: { amountOff: { amount: 70 } } });
    const card = await createOffer(app, {
      name: 'Every 2nd tea free',
      effect: { stampCard: { stampsRequired: 2, items: { skus: ['TEA'] } } },
    });
    const { globalId, memberId } = await newMember();

    // The cap is 70 of 700: all of it goes to the higher-priority offer; the card's free unit is held back, its 2 stamps count.
    const recorded = await recordOrder(app, { memberId: globalId, lines: [line('TEA', 2, 350)] });
    expect(recorded).toMatchObject({ __typename: 'RecordOrderPayload', discount: { amount: 70 }, stampsEarned: 2 });
    expect(recorded.appliedOffers).toEqual([
      {
        offer: { id: seventy.id, name: seventy.name },
        tier: null,
        effect: 'AMOUNT_OFF',
        code: null,
        discount: 70,
        gift: null,
        bonusPoints: 0,
        stamps: 0,
        freeUnits: 0,
      },
      stampCardApplied(card, 0, 2, 0),
    ]);
    expect(recorded.notApplied).toEqual([skipped(card.id, 'DISCOUNT_CAP_REACHED')]);
    expect(await cardOf(globalId, card.id)).toEqual({ stampsRequired: 2, stamps: 2, untilReward: 1, lifetimeStamps: 2, rewardsEarned: 0 });
    expect((await stampCards(globalId, await app.token({ role: 'member', subject: memberId }))).map((one) => one.lifetimeStamps)).toEqual([
      2,
    ]);

    // Once the cap is lifted the due unit comes, whole.
    await setRules(app, { maxDiscountBasisPoints: null });
    const next = await recordOrder(app, { memberId: globalId, lines: [line('TEA', 1, 350)] });
    expect(next.appliedOffers).toEqual([
      {
        offer: { id: seventy.id, name: seventy.name },
        tier: null,
        effect: 'AMOUNT_OFF',
        code: null,
        discount: 70,
        gift: null,
        bonusPoints: 0,
        stamps: 0,
        freeUnits: 0,
      },
      stampCardApplied(card, 280, 1, 1),
    ]);
    expect(await cardOf(globalId, card.id)).toMatchObject({ lifetimeStamps: 3, rewardsEarned: 1 });
  });
});

describe('a stamp card behind an exclusive offer', () => {
  it('keeps stamping; a free unit that falls due is EXCLUDED_BY_EXCLUSIVE_OFFER and stays due for the next order', async () => {
    const exclusive = await createOffer(app, {
      name: 'Promo day',
      priority: 10,
      exclusive: true,
      conditions: { attributes: { promo: true } },
      effect: { amountOff: { amount: 50 } },
    });
    const card = await createOffer(app, {
      name: 'Every 2nd coffee free',
      effect: { stampCard: { stampsRequired: 2, items: { skus: ['COFFEE'] } } },
    });
    const { globalId } = await newMember();
    const exclusiveApplied = {
      offer: { id: exclusive.id, name: exclusive.name },
      tier: null,
      effect: 'AMOUNT_OFF',
      code: null,
      discount: 50,
      gift: null,
      bonusPoints: 0,
      stamps: 0,
      freeUnits: 0,
    };

    // 1st coffee with the exclusive offer: it stamps (no free unit due yet, so nothing is refused).
    const promo = { attributes: { promo: true } };
    const quoted = await quote(app, { memberId: globalId, lines: [line('COFFEE', 1, 350)], ...promo });
    expect(quoted).toMatchObject({ __typename: 'Quote', discount: { amount: 50 }, stampsEarned: 1 });
    expect(quoted.appliedOffers).toEqual([exclusiveApplied, stampCardApplied(card, 0, 1, 0)]);
    expect(quoted.notApplied).toEqual([]);
    const first = await recordOrder(app, { memberId: globalId, lines: [line('COFFEE', 1, 350)], ...promo });
    expect(first).toMatchObject({ __typename: 'RecordOrderPayload', discount: { amount: 50 }, stampsEarned: 1 });
    expect(first.appliedOffers).toEqual([exclusiveApplied, stampCardApplied(card, 0, 1, 0)]);
    expect(await cardOf(globalId, card.id)).toEqual({ stampsRequired: 2, stamps: 1, untilReward: 1, lifetimeStamps: 1, rewardsEarned: 0 });

    // 2nd coffee with the exclusive offer: the free unit is due but held back; the stamp still counts.
    const second = await recordOrder(app, { memberId: globalId, lines: [line('COFFEE', 1, 350)], ...promo });
    expect(second).toMatchObject({ __typename: 'RecordOrderPayload', discount: { amount: 50 }, stampsEarned: 1 });
    expect(second.appliedOffers).toEqual([exclusiveApplied, stampCardApplied(card, 0, 1, 0)]);
    expect(second.notApplied).toEqual([skipped(card.id, 'EXCLUDED_BY_EXCLUSIVE_OFFER')]);
    expect(await cardOf(globalId, card.id)).toEqual({ stampsRequired: 2, stamps: 2, untilReward: 1, lifetimeStamps: 2, rewardsEarned: 0 });
    expect(await offerStats(app, card.id)).toMatchObject({ redemptions: 0, discountGiven: 0 });

    // Without the exclusive offer, the next coffee is the free unit that was held back.
    const third = await recordOrder(app, { memberId: globalId, lines: [line('COFFEE', 1, 350)] });
    expect(third).toMatchObject({ __typename: 'RecordOrderPayload', discount: { amount: 350 }, stampsEarned: 1 });
    expect(third.appliedOffers).toEqual([stampCardApplied(card, 350, 1, 1)]);
    expect(third.notApplied).toEqual([skipped(exclusive.id, 'ATTRIBUTES_NOT_MATCHED')]);
    expect(await cardOf(globalId, card.id)).toEqual({ stampsRequired: 2, stamps: 1, untilReward: 1, lifetimeStamps: 3, rewardsEarned: 1 });
  });
});

describe('a stamp card after refunds of orders with free units', () => {
  it('never reads more stamps than the card holds nor untilReward below 1, and never gives more free units than units bought', async () => {
    const card = await createOffer(app, {
      name: 'Every 3rd muffin free',
      effect: { stampCard: { stampsRequired: 3, items: { skus: ['MUFFIN'] } } },
    });
    const { globalId } = await newMember();
    const orders: Array<[string, number, number, number]> = [
      // [order id, muffins, free units, discount]
      ['muffins-1', 2, 0, 0],
      ['muffins-2', 1, 1, 150],
      ['muffins-3', 2, 0, 0],
      ['muffins-4', 1, 1, 150],
      ['muffins-5', 2, 0, 0],
    ];
    for (const [orderId, muffins, freeUnits, discount] of orders) {
      const recorded = await recordOrder(app, { memberId: globalId, orderId, lines: [line('MUFFIN', muffins, 150)] });
      expect(recorded, orderId).toMatchObject({ __typename: 'RecordOrderPayload', discount: { amount: discount } });
      expect(recorded.appliedOffers, orderId).toEqual([stampCardApplied(card, discount, muffins, freeUnits)]);
    }
    expect(await cardOf(globalId, card.id)).toEqual({ stampsRequired: 3, stamps: 2, untilReward: 1, lifetimeStamps: 8, rewardsEarned: 2 });

    // Both free muffins refunded in full: their stamps and free units leave the card (8 − 2 stamps, 2 − 2 free units).
    for (const orderId of ['muffins-2', 'muffins-4']) {
      expect(await refundOrder(app, { orderId, lines: [{ sku: 'MUFFIN', quantity: 1 }] }), orderId).toMatchObject({
        __typename: 'RefundOrderPayload',
        offersReleased: true,
      });
    }
    expect(await cardOf(globalId, card.id)).toEqual({ stampsRequired: 3, stamps: 3, untilReward: 1, lifetimeStamps: 6, rewardsEarned: 0 });

    // Two free units are due (6 stamps, none given), but an order of one muffin gets one free muffin, not two.
    const cart = { memberId: globalId, lines: [line('MUFFIN', 1, 150)] };
    const quoted = await quote(app, cart);
    expect(quoted).toMatchObject({ __typename: 'Quote', discount: { amount: 150 } });
    expect(quoted.appliedOffers).toEqual([stampCardApplied(card, 150, 1, 1)]);
    const recorded = await recordOrder(app, cart);
    expect(recorded).toMatchObject({ __typename: 'RecordOrderPayload', discount: { amount: 150 }, amountPaid: { amount: 0 } });
    expect(recorded.appliedOffers).toEqual([stampCardApplied(card, 150, 1, 1)]);
    const after = await cardOf(globalId, card.id);
    expect(after).toMatchObject({ stampsRequired: 3, lifetimeStamps: 7, rewardsEarned: 1 });
    expect(after!.stamps).toBeLessThanOrEqual(3);
    expect(after!.untilReward).toBeGreaterThanOrEqual(1);
  });
});

const CODE_USES = `query($id: ID!) { node(id: $id) { ... on Offer { codes(first: 50) { edges { node { code uses } } } } } }`;
async function codeUses(offerId: string, code: string) {
  const response = await app.graphql(CODE_USES, { id: offerId }, await admin());
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return (response.data!.node.codes.edges as Array<{ node: { code: string; uses: number } }>).find((edge) => edge.node.code === code)!.node
    .uses;
}

describe('a single-use code on a code-required stamp card', () => {
  it('is used by an order that only stamped: another member gets CODE_ALREADY_USED; a full refund gives the use back', async () => {
    const card = await createOffer(app, {
      name: 'Stamp with a code',
      codeRequired: true,
      effect: { stampCard: { stampsRequired: 3, items: { skus: ['COFFEE'] } } },
    });
    await createCode(app, { offerId: card.id, code: 'STAMPONCE', maxUses: 1 });
    const ada = await newMember();
    const bob = await newMember();

    const stamped = await recordOrder(app, {
      memberId: ada.globalId,
      orderId: 'stamp-once',
      lines: [line('COFFEE', 1, 350)],
      codes: ['stamponce'],
    });
    expect(stamped).toMatchObject({ __typename: 'RecordOrderPayload', discount: { amount: 0 }, stampsEarned: 1 });
    expect(stamped.appliedOffers).toEqual([stampCardApplied(card, 0, 1, 0, 'STAMPONCE')]);
    expect(await codeUses(card.id, 'STAMPONCE')).toBe(1);
    // Stamp progress alone is still no redemption of the offer.
    expect(await offerStats(app, card.id)).toMatchObject({ redemptions: 0 });

    const bobCart = { memberId: bob.globalId, lines: [line('COFFEE', 1, 350)], codes: ['STAMPONCE'] };
    const refused = await quote(app, bobCart);
    expect(refused.appliedOffers).toEqual([]);
    expect(refused.notApplied).toEqual([skipped(card.id, 'CODE_ALREADY_USED', 'STAMPONCE')]);
    const bobOrder = await recordOrder(app, { ...bobCart, orderId: 'bob-refused' });
    expect(bobOrder).toMatchObject({
      __typename: 'RecordOrderPayload',
      stampsEarned: 0,
      appliedOffers: [],
      notApplied: [skipped(card.id, 'CODE_ALREADY_USED', 'STAMPONCE')],
    });
    expect(await cardOf(bob.globalId, card.id)).toBeUndefined();
    expect(await codeUses(card.id, 'STAMPONCE')).toBe(1);

    // A full refund of the order that used it gives the use back.
    expect(await refundOrder(app, { orderId: 'stamp-once', amount: 350 })).toMatchObject({
      __typename: 'RefundOrderPayload',
      offersReleased: true,
    });
    expect(await codeUses(card.id, 'STAMPONCE')).toBe(0);
    const accepted = await quote(app, bobCart);
    expect(accepted.appliedOffers).toEqual([stampCardApplied(card, 0, 1, 0, 'STAMPONCE')]);
    expect(accepted.notApplied).toEqual([]);
    const bobStamped = await recordOrder(app, { ...bobCart, orderId: 'bob-stamped' });
    expect(bobStamped.appliedOffers).toEqual([stampCardApplied(card, 0, 1, 0, 'STAMPONCE')]);
    expect(await codeUses(card.id, 'STAMPONCE')).toBe(1);
  });
});

const OFFER_NODE = `query($id: ID!) { node(id: $id) { __typename id ... on Offer { name status } } }`;
const OFFER_LIMITS = `query($id: ID!) { node(id: $id) { __typename id ... on Offer { name budget maxRedemptions } } }`;

describe('what a member may read of offers', () => {
  it('loads a PAUSED or ARCHIVED offer by node(id:) as null with FORBIDDEN; admins and storefronts load them', async () => {
    const { globalId, memberId } = await newMember();
    const member = await app.token({ role: 'member', subject: memberId });
    const active = await createOffer(app, { name: 'Live', effect: { percentOff: { basisPoints: 500 } } });
    const paused = await createOffer(app, { name: 'On hold', effect: { percentOff: { basisPoints: 500 } } });
    const archived = await createOffer(app, { name: 'Gone', effect: { percentOff: { basisPoints: 500 } } });
    await setStatus(paused.id, 'PAUSED');
    await setStatus(archived.id, 'ARCHIVED');
    expect(globalId).toBeTruthy();

    const live = await app.graphql(OFFER_NODE, { id: active.id }, member);
    expect(live.errors, JSON.stringify(live.errors)).toBeUndefined();
    expect(live.data?.node).toEqual({ __typename: 'Offer', id: active.id, name: 'Live', status: 'ACTIVE' });

    for (const [offer, status] of [
      [paused, 'PAUSED'],
      [archived, 'ARCHIVED'],
    ] as const) {
      const asMember = await app.graphql(OFFER_NODE, { id: offer.id }, member);
      expect(asMember.data?.node ?? null, status).toBeNull();
      expect(asMember.errors?.[0]?.extensions?.code, JSON.stringify(asMember)).toBe('FORBIDDEN');
      for (const token of [await admin(), await app.token({ role: 'storefront' })]) {
        const allowed = await app.graphql(OFFER_NODE, { id: offer.id }, token);
        expect(allowed.errors, JSON.stringify(allowed.errors)).toBeUndefined();
        expect(allowed.data?.node).toEqual({ __typename: 'Offer', id: offer.id, name: offer.name, status });
      }
    }
  });

  it("never reads an offer's budget or maxRedemptions (FORBIDDEN); admins and storefronts do", async () => {
    const { memberId } = await newMember();
    const member = await app.token({ role: 'member', subject: memberId });
    const limited = await createOffer(app, {
      name: 'Limited',
      budget: 100_000,
      maxRedemptions: 500,
      effect: { percentOff: { basisPoints: 500 } },
    });

    for (const field of ['budget', 'maxRedemptions']) {
      const asMember = await app.graphql(
        `query($id: ID!) { node(id: $id) { ... on Offer { name ${field} } } }`,
        { id: limited.id },
        member,
      );
      expect(
        asMember.errors?.map((error) => error.extensions?.code),
        JSON.stringify(asMember),
      ).toEqual(['FORBIDDEN']);
      expect(asMember.data?.node?.[field] ?? null, field).toBeNull();
    }
    const both = await app.graphql(OFFER_LIMITS, { id: limited.id }, member);
    expect(both.errors?.length, JSON.stringify(both)).toBeGreaterThan(0);
    for (const error of both.errors!) expect(error.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(both)).not.toContain('100000');

    for (const token of [await admin(), await app.token({ role: 'storefront' })]) {
      const allowed = await app.graphql(OFFER_LIMITS, { id: limited.id }, token);
      expect(allowed.errors, JSON.stringify(allowed.errors)).toBeUndefined();
      expect(allowed.data?.node).toEqual({ __typename: 'Offer', id: limited.id, name: 'Limited', budget: 100_000, maxRedemptions: 500 });
    }
  });

  it('member.stampCards leaves out cards of archived stamp-card offers', async () => {
    const { globalId, memberId } = await newMember();
    const kept = await createOffer(app, { name: 'Coffee card', effect: { stampCard: { stampsRequired: 5, items: { skus: ['COFFEE'] } } } });
    const retired = await createOffer(app, {
      name: 'Old tea card',
      effect: { stampCard: { stampsRequired: 5, items: { skus: ['TEA'] } } },
    });
    await recordOrder(app, { memberId: globalId, lines: [line('COFFEE', 1, 350), line('TEA', 2, 300)] });
    expect((await stampCards(globalId)).map((card) => card.offer.id).sort()).toEqual([kept.id, retired.id].sort());

    await setStatus(retired.id, 'ARCHIVED');
    for (const token of [await admin(), await app.token({ role: 'storefront' }), await app.token({ role: 'member', subject: memberId })]) {
      const cards = await stampCards(globalId, token);
      expect(cards.map((card) => card.offer.id)).toEqual([kept.id]);
      expect(cards[0]).toMatchObject({ stamps: 1, lifetimeStamps: 1 });
    }
  });
});
