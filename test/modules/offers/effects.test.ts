import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_NOW, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { closeSoundly, memberLedger, setRules } from '../../support/ledger';
import { AVAILABLE_OFFERS, CREATE_OFFER, UPDATE_OFFER, createOffer, line, offerStats, quote, recordOrder } from '../../support/offers';
import { configureTiers, createTier, tierOf } from '../../support/tiers';

/**
 * Offer effects, stacking and rounding, through GraphQL only. Every expected number below is worked
 * out by hand from the README ("Offers, promo codes and checkout"): money in integer minor units,
 * percentages rounded half-up, a discount over several buckets split by largest remainder (ties to
 * the earlier line, the rest of the order last), 1 point per 100 minor units paid, rounded down.
 *
 * Offers apply program-wide, so each describe has its own app and every offer a test creates is
 * archived after it: no test sees another's offers.
 */

interface Ctx {
  app: TestApp;
  created: string[];
}

function appPerDescribe(): Ctx {
  const ctx = { created: [] as string[] } as unknown as Ctx;
  beforeAll(async () => {
    ctx.app = await createTestApp();
  });
  afterEach(async () => {
    ctx.app.clock.set(TEST_NOW);
    for (const id of ctx.created.splice(0)) await setStatus(ctx.app, id, 'ARCHIVED');
  });
  afterAll(() => closeSoundly(ctx.app));
  return ctx;
}

const admin = (app: TestApp) => app.token({ role: 'admin' });

async function setStatus(app: TestApp, id: string, status: 'ACTIVE' | 'PAUSED' | 'ARCHIVED') {
  const response = await app.graphql(UPDATE_OFFER, { input: { id, status } }, await admin(app));
  expect(response.data?.updateOffer?.__typename, JSON.stringify(response)).toBe('OfferPayload');
}

type CreatedOffer = { id: string; name: string };

/** Creates an automatic offer that is archived after the test. */
async function offer(ctx: Ctx, input: Record<string, unknown>): Promise<CreatedOffer> {
  const created = (await createOffer(ctx.app, input)) as CreatedOffer;
  ctx.created.push(created.id);
  return created;
}

let members = 0;
async function member(ctx: Ctx) {
  return (await enroll(ctx.app, { email: `effects-${++members}@example.com` })).globalId;
}

/** What `appliedOffers` lists for an offer that applied. */
const appliedOffer = (
  created: { id: string; name: string },
  effect: string,
  discount: number,
  extra: Partial<{
    gift: { sku: string; quantity: number } | null;
    bonusPoints: number;
    stamps: number;
    freeUnits: number;
    code: string | null;
  }> = {},
) => ({
  offer: { id: created.id, name: created.name },
  tier: null,
  effect,
  code: null,
  discount,
  gift: null,
  bonusPoints: 0,
  stamps: 0,
  freeUnits: 0,
  ...extra,
});

/** What `notApplied` lists for an automatic offer that did not apply. */
const skipped = (created: { id: string }, reason: string, threshold: number | null = null) => ({
  offerId: created.id,
  tierId: null,
  code: null,
  reason,
  threshold,
});

const lineDiscounts = (result: Record<string, any>) => (result.lines as Array<{ discount: number }>).map((quoted) => quoted.discount);
const lineTotals = (result: Record<string, any>) => (result.lines as Array<{ total: number }>).map((quoted) => quoted.total);

/** The money and points of a quote or recorded order, in one object to compare. */
const money = (result: Record<string, any>) => ({
  total: result.total.amount,
  discount: result.discount.amount,
  totalAfterDiscount: result.totalAfterDiscount.amount,
  amountPaid: result.amountPaid.amount,
  pointsEarned: result.pointsEarned,
  restOfOrderDiscount: result.restOfOrderDiscount,
});

async function stampCardsOf(app: TestApp, memberGlobalId: string) {
  const response = await app.graphql(AVAILABLE_OFFERS, { id: memberGlobalId }, await admin(app));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.member.stampCards as Array<Record<string, any>>;
}

/** recordOrder requires `total` (quote defaults it to the sum of the lines): give that sum unless the cart has one. */
function record(app: TestApp, cart: Record<string, any>) {
  const lines = (cart.lines ?? []) as Array<{ quantity: number; unitPrice: number }>;
  return recordOrder(app, { total: lines.reduce((sum, cartLine) => sum + cartLine.quantity * cartLine.unitPrice, 0), ...cart });
}

async function pointsBalance(app: TestApp, memberGlobalId: string) {
  return (await memberLedger(app, memberGlobalId)).pointsBalance;
}

describe('percentOff', () => {
  const ctx = appPerDescribe();

  it('takes the percentage of the whole order once, rounded half-up, and splits it over the lines by largest remainder', async () => {
    const fifteen = await offer(ctx, { name: '15 % off everything', effect: { percentOff: { basisPoints: 1500 } } });
    // 15 % of 1750 = 262.5 → 263; shares 150.29 / 75.14 / 37.57 → 150 / 75 / 37, the 1 left to the largest remainder (37.57).
    const quoted = await quote(ctx.app, { lines: [line('BEANS', 1, 1000), line('TEA', 1, 500), line('MUG', 1, 250)] });
    expect(quoted.__typename).toBe('Quote');
    expect(money(quoted)).toEqual({
      total: 1750,
      discount: 263,
      totalAfterDiscount: 1487,
      amountPaid: 1487,
      pointsEarned: 14,
      restOfOrderDiscount: 0,
    });
    expect(lineDiscounts(quoted)).toEqual([150, 75, 38]);
    expect(lineTotals(quoted)).toEqual([850, 425, 212]);
    expect(quoted.appliedOffers).toEqual([appliedOffer(fifteen, 'PERCENT_OFF', 263)]);
    expect(quoted.notApplied).toEqual([]);
  });

  it('on SKUs discounts only the lines with those SKUs (15 % of 999 = 149.85 → 150)', async () => {
    const beans = await offer(ctx, { name: '15 % off beans', effect: { percentOff: { basisPoints: 1500, items: { skus: ['BEANS'] } } } });
    const quoted = await quote(ctx.app, {
      lines: [
        line('BEANS', 1, 999, { category: 'coffee' }),
        line('TEA', 1, 990, { category: 'tea' }),
        line('MUG', 2, 250, { category: 'merch' }),
      ],
    });
    expect(money(quoted)).toEqual({
      total: 2489,
      discount: 150,
      totalAfterDiscount: 2339,
      amountPaid: 2339,
      pointsEarned: 23,
      restOfOrderDiscount: 0,
    });
    expect(lineDiscounts(quoted)).toEqual([150, 0, 0]);
    expect(quoted.appliedOffers).toEqual([appliedOffer(beans, 'PERCENT_OFF', 150)]);
  });

  it('on categories discounts only the lines in those categories (15 % of 990 = 148.5 → 149, half-up)', async () => {
    const tea = await offer(ctx, { name: '15 % off tea', effect: { percentOff: { basisPoints: 1500, items: { categories: ['tea'] } } } });
    const quoted = await quote(ctx.app, {
      lines: [
        line('BEANS', 1, 999, { category: 'coffee' }),
        line('TEA', 1, 990, { category: 'tea' }),
        line('MUG', 2, 250, { category: 'merch' }),
      ],
    });
    expect(money(quoted)).toEqual({
      total: 2489,
      discount: 149,
      totalAfterDiscount: 2340,
      amountPaid: 2340,
      pointsEarned: 23,
      restOfOrderDiscount: 0,
    });
    expect(lineDiscounts(quoted)).toEqual([0, 149, 0]);
    expect(quoted.appliedOffers).toEqual([appliedOffer(tea, 'PERCENT_OFF', 149)]);
  });

  it('on SKUs and categories together rounds once on the matching lines together (15 % of 1989 = 298.35 → 298, not 150 + 149)', async () => {
    const both = await offer(ctx, {
      name: '15 % off beans and tea',
      effect: { percentOff: { basisPoints: 1500, items: { skus: ['BEANS'], categories: ['tea'] } } },
    });
    // Shares of 298 over 999 / 990: 149.67 / 148.33 → 149 / 148, the 1 left to BEANS (the larger remainder).
    const quoted = await quote(ctx.app, {
      lines: [
        line('BEANS', 1, 999, { category: 'coffee' }),
        line('TEA', 1, 990, { category: 'tea' }),
        line('MUG', 2, 250, { category: 'merch' }),
      ],
    });
    expect(quoted.discount.amount).toBe(298);
    expect(lineDiscounts(quoted)).toEqual([150, 148, 0]);
    expect(quoted.appliedOffers).toEqual([appliedOffer(both, 'PERCENT_OFF', 298)]);
  });

  it('a percentage that rounds to zero does not apply (NOTHING_TO_DISCOUNT); exactly half a minor unit rounds up', async () => {
    const onePercent = await offer(ctx, { name: '1 % off', effect: { percentOff: { basisPoints: 100 } } });
    const ten = await quote(ctx.app, { lines: [line('MINT', 1, 10)] }); // 0.1 → 0
    expect(money(ten)).toEqual({ total: 10, discount: 0, totalAfterDiscount: 10, amountPaid: 10, pointsEarned: 0, restOfOrderDiscount: 0 });
    expect(ten.appliedOffers).toEqual([]);
    expect(ten.notApplied).toEqual([skipped(onePercent, 'NOTHING_TO_DISCOUNT')]);

    const fortyNine = await quote(ctx.app, { lines: [line('MINT', 1, 49)] }); // 0.49 → 0
    expect(fortyNine.notApplied).toEqual([skipped(onePercent, 'NOTHING_TO_DISCOUNT')]);

    const fifty = await quote(ctx.app, { lines: [line('MINT', 1, 50)] }); // 0.5 → 1
    expect(fifty.discount.amount).toBe(1);
    expect(fifty.appliedOffers).toEqual([appliedOffer(onePercent, 'PERCENT_OFF', 1)]);
    expect(fifty.notApplied).toEqual([]);
  });

  it('on items the cart does not hold does not apply (NO_MATCHING_ITEMS)', async () => {
    const pastry = await offer(ctx, {
      name: '20 % off pastry',
      effect: { percentOff: { basisPoints: 2000, items: { skus: ['CROISSANT'], categories: ['pastry'] } } },
    });
    const quoted = await quote(ctx.app, { lines: [line('BEANS', 1, 999, { category: 'coffee' })] });
    expect(quoted.discount.amount).toBe(0);
    expect(quoted.appliedOffers).toEqual([]);
    expect(quoted.notApplied).toEqual([skipped(pastry, 'NO_MATCHING_ITEMS')]);
  });
});

describe('amountOff and the rest of the order (shipping)', () => {
  const ctx = appPerDescribe();

  it('takes a fixed amount off the order, split over the lines by largest remainder', async () => {
    const threeHundred = await offer(ctx, { name: '3.00 off', effect: { amountOff: { amount: 300 } } });
    // 300 over 1000 / 500 / 250: 171.43 / 85.71 / 42.86 → 171 / 85 / 42; the 2 left to 42.86 and 85.71.
    const quoted = await quote(ctx.app, { lines: [line('BEANS', 1, 1000), line('TEA', 1, 500), line('MUG', 1, 250)] });
    expect(money(quoted)).toEqual({
      total: 1750,
      discount: 300,
      totalAfterDiscount: 1450,
      amountPaid: 1450,
      pointsEarned: 14,
      restOfOrderDiscount: 0,
    });
    expect(lineDiscounts(quoted)).toEqual([171, 86, 43]);
    expect(quoted.appliedOffers).toEqual([appliedOffer(threeHundred, 'AMOUNT_OFF', 300)]);
  });

  it('a remainder that ties goes to the earlier line', async () => {
    await offer(ctx, { name: '1.00 off', effect: { amountOff: { amount: 100 } } });
    // 100 over three lines of 100: 33.33 each → 33 / 33 / 33, the 1 left to the first line.
    const quoted = await quote(ctx.app, { lines: [line('A', 1, 100), line('B', 1, 100), line('C', 1, 100)] });
    expect(lineDiscounts(quoted)).toEqual([34, 33, 33]);
  });

  it('a remainder that ties between a line and the rest of the order goes to the line', async () => {
    await offer(ctx, { name: '0.01 off', effect: { amountOff: { amount: 1 } } });
    // 1 over line 100 and shipping 100: 0.5 each → the line (earlier) gets it.
    const quoted = await quote(ctx.app, { total: 200, lines: [line('A', 1, 100)] });
    expect(lineDiscounts(quoted)).toEqual([1]);
    expect(quoted.restOfOrderDiscount).toBe(0);
  });

  it('on items is split over the matching lines together', async () => {
    const pastry = await offer(ctx, { name: '1.00 off pastry', effect: { amountOff: { amount: 100, items: { categories: ['pastry'] } } } });
    const quoted = await quote(ctx.app, {
      lines: [
        line('CROISSANT', 1, 300, { category: 'pastry' }),
        line('COFFEE', 1, 350, { category: 'drinks' }),
        line('MUFFIN', 1, 200, { category: 'pastry' }),
      ],
    });
    expect(money(quoted)).toEqual({
      total: 850,
      discount: 100,
      totalAfterDiscount: 750,
      amountPaid: 750,
      pointsEarned: 7,
      restOfOrderDiscount: 0,
    });
    expect(lineDiscounts(quoted)).toEqual([60, 0, 40]);
    expect(quoted.appliedOffers).toEqual([appliedOffer(pastry, 'AMOUNT_OFF', 100)]);
  });

  it('on items never takes more than the matching items cost, even when the total would allow it', async () => {
    const mugs = await offer(ctx, { name: '50.00 off mugs', effect: { amountOff: { amount: 5000, items: { skus: ['MUG'] } } } });
    const quoted = await quote(ctx.app, { total: 2500, lines: [line('MUG', 1, 300), line('BEANS', 1, 1000)] });
    expect(money(quoted)).toEqual({
      total: 2500,
      discount: 300,
      totalAfterDiscount: 2200,
      amountPaid: 2200,
      pointsEarned: 22,
      restOfOrderDiscount: 0,
    });
    expect(lineDiscounts(quoted)).toEqual([300, 0]);
    expect(lineTotals(quoted)).toEqual([0, 1000]);
    expect(quoted.appliedOffers).toEqual([appliedOffer(mugs, 'AMOUNT_OFF', 300)]);
  });

  it('an order-wide percentage falls partly on the rest of the order (shipping) in proportion', async () => {
    const ten = await offer(ctx, { name: '10 % off', effect: { percentOff: { basisPoints: 1000 } } });
    // total 1800 = lines 1500 + 300 shipping; 10 % = 180 → 100 / 50 on the lines and 30 on the rest.
    const quoted = await quote(ctx.app, { total: 1800, lines: [line('A', 1, 1000), line('B', 1, 500)] });
    expect(money(quoted)).toEqual({
      total: 1800,
      discount: 180,
      totalAfterDiscount: 1620,
      amountPaid: 1620,
      pointsEarned: 16,
      restOfOrderDiscount: 30,
    });
    expect(lineDiscounts(quoted)).toEqual([100, 50]);
    expect(quoted.appliedOffers).toEqual([appliedOffer(ten, 'PERCENT_OFF', 180)]);
  });

  it('a SKU discount never falls on the rest of the order; a later order-wide one takes its share of what is left', async () => {
    const skuOffer = await offer(ctx, {
      name: '10 % off A',
      priority: 10,
      effect: { percentOff: { basisPoints: 1000, items: { skus: ['A'] } } },
    });
    const orderWide = await offer(ctx, { name: '3.40 off', priority: 0, effect: { amountOff: { amount: 340 } } });
    // A: 10 % of 1000 = 100 (rest untouched). Then 340 over what is left, 900 / 500 / 300 (of 1700): 180 / 100 / 60.
    const cart = { total: 1800, lines: [line('A', 1, 1000), line('B', 1, 500)] };
    const quoted = await quote(ctx.app, cart);
    expect(money(quoted)).toEqual({
      total: 1800,
      discount: 440,
      totalAfterDiscount: 1360,
      amountPaid: 1360,
      pointsEarned: 13,
      restOfOrderDiscount: 60,
    });
    expect(lineDiscounts(quoted)).toEqual([280, 100]);
    expect(quoted.appliedOffers).toEqual([appliedOffer(skuOffer, 'PERCENT_OFF', 100), appliedOffer(orderWide, 'AMOUNT_OFF', 340)]);

    // Recorded, the same cart gives the same numbers to the minor unit.
    const recorded = await record(ctx.app, { ...cart, memberId: await member(ctx) });
    expect(recorded.__typename).toBe('RecordOrderPayload');
    expect(money(recorded)).toEqual(money(quoted));
    expect(lineDiscounts(recorded)).toEqual([280, 100]);
  });

  it('an amount off SKUs with shipping in the total takes nothing from the shipping', async () => {
    await offer(ctx, { name: '50.00 off B', effect: { amountOff: { amount: 5000, items: { skus: ['B'] } } } });
    const quoted = await quote(ctx.app, { total: 1800, lines: [line('A', 1, 1000), line('B', 1, 500)] });
    expect(money(quoted)).toEqual({
      total: 1800,
      discount: 500,
      totalAfterDiscount: 1300,
      amountPaid: 1300,
      pointsEarned: 13,
      restOfOrderDiscount: 0,
    });
    expect(lineDiscounts(quoted)).toEqual([0, 500]);
  });
});

describe('combo', () => {
  const ctx = appPerDescribe();
  const coffee = (quantity: number, unitPrice = 350) => line('COFFEE', quantity, unitPrice);
  const croissant = (quantity: number, unitPrice = 300) => line('CROISSANT', quantity, unitPrice);

  it('bundlePrice: each complete set costs the bundle price; only complete sets count', async () => {
    const breakfast = await offer(ctx, { name: 'Breakfast 5.50', effect: { combo: { skus: ['COFFEE', 'CROISSANT'], bundlePrice: 550 } } });

    // One set: 350 + 300 = 650 at 550 → 100 off, split 53.85 / 46.15 → 54 / 46.
    const one = await quote(ctx.app, { lines: [coffee(1), croissant(1)] });
    expect(money(one)).toEqual({
      total: 650,
      discount: 100,
      totalAfterDiscount: 550,
      amountPaid: 550,
      pointsEarned: 5,
      restOfOrderDiscount: 0,
    });
    expect(lineDiscounts(one)).toEqual([54, 46]);
    expect(one.appliedOffers).toEqual([appliedOffer(breakfast, 'COMBO', 100)]);

    // Two coffees and one croissant: still one set, 100 off (on one coffee's 350 and the croissant).
    const unmatched = await quote(ctx.app, { lines: [coffee(2), croissant(1)] });
    expect(money(unmatched)).toEqual({
      total: 1000,
      discount: 100,
      totalAfterDiscount: 900,
      amountPaid: 900,
      pointsEarned: 9,
      restOfOrderDiscount: 0,
    });
    expect(lineDiscounts(unmatched)).toEqual([54, 46]);

    // Two sets: 200 off, split over 700 / 600: 107.69 / 92.31 → 108 / 92.
    const two = await quote(ctx.app, { lines: [coffee(2), croissant(2), line('WATER', 1, 150)] });
    expect(money(two)).toEqual({
      total: 1450,
      discount: 200,
      totalAfterDiscount: 1250,
      amountPaid: 1250,
      pointsEarned: 12,
      restOfOrderDiscount: 0,
    });
    expect(lineDiscounts(two)).toEqual([108, 92, 0]);
  });

  it('bundleBasisPoints: a percentage off each set, rounded half-up (15 % of 650 = 97.5 → 98)', async () => {
    const breakfast = await offer(ctx, {
      name: 'Breakfast −15 %',
      effect: { combo: { skus: ['COFFEE', 'CROISSANT'], bundleBasisPoints: 1500 } },
    });
    // 98 over 350 / 300: 52.77 / 45.23 → 52 / 45, the 1 left to the coffee. The muffin is in no set.
    const quoted = await quote(ctx.app, { lines: [coffee(1), croissant(1), line('MUFFIN', 1, 250)] });
    expect(money(quoted)).toEqual({
      total: 900,
      discount: 98,
      totalAfterDiscount: 802,
      amountPaid: 802,
      pointsEarned: 8,
      restOfOrderDiscount: 0,
    });
    expect(lineDiscounts(quoted)).toEqual([53, 45, 0]);
    expect(quoted.appliedOffers).toEqual([appliedOffer(breakfast, 'COMBO', 98)]);
  });

  it('bundleBasisPoints after another offer is a percentage of what that offer left of the set (discounts compound)', async () => {
    const ten = await offer(ctx, { name: '10 % off', priority: 10, effect: { percentOff: { basisPoints: 1000 } } });
    const breakfast = await offer(ctx, {
      name: 'Breakfast −20 %',
      priority: 0,
      effect: { combo: { skus: ['COFFEE', 'CROISSANT'], bundleBasisPoints: 2000 } },
    });
    // 10 % of 650 = 65 (35 / 30) leaves 315 + 270 = 585 of the set; 20 % of 585 = 117 (63 / 54), not 20 % of the 650 gross (130).
    const quoted = await quote(ctx.app, { lines: [coffee(1), croissant(1)] });
    expect(quoted.appliedOffers).toEqual([appliedOffer(ten, 'PERCENT_OFF', 65), appliedOffer(breakfast, 'COMBO', 117)]);
    expect(money(quoted)).toEqual({
      total: 650,
      discount: 182,
      totalAfterDiscount: 468,
      amountPaid: 468,
      pointsEarned: 4,
      restOfOrderDiscount: 0,
    });
    expect(lineDiscounts(quoted)).toEqual([98, 84]);
  });

  it('without every SKU of the set it does not apply (NO_MATCHING_ITEMS); a bundle price above the set gives nothing (NOTHING_TO_DISCOUNT)', async () => {
    const breakfast = await offer(ctx, {
      name: 'Breakfast 5.50',
      priority: 1,
      effect: { combo: { skus: ['COFFEE', 'CROISSANT'], bundlePrice: 550 } },
    });
    const pricey = await offer(ctx, {
      name: 'Breakfast 7.00',
      priority: 0,
      effect: { combo: { skus: ['COFFEE', 'CROISSANT'], bundlePrice: 700 } },
    });
    const coffeeOnly = await quote(ctx.app, { lines: [coffee(3)] });
    expect(coffeeOnly.discount.amount).toBe(0);
    expect(coffeeOnly.appliedOffers).toEqual([]);
    expect(coffeeOnly.notApplied).toEqual([skipped(breakfast, 'NO_MATCHING_ITEMS'), skipped(pricey, 'NO_MATCHING_ITEMS')]);

    // With a full set, 5.50 gives 100 off and the 7.00 bundle (dearer than 6.50) gives nothing.
    const full = await quote(ctx.app, { lines: [coffee(1), croissant(1)] });
    expect(full.appliedOffers).toEqual([appliedOffer(breakfast, 'COMBO', 100)]);
    expect(full.notApplied).toEqual([skipped(pricey, 'NOTHING_TO_DISCOUNT')]);
  });
});

describe('gift with purchase', () => {
  const ctx = appPerDescribe();

  it('by amount: below the minimum it is BELOW_THRESHOLD with the threshold; at it the gift is given, with no discount', async () => {
    const tote = await offer(ctx, { name: 'Free tote from 20.00', effect: { gift: { sku: 'TOTE', minimumAmount: 2000 } } });
    const below = await quote(ctx.app, { lines: [line('BEANS', 1, 1999)] });
    expect(below.gifts).toEqual([]);
    expect(below.appliedOffers).toEqual([]);
    expect(below.notApplied).toEqual([skipped(tote, 'BELOW_THRESHOLD', 2000)]);

    const cart = { lines: [line('BEANS', 2, 1000)] };
    const reached = await quote(ctx.app, cart);
    expect(money(reached)).toEqual({
      total: 2000,
      discount: 0,
      totalAfterDiscount: 2000,
      amountPaid: 2000,
      pointsEarned: 20,
      restOfOrderDiscount: 0,
    });
    expect(reached.gifts).toEqual([{ sku: 'TOTE', quantity: 1 }]);
    expect(reached.appliedOffers).toEqual([appliedOffer(tote, 'GIFT', 0, { gift: { sku: 'TOTE', quantity: 1 } })]);
    expect(reached.notApplied).toEqual([]);
    expect(lineDiscounts(reached)).toEqual([0]);

    // Recorded, a gift is a redemption that gives no discount.
    const recorded = await record(ctx.app, { ...cart, memberId: await member(ctx) });
    expect(recorded.gifts).toEqual([{ sku: 'TOTE', quantity: 1 }]);
    expect(recorded.discount.amount).toBe(0);
    expect(await offerStats(ctx.app, tote.id)).toMatchObject({ redemptions: 1, discountGiven: 0 });
  });

  it('by amount: the cart total counts, shipping included', async () => {
    const tote = await offer(ctx, { name: 'Free tote from 20.00', effect: { gift: { sku: 'TOTE', quantity: 2, minimumAmount: 2000 } } });
    const quoted = await quote(ctx.app, { total: 2000, lines: [line('BEANS', 1, 1700)] });
    expect(quoted.gifts).toEqual([{ sku: 'TOTE', quantity: 2 }]);
    expect(quoted.appliedOffers).toEqual([appliedOffer(tote, 'GIFT', 0, { gift: { sku: 'TOTE', quantity: 2 } })]);
  });

  it('by weight: Σ quantity × the line attribute must reach minimumWeight; lines without the attribute weigh nothing', async () => {
    const scoop = await offer(ctx, {
      name: 'Free scoop from 1 kg',
      effect: { gift: { sku: 'SCOOP', quantity: 2, minimumWeight: 1000, weightAttribute: 'weight' } },
    });
    const bag = (quantity: number, sku = 'BEANS') => line(sku, quantity, 800, { attributes: { weight: 250 } });

    // 3 × 250 = 750 g, however much the cart costs (a heavy price, a weightless mug).
    const light = await quote(ctx.app, { total: 10_000, lines: [bag(3), line('MUG', 5, 1500)] });
    expect(light.gifts).toEqual([]);
    expect(light.appliedOffers).toEqual([]);
    expect(light.notApplied).toEqual([skipped(scoop, 'BELOW_THRESHOLD', 1000)]);

    // 3 × 250 + 1 × 250 over two lines = 1000 g.
    const heavy = await quote(ctx.app, { lines: [bag(3), bag(1, 'GROUND'), line('MUG', 1, 1500)] });
    expect(money(heavy)).toEqual({
      total: 4700,
      discount: 0,
      totalAfterDiscount: 4700,
      amountPaid: 4700,
      pointsEarned: 47,
      restOfOrderDiscount: 0,
    });
    expect(heavy.gifts).toEqual([{ sku: 'SCOOP', quantity: 2 }]);
    expect(heavy.appliedOffers).toEqual([appliedOffer(scoop, 'GIFT', 0, { gift: { sku: 'SCOOP', quantity: 2 } })]);
    expect(heavy.notApplied).toEqual([]);
  });
});

describe('bonusPoints', () => {
  const ctx = appPerDescribe();

  it('fixed points are added to what the order earns; quote, recorded order and balance agree', async () => {
    const fifty = await offer(ctx, { name: '+50 points', effect: { bonusPoints: { points: 50 } } });
    const memberId = await member(ctx);
    const cart = { memberId, lines: [line('BEANS', 1, 1234)] };
    // 1234 paid → 12 points, + 50.
    const quoted = await quote(ctx.app, cart);
    expect(money(quoted)).toEqual({
      total: 1234,
      discount: 0,
      totalAfterDiscount: 1234,
      amountPaid: 1234,
      pointsEarned: 62,
      restOfOrderDiscount: 0,
    });
    expect(quoted.appliedOffers).toEqual([appliedOffer(fifty, 'BONUS_POINTS', 0, { bonusPoints: 50 })]);

    const before = await pointsBalance(ctx.app, memberId);
    const recorded = await record(ctx.app, cart);
    expect(recorded.__typename).toBe('RecordOrderPayload');
    expect(recorded.pointsEarned).toBe(62);
    expect(recorded.appliedOffers).toEqual(quoted.appliedOffers);
    expect(recorded.pointsBalance).toBe(before + 62);
    expect(await pointsBalance(ctx.app, memberId)).toBe(before + 62);
    expect(await offerStats(ctx.app, fifty.id)).toMatchObject({ redemptions: 1, discountGiven: 0, bonusPointsGiven: 50 });
  });

  it('a multiplier adds (m − 1000) / 1000 × the base points, rounded down, on what is paid after discounts', async () => {
    const discount = await offer(ctx, { name: '10 % off', priority: 5, effect: { percentOff: { basisPoints: 1000 } } });
    const boost = await offer(ctx, { name: '×1.5 points', priority: 0, effect: { bonusPoints: { multiplierPermille: 1500 } } });
    const memberId = await member(ctx);
    // 1490 − 149 = 1341 paid → 13 base points; bonus floor(13 × 500 / 1000) = floor(6.5) = 6 → 19.
    const cart = { memberId, lines: [line('BEANS', 1, 1490)] };
    const quoted = await quote(ctx.app, cart);
    expect(money(quoted)).toEqual({
      total: 1490,
      discount: 149,
      totalAfterDiscount: 1341,
      amountPaid: 1341,
      pointsEarned: 19,
      restOfOrderDiscount: 0,
    });
    expect(quoted.appliedOffers).toEqual([
      appliedOffer(discount, 'PERCENT_OFF', 149),
      appliedOffer(boost, 'BONUS_POINTS', 0, { bonusPoints: 6 }),
    ]);

    const before = await pointsBalance(ctx.app, memberId);
    const recorded = await record(ctx.app, cart);
    expect(recorded.pointsEarned).toBe(quoted.pointsEarned);
    expect(recorded.appliedOffers).toEqual(quoted.appliedOffers);
    expect(await pointsBalance(ctx.app, memberId)).toBe(before + 19);
    expect(await offerStats(ctx.app, boost.id)).toMatchObject({ redemptions: 1, bonusPointsGiven: 6 });
  });

  it('a multiplier on an order that earns no points gives nothing: no redemption, and the member limit is not used up', async () => {
    const boost = await offer(ctx, { name: '×1.5 points, once', perMemberLimit: 1, effect: { bonusPoints: { multiplierPermille: 1500 } } });
    const memberId = await member(ctx);
    // 99 paid → 0 base points → bonus floor(0 × 500 / 1000) = 0: the offer gave nothing on this order.
    const small = await record(ctx.app, { memberId, lines: [line('MINT', 1, 99)] });
    expect(small.pointsEarned).toBe(0);
    expect(await offerStats(ctx.app, boost.id)).toMatchObject({ redemptions: 0, bonusPointsGiven: 0 });

    // The member's one use is still there: 1000 paid → 10 points + 5.
    const quoted = await quote(ctx.app, { memberId, lines: [line('BEANS', 1, 1000)] });
    expect(quoted.notApplied).toEqual([]);
    expect(quoted.appliedOffers).toEqual([appliedOffer(boost, 'BONUS_POINTS', 0, { bonusPoints: 5 })]);
    expect(quoted.pointsEarned).toBe(15);
  });

  it('a multiplier bonus is rounded down (×1.001 on 1999 base points = 1.999 → 1)', async () => {
    const tiny = await offer(ctx, { name: '×1.001 points', effect: { bonusPoints: { multiplierPermille: 1001 } } });
    // 199900 paid → 1999 points; bonus floor(1999 × 1 / 1000) = 1.
    const quoted = await quote(ctx.app, { memberId: await member(ctx), lines: [line('GRINDER', 1, 199_900)] });
    expect(quoted.pointsEarned).toBe(2000);
    expect(quoted.appliedOffers).toEqual([appliedOffer(tiny, 'BONUS_POINTS', 0, { bonusPoints: 1 })]);
  });
});

describe('stampCard', () => {
  const ctx = appPerDescribe();
  let card: CreatedOffer;
  beforeAll(async () => {
    // Created outside the tests so that it stays active for the whole describe.
    card = (await createOffer(ctx.app, {
      name: 'Ninth coffee free',
      effect: { stampCard: { stampsRequired: 9, items: { skus: ['COFFEE'] } } },
    })) as CreatedOffer;
  });
  const cardOf = async (memberId: string) => (await stampCardsOf(ctx.app, memberId)).find((entry) => entry.offer.id === card.id);

  it('collects stamps over several orders, then gives the ninth coffee free (the cheapest unit of that order)', async () => {
    const memberId = await member(ctx);
    const progress = [
      { lines: [line('COFFEE', 3, 350), line('CROISSANT', 1, 300)], stamps: 3 },
      { lines: [line('COFFEE', 3, 350)], stamps: 3 },
      { lines: [line('COFFEE', 2, 350)], stamps: 2 },
    ];
    let collected = 0;
    for (const order of progress) {
      const cart = { memberId, lines: order.lines };
      const quoted = await quote(ctx.app, cart);
      expect(quoted.discount.amount).toBe(0);
      expect(quoted.stampsEarned).toBe(order.stamps);
      expect(quoted.appliedOffers).toEqual([appliedOffer(card, 'STAMP_CARD', 0, { stamps: order.stamps, freeUnits: 0 })]);
      const recorded = await record(ctx.app, cart);
      expect(recorded.stampsEarned).toBe(order.stamps);
      expect(recorded.discount.amount).toBe(0);
      collected += order.stamps;
      expect(await cardOf(memberId)).toEqual({
        offer: { id: card.id },
        stampsRequired: 9,
        stamps: collected,
        untilReward: 9 - collected,
        lifetimeStamps: collected,
        rewardsEarned: 0,
      });
    }
    expect(collected).toBe(8);
    // Stamp progress alone is not a redemption.
    expect(await offerStats(ctx.app, card.id)).toMatchObject({ redemptions: 0, discountGiven: 0 });

    // The ninth: two coffees at different prices; the cheaper (320) is free. 2 stamps → 10 → 1 on the new card.
    const cart = { memberId, lines: [line('COFFEE', 1, 350), line('COFFEE', 1, 320)] };
    const quoted = await quote(ctx.app, cart);
    expect(money(quoted)).toEqual({
      total: 670,
      discount: 320,
      totalAfterDiscount: 350,
      amountPaid: 350,
      pointsEarned: 3,
      restOfOrderDiscount: 0,
    });
    expect(lineDiscounts(quoted)).toEqual([0, 320]);
    expect(quoted.appliedOffers).toEqual([appliedOffer(card, 'STAMP_CARD', 320, { stamps: 2, freeUnits: 1 })]);
    const recorded = await record(ctx.app, cart);
    expect(money(recorded)).toEqual(money(quoted));
    expect(recorded.appliedOffers).toEqual(quoted.appliedOffers);
    expect(await cardOf(memberId)).toEqual({
      offer: { id: card.id },
      stampsRequired: 9,
      stamps: 1,
      untilReward: 8,
      lifetimeStamps: 10,
      rewardsEarned: 1,
    });
    expect(await offerStats(ctx.app, card.id)).toMatchObject({ redemptions: 1, discountGiven: 320 });
  });

  it('ten coffees in one order from zero give one free, and the card shows 1 of 9', async () => {
    const memberId = await member(ctx);
    const cart = { memberId, lines: [line('COFFEE', 10, 350)] };
    const quoted = await quote(ctx.app, cart);
    expect(money(quoted)).toEqual({
      total: 3500,
      discount: 350,
      totalAfterDiscount: 3150,
      amountPaid: 3150,
      pointsEarned: 31,
      restOfOrderDiscount: 0,
    });
    expect(quoted.appliedOffers).toEqual([appliedOffer(card, 'STAMP_CARD', 350, { stamps: 10, freeUnits: 1 })]);
    expect(quoted.stampsEarned).toBe(10);
    await record(ctx.app, cart);
    expect(await cardOf(memberId)).toEqual({
      offer: { id: card.id },
      stampsRequired: 9,
      stamps: 1,
      untilReward: 8,
      lifetimeStamps: 10,
      rewardsEarned: 1,
    });

    // 8 more reach 18: the second card completes, one more free.
    const next = await quote(ctx.app, { memberId, lines: [line('COFFEE', 8, 350)] });
    expect(next.appliedOffers).toEqual([appliedOffer(card, 'STAMP_CARD', 350, { stamps: 8, freeUnits: 1 })]);
    expect(next.discount.amount).toBe(350);
  });

  it('eighteen coffees in one order from zero give two free', async () => {
    const quoted = await quote(ctx.app, { memberId: await member(ctx), lines: [line('COFFEE', 18, 350)] });
    expect(quoted.discount.amount).toBe(700);
    expect(quoted.appliedOffers).toEqual([appliedOffer(card, 'STAMP_CARD', 700, { stamps: 18, freeUnits: 2 })]);
  });

  it('an order without matching items earns no stamp (NO_MATCHING_ITEMS)', async () => {
    const quoted = await quote(ctx.app, { memberId: await member(ctx), lines: [line('CROISSANT', 2, 300)] });
    expect(quoted.stampsEarned).toBe(0);
    expect(quoted.appliedOffers).toEqual([]);
    expect(quoted.notApplied).toEqual([skipped(card, 'NO_MATCHING_ITEMS')]);
  });
});

describe('stacking', () => {
  const ctx = appPerDescribe();

  it('two 10 % offers compound: 100, then 10 % of the 900 left = 90', async () => {
    const first = await offer(ctx, { name: '10 % A', priority: 2, effect: { percentOff: { basisPoints: 1000 } } });
    const second = await offer(ctx, { name: '10 % B', priority: 1, effect: { percentOff: { basisPoints: 1000 } } });
    const quoted = await quote(ctx.app, { lines: [line('BEANS', 1, 1000)] });
    expect(money(quoted)).toEqual({
      total: 1000,
      discount: 190,
      totalAfterDiscount: 810,
      amountPaid: 810,
      pointsEarned: 8,
      restOfOrderDiscount: 0,
    });
    expect(quoted.appliedOffers).toEqual([appliedOffer(first, 'PERCENT_OFF', 100), appliedOffer(second, 'PERCENT_OFF', 90)]);
    expect(lineDiscounts(quoted)).toEqual([190]);
  });

  it('the higher priority applies first, whatever the creation order', async () => {
    // Created first but lower priority: applied second (10 % of 900 = 90, not 100).
    const percent = await offer(ctx, { name: '10 %', priority: 0, effect: { percentOff: { basisPoints: 1000 } } });
    const amount = await offer(ctx, { name: '1.00 off', priority: 10, effect: { amountOff: { amount: 100 } } });
    const quoted = await quote(ctx.app, { lines: [line('BEANS', 1, 1000)] });
    expect(quoted.discount.amount).toBe(190);
    expect(quoted.appliedOffers).toEqual([appliedOffer(amount, 'AMOUNT_OFF', 100), appliedOffer(percent, 'PERCENT_OFF', 90)]);
  });

  it('at equal priority the older offer applies first (by creation time, not by id)', async () => {
    // The percentage is created first (smaller id) but at 10:00; the amount is created after it, dated 09:00: it is older.
    const percent = await offer(ctx, { name: '10 % (newer)', effect: { percentOff: { basisPoints: 1000 } } });
    ctx.app.clock.set('2026-11-23T09:00:00.000Z');
    const amount = await offer(ctx, { name: '1.00 off (older)', effect: { amountOff: { amount: 100 } } });
    ctx.app.clock.set(TEST_NOW);
    const quoted = await quote(ctx.app, { lines: [line('BEANS', 1, 1000)] });
    expect(quoted.appliedOffers).toEqual([appliedOffer(amount, 'AMOUNT_OFF', 100), appliedOffer(percent, 'PERCENT_OFF', 90)]);
    expect(quoted.discount.amount).toBe(190);
  });

  it('an exclusive offer stops the lower-priority offers; the higher-priority ones already applied stay', async () => {
    const high = await offer(ctx, { name: '10 % high', priority: 10, effect: { percentOff: { basisPoints: 1000 } } });
    const exclusive = await offer(ctx, {
      name: '1.00 off exclusive',
      priority: 5,
      exclusive: true,
      effect: { amountOff: { amount: 100 } },
    });
    const low = await offer(ctx, { name: '10 % low', priority: 1, effect: { percentOff: { basisPoints: 1000 } } });
    const gift = await offer(ctx, { name: 'Gift low', priority: 0, effect: { gift: { sku: 'TOTE', minimumAmount: 1 } } });
    const cart = { lines: [line('BEANS', 1, 1000)] };
    const quoted = await quote(ctx.app, cart);
    expect(money(quoted)).toEqual({
      total: 1000,
      discount: 200,
      totalAfterDiscount: 800,
      amountPaid: 800,
      pointsEarned: 8,
      restOfOrderDiscount: 0,
    });
    expect(quoted.appliedOffers).toEqual([appliedOffer(high, 'PERCENT_OFF', 100), appliedOffer(exclusive, 'AMOUNT_OFF', 100)]);
    expect(quoted.notApplied).toEqual([skipped(low, 'EXCLUDED_BY_EXCLUSIVE_OFFER'), skipped(gift, 'EXCLUDED_BY_EXCLUSIVE_OFFER')]);
    expect(quoted.gifts).toEqual([]);

    const recorded = await record(ctx.app, { ...cart, memberId: await member(ctx) });
    expect(money(recorded)).toEqual(money(quoted));
    expect(recorded.notApplied).toEqual(quoted.notApplied);
    expect(await offerStats(ctx.app, low.id)).toMatchObject({ redemptions: 0, discountGiven: 0 });
    expect(await offerStats(ctx.app, exclusive.id)).toMatchObject({ redemptions: 1, discountGiven: 100 });
  });

  it('an exclusive offer that does not apply stops nothing', async () => {
    const high = await offer(ctx, { name: '10 % high', priority: 10, effect: { percentOff: { basisPoints: 1000 } } });
    const exclusive = await offer(ctx, {
      name: 'Exclusive from 50.00',
      priority: 5,
      exclusive: true,
      conditions: { minimumSpend: 5000 },
      effect: { amountOff: { amount: 100 } },
    });
    const low = await offer(ctx, { name: '10 % low', priority: 1, effect: { percentOff: { basisPoints: 1000 } } });
    const quoted = await quote(ctx.app, { lines: [line('BEANS', 1, 1000)] });
    expect(quoted.discount.amount).toBe(190);
    expect(quoted.appliedOffers).toEqual([appliedOffer(high, 'PERCENT_OFF', 100), appliedOffer(low, 'PERCENT_OFF', 90)]);
    expect(quoted.notApplied).toEqual([skipped(exclusive, 'BELOW_THRESHOLD', 5000)]);
  });

  it('the discount never goes below zero: an amount bigger than the order takes the total (shipping included), and later offers find nothing', async () => {
    const huge = await offer(ctx, { name: '50.00 off', priority: 10, effect: { amountOff: { amount: 5000 } } });
    const later = await offer(ctx, { name: '10 % later', priority: 0, effect: { percentOff: { basisPoints: 1000 } } });
    const cart = { total: 1500, lines: [line('A', 1, 700), line('B', 1, 500)] };
    const quoted = await quote(ctx.app, cart);
    expect(money(quoted)).toEqual({
      total: 1500,
      discount: 1500,
      totalAfterDiscount: 0,
      amountPaid: 0,
      pointsEarned: 0,
      restOfOrderDiscount: 300,
    });
    expect(lineDiscounts(quoted)).toEqual([700, 500]);
    expect(lineTotals(quoted)).toEqual([0, 0]);
    expect(quoted.appliedOffers).toEqual([appliedOffer(huge, 'AMOUNT_OFF', 1500)]);
    expect(quoted.notApplied).toEqual([skipped(later, 'NOTHING_TO_DISCOUNT')]);

    const memberId = await member(ctx);
    const recorded = await record(ctx.app, { ...cart, memberId });
    expect(money(recorded)).toEqual(money(quoted));
    expect(recorded.pointsBalance).toBe(0);
    expect(await offerStats(ctx.app, huge.id)).toMatchObject({ redemptions: 1, discountGiven: 1500 });
  });
});

describe('program discount cap (maxDiscountBasisPoints)', () => {
  const ctx = appPerDescribe();
  afterEach(async () => {
    await setRules(ctx.app, { maxDiscountBasisPoints: null });
  });

  it('cuts the last discounts to the cap; one cut to zero is DISCOUNT_CAP_REACHED; bonus points are no discount', async () => {
    expect(await setRules(ctx.app, { maxDiscountBasisPoints: 2000 })).toBeTruthy();
    const first = await offer(ctx, { name: '15 %', priority: 10, effect: { percentOff: { basisPoints: 1500 } } });
    const second = await offer(ctx, { name: '10 %', priority: 5, effect: { percentOff: { basisPoints: 1000 } } });
    const third = await offer(ctx, { name: '0.30 off', priority: 1, effect: { amountOff: { amount: 30 } } });
    const bonus = await offer(ctx, { name: '+10 points', priority: 0, effect: { bonusPoints: { points: 10 } } });

    // Cap 20 % of 1000 = 200: 150, then 10 % of 850 = 85 cut to 50, then nothing left for 30.
    const cart = { lines: [line('BEANS', 1, 1000)] };
    const quoted = await quote(ctx.app, { ...cart, memberId: await member(ctx) });
    expect(money(quoted)).toEqual({
      total: 1000,
      discount: 200,
      totalAfterDiscount: 800,
      amountPaid: 800,
      pointsEarned: 18,
      restOfOrderDiscount: 0,
    });
    expect(quoted.appliedOffers).toEqual([
      appliedOffer(first, 'PERCENT_OFF', 150),
      appliedOffer(second, 'PERCENT_OFF', 50),
      appliedOffer(bonus, 'BONUS_POINTS', 0, { bonusPoints: 10 }),
    ]);
    expect(quoted.notApplied).toEqual([skipped(third, 'DISCOUNT_CAP_REACHED')]);

    // The cap is a bound: 20 % of 999 = 199.8 allows 199 at most (150 + 49).
    const odd = await quote(ctx.app, { lines: [line('BEANS', 1, 999)] });
    expect(odd.discount.amount).toBe(199);
    expect(odd.appliedOffers.map((applied: any) => applied.discount)).toEqual([150, 49, 0]);

    // Recorded, the cut discount is what the offer gave.
    const memberId = await member(ctx);
    const recorded = await record(ctx.app, { ...cart, memberId });
    expect(money(recorded)).toEqual(money(quoted));
    expect(await offerStats(ctx.app, second.id)).toMatchObject({ redemptions: 1, discountGiven: 50 });
    expect(await offerStats(ctx.app, third.id)).toMatchObject({ redemptions: 0, discountGiven: 0 });

    // Without the cap, everything applies: 150 + 85 + 30.
    await setRules(ctx.app, { maxDiscountBasisPoints: null });
    const uncapped = await quote(ctx.app, cart);
    expect(uncapped.discount.amount).toBe(265);
    expect(uncapped.notApplied).toEqual([]);
  });
});

describe('offer budget', () => {
  const ctx = appPerDescribe();

  it('the order that reaches the budget gets what is left of it; after that BUDGET_EXHAUSTED', async () => {
    const budgeted = await offer(ctx, { name: '1.00 off, budget 2.50', budget: 250, effect: { amountOff: { amount: 100 } } });
    const memberId = await member(ctx);
    const cart = { memberId, lines: [line('BEANS', 1, 1000)] };

    for (const expected of [
      { discount: 100, budgetLeft: 150 },
      { discount: 100, budgetLeft: 50 },
      { discount: 50, budgetLeft: 0 },
    ]) {
      const quoted = await quote(ctx.app, cart);
      expect(quoted.appliedOffers).toEqual([appliedOffer(budgeted, 'AMOUNT_OFF', expected.discount)]);
      const recorded = await record(ctx.app, cart);
      expect(recorded.discount.amount).toBe(expected.discount);
      expect(recorded.totalAfterDiscount.amount).toBe(1000 - expected.discount);
      expect((await offerStats(ctx.app, budgeted.id)).budgetLeft).toBe(expected.budgetLeft);
    }
    expect(await offerStats(ctx.app, budgeted.id)).toEqual({
      redemptions: 3,
      redemptionsLeft: null,
      discountGiven: 250,
      budgetLeft: 0,
      bonusPointsGiven: 0,
    });

    const fourth = await quote(ctx.app, cart);
    expect(fourth.discount.amount).toBe(0);
    expect(fourth.appliedOffers).toEqual([]);
    expect(fourth.notApplied).toEqual([skipped(budgeted, 'BUDGET_EXHAUSTED')]);
    const recorded = await record(ctx.app, cart);
    expect(recorded.discount.amount).toBe(0);
    expect(recorded.notApplied).toEqual([skipped(budgeted, 'BUDGET_EXHAUSTED')]);
    expect(await offerStats(ctx.app, budgeted.id)).toMatchObject({ redemptions: 3, discountGiven: 250, budgetLeft: 0 });
  });
});

describe('tier standing discount', () => {
  const ctx = appPerDescribe();
  let tier: { id: string; name: string };
  let memberId: string;
  beforeAll(async () => {
    await configureTiers(ctx.app, { metric: 'SPEND', window: 'ROLLING_MONTHS', windowMonths: 12, downgradeGraceDays: 0 });
    tier = await createTier(ctx.app, { name: 'Regular', threshold: 1000, discountBasisPoints: 500 });
    memberId = await member(ctx);
    // The qualifying order: it makes the member Regular, at no discount (they did not hold the tier yet).
    const qualifying = await record(ctx.app, { memberId, lines: [line('BEANS', 1, 1000)] });
    expect(qualifying.discount.amount).toBe(0);
    expect(await tierOf(ctx.app, memberId)).toBe('Regular');
  });
  const tierApplied = (discount: number) => ({
    offer: null,
    tier: { id: tier.id, name: 'Regular' },
    effect: 'TIER_DISCOUNT',
    code: null,
    discount,
    gift: null,
    bonusPoints: 0,
    stamps: 0,
    freeUnits: 0,
  });

  it('applies 5 % for a member of the tier, rounded half-up (5 % of 1990 = 99.5 → 100)', async () => {
    const quoted = await quote(ctx.app, { memberId, lines: [line('BEANS', 1, 1990)] });
    expect(money(quoted)).toEqual({
      total: 1990,
      discount: 100,
      totalAfterDiscount: 1890,
      amountPaid: 1890,
      pointsEarned: 18,
      restOfOrderDiscount: 0,
    });
    expect(quoted.appliedOffers).toEqual([tierApplied(100)]);
    expect(quoted.notApplied).toEqual([]);
  });

  it('comes last, on what the offers left, and also on the rest of the order; a guest gets none', async () => {
    const ten = await offer(ctx, { name: '10 %', priority: -5, effect: { percentOff: { basisPoints: 1000 } } });
    // 10 % of 1990 = 199; then 5 % of 1791 = 89.55 → 90.
    const cart = { lines: [line('BEANS', 1, 1990)] };
    const quoted = await quote(ctx.app, { ...cart, memberId });
    expect(money(quoted)).toEqual({
      total: 1990,
      discount: 289,
      totalAfterDiscount: 1701,
      amountPaid: 1701,
      pointsEarned: 17,
      restOfOrderDiscount: 0,
    });
    expect(quoted.appliedOffers).toEqual([appliedOffer(ten, 'PERCENT_OFF', 199), tierApplied(90)]);

    const recorded = await record(ctx.app, { ...cart, memberId });
    expect(money(recorded)).toEqual(money(quoted));
    expect(recorded.appliedOffers).toEqual(quoted.appliedOffers);

    const guest = await quote(ctx.app, cart);
    expect(money(guest)).toEqual({
      total: 1990,
      discount: 199,
      totalAfterDiscount: 1791,
      amountPaid: 1791,
      pointsEarned: 17,
      restOfOrderDiscount: 0,
    });
    expect(guest.appliedOffers).toEqual([appliedOffer(ten, 'PERCENT_OFF', 199)]);
    expect(guest.notApplied).toEqual([]);

    // With 200 of shipping: 10 % of 1200 = 120 (100 on the line, 20 on the rest); then 5 % of the 1080 left = 54 (45 / 9).
    const shipped = await quote(ctx.app, { memberId, total: 1200, lines: [line('BEANS', 1, 1000)] });
    expect(shipped.appliedOffers).toEqual([appliedOffer(ten, 'PERCENT_OFF', 120), tierApplied(54)]);
    expect(lineDiscounts(shipped)).toEqual([145]);
    expect(shipped.restOfOrderDiscount).toBe(29);
  });

  it('the program cap applies to the tier discount too: cut, or DISCOUNT_CAP_REACHED when nothing is left under it', async () => {
    const ten = await offer(ctx, { name: '10 %', effect: { percentOff: { basisPoints: 1000 } } });
    try {
      await setRules(ctx.app, { maxDiscountBasisPoints: 1200 });
      // Cap 12 % of 2000 = 240: the offer takes 200, the tier's 5 % of 1800 = 90 is cut to 40.
      const cut = await quote(ctx.app, { memberId, lines: [line('BEANS', 1, 2000)] });
      expect(cut.discount.amount).toBe(240);
      expect(cut.appliedOffers).toEqual([appliedOffer(ten, 'PERCENT_OFF', 200), tierApplied(40)]);

      await setRules(ctx.app, { maxDiscountBasisPoints: 1000 });
      const capped = await quote(ctx.app, { memberId, lines: [line('BEANS', 1, 2000)] });
      expect(capped.discount.amount).toBe(200);
      expect(capped.appliedOffers).toEqual([appliedOffer(ten, 'PERCENT_OFF', 200)]);
      expect(capped.notApplied).toEqual([{ offerId: null, tierId: tier.id, code: null, reason: 'DISCOUNT_CAP_REACHED', threshold: null }]);
    } finally {
      await setRules(ctx.app, { maxDiscountBasisPoints: null });
    }
  });

  it('an exclusive offer stops the tier discount (EXCLUDED_BY_EXCLUSIVE_OFFER, by tier)', async () => {
    const exclusive = await offer(ctx, { name: 'Exclusive 1.00 off', exclusive: true, effect: { amountOff: { amount: 100 } } });
    const quoted = await quote(ctx.app, { memberId, lines: [line('BEANS', 1, 1990)] });
    expect(quoted.discount.amount).toBe(100);
    expect(quoted.appliedOffers).toEqual([appliedOffer(exclusive, 'AMOUNT_OFF', 100)]);
    expect(quoted.notApplied).toEqual([
      { offerId: null, tierId: tier.id, code: null, reason: 'EXCLUDED_BY_EXCLUSIVE_OFFER', threshold: null },
    ]);
  });
});

describe('invalid effect input', () => {
  const ctx = appPerDescribe();
  const OFFER_IDS = `{ offers(first: 100) { edges { node { id } } } }`;
  const offerCount = async () => {
    const response = await ctx.app.graphql(OFFER_IDS, {}, await admin(ctx.app));
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data!.offers.edges.length as number;
  };

  const cases: Array<{ name: string; effect: Record<string, unknown> | undefined; path: string[] }> = [
    { name: 'two effects at once', effect: { percentOff: { basisPoints: 1000 }, amountOff: { amount: 100 } }, path: ['input', 'effect'] },
    { name: 'an empty effect', effect: {}, path: ['input', 'effect'] },
    { name: 'no effect at all', effect: undefined, path: ['input', 'effect'] },
    { name: 'a combo of one SKU', effect: { combo: { skus: ['COFFEE'], bundlePrice: 300 } }, path: ['input', 'effect', 'combo', 'skus'] },
    {
      name: 'a combo with bundlePrice and bundleBasisPoints',
      effect: { combo: { skus: ['COFFEE', 'CROISSANT'], bundlePrice: 300, bundleBasisPoints: 1000 } },
      path: ['input', 'effect', 'combo'],
    },
    { name: 'percentOff of 0', effect: { percentOff: { basisPoints: 0 } }, path: ['input', 'effect', 'percentOff', 'basisPoints'] },
    {
      name: 'percentOff over 100 %',
      effect: { percentOff: { basisPoints: 10_001 } },
      path: ['input', 'effect', 'percentOff', 'basisPoints'],
    },
    { name: 'amountOff of 0', effect: { amountOff: { amount: 0 } }, path: ['input', 'effect', 'amountOff', 'amount'] },
  ];

  it.each(cases)('$name is InvalidInputError and creates nothing', async ({ effect, path }) => {
    await offer(ctx, { name: 'Valid', effect: { percentOff: { basisPoints: 10_000 } } }); // 100 % is the valid maximum
    const before = await offerCount();
    const input = { name: 'Broken', ...(effect === undefined ? {} : { effect }) };
    const response = await ctx.app.graphql(CREATE_OFFER, { input }, await admin(ctx.app));
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const result = response.data!.createOffer;
    expect(result.__typename, JSON.stringify(result)).toBe('InvalidInputError');
    expect(result.issues.map((issue: { path: string[] }) => issue.path)).toEqual([path]);
    expect(result.issues[0].message).toEqual(expect.any(String));
    expect(await offerCount()).toBe(before);
  });
});
