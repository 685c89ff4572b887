import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { closeSoundly, memberLedger } from '../../support/ledger';
import { setUpTiers, placeOrder, tierOf } from '../../support/tiers';
import {
  ASSIGN_CODE,
  AVAILABLE_OFFERS,
  CREATE_OFFER,
  UPDATE_OFFER,
  archiveAfterEach,
  createCode as createCodeOrError,
  createOffer,
  line,
  offerStats,
  quote,
  recordOrder,
  refundOrder,
} from '../../support/offers';

/**
 * Offer targeting through GraphQL: every condition of README "Offers, promo codes and checkout"
 * (audience, tiers, birthday window, attributes, order number, come-back, minimum spend), the
 * validity window and limits, with the reason each refusal gives in `notApplied`, and what
 * `member.availableOffers` lists. Each test's offers are archived after it, so that they do not
 * take part in the carts of later tests.
 */
let app: TestApp;
let tiers: Record<string, { id: string; name: string }>;
let gold: { globalId: string; memberId: string };
let silver: { globalId: string; memberId: string };
const created: string[] = [];

beforeAll(async () => {
  app = await createTestApp();
  tiers = await setUpTiers(app, {}, [
    { name: 'Silver', threshold: 10_000, earnMultiplierPermille: 1_000, memberOnlyOffers: false },
    { name: 'Gold', threshold: 50_000, earnMultiplierPermille: 1_000, memberOnlyOffers: true },
  ]);
  gold = await enroll(app, { email: 'gold@example.com' });
  silver = await enroll(app, { email: 'silver@example.com' });
  expect((await placeOrder(app, gold.globalId, 'gold-upgrade', 60_000)).upgradedTier).toEqual({ name: 'Gold' });
  expect((await placeOrder(app, silver.globalId, 'silver-upgrade', 20_000)).upgradedTier).toEqual({ name: 'Silver' });
  expect(await tierOf(app, gold.globalId)).toBe('Gold');
  expect(await tierOf(app, silver.globalId)).toBe('Silver');
});

archiveAfterEach(() => app, created);

afterAll(() => closeSoundly(app));

let members = 0;
/** A fresh member (no orders, no tier). */
const newMember = (extra: Record<string, unknown> = {}) => enroll(app, { email: `targeting-${++members}@example.com`, ...extra });

/** Creates an offer (10 % off the order unless an effect is given) and archives it after the test. */
async function offer(input: Record<string, unknown>) {
  const made = await createOffer(app, { effect: { percentOff: { basisPoints: 1000 } }, ...input });
  created.push(made.id);
  return made;
}

type Quote = Record<string, any>;
/** What the quote says about one offer: how it applied, and why it did not. */
const about = (quoted: Quote, offerId: string) => {
  expect(['Quote', 'RecordOrderPayload'], JSON.stringify(quoted)).toContain(quoted.__typename);
  return {
    applied: (quoted.appliedOffers as Array<Record<string, any>>)
      .filter((entry) => entry.offer?.id === offerId)
      .map(({ discount, code }) => ({ discount, code })),
    notApplied: (quoted.notApplied as Array<Record<string, any>>).filter((entry) => entry.offerId === offerId),
  };
};
const applied = (_offerId: string, discount: number, code: string | null = null) => ({ applied: [{ discount, code }], notApplied: [] });
const refused = (offerId: string, reason: string, threshold: number | null = null, code: string | null = null) => ({
  applied: [],
  notApplied: [{ offerId, tierId: null, code, reason, threshold }],
});
const absent = { applied: [], notApplied: [] };

/** Creates a promo code as admin; fails the test on anything but success. */
async function createCode(app: TestApp, input: Record<string, unknown>) {
  const result = await createCodeOrError(app, input);
  expect(result.__typename, JSON.stringify(result)).toBe('PromoCodePayload');
  return result.promoCode as Record<string, any>;
}

/** A 20.00 cart. */
const cart = (memberId?: string, extra: Record<string, unknown> = {}) => ({
  ...(memberId ? { memberId } : {}),
  lines: [line('LATTE', 1, 2000)],
  ...extra,
});

describe('audience', () => {
  it('EVERYONE (the default) reaches guests and members', async () => {
    const everyone = await offer({ name: 'Everyone', conditions: { audience: 'EVERYONE' } });
    const byDefault = await offer({ name: 'Default audience' });
    expect(byDefault.conditions.audience).toBe('EVERYONE');
    const member = await newMember();
    const guest = await quote(app, cart());
    expect(about(guest, everyone.id)).toEqual(applied(everyone.id, 200));
    expect(about(guest, byDefault.id)).toEqual(applied(byDefault.id, 180));
    const asMember = await quote(app, cart(member.globalId));
    expect(about(asMember, everyone.id)).toEqual(applied(everyone.id, 200));
  });

  it('MEMBERS: a guest gets MEMBERS_ONLY, any member gets it', async () => {
    const members = await offer({ name: 'Members', conditions: { audience: 'MEMBERS' } });
    const member = await newMember();
    expect(about(await quote(app, cart()), members.id)).toEqual(refused(members.id, 'MEMBERS_ONLY'));
    expect(about(await quote(app, cart(member.globalId)), members.id)).toEqual(applied(members.id, 200));
    expect(about(await quote(app, cart(silver.globalId)), members.id)).toEqual(applied(members.id, 200));
  });

  it('MEMBER_ONLY_TIERS: only members whose tier has memberOnlyOffers', async () => {
    const vip = await offer({ name: 'Member-only tiers', conditions: { audience: 'MEMBER_ONLY_TIERS' } });
    const noTier = await newMember();
    expect(about(await quote(app, cart(gold.globalId)), vip.id)).toEqual(applied(vip.id, 200));
    expect(about(await quote(app, cart(silver.globalId)), vip.id)).toEqual(refused(vip.id, 'TIER_NOT_ELIGIBLE'));
    expect(about(await quote(app, cart(noTier.globalId)), vip.id)).toEqual(refused(vip.id, 'TIER_NOT_ELIGIBLE'));
    expect(about(await quote(app, cart()), vip.id)).toEqual(refused(vip.id, 'MEMBERS_ONLY'));
  });

  it('a member lifted into a member-only tier by an order gets the offer on the next cart', async () => {
    const vip = await offer({ name: 'VIP after upgrade', conditions: { audience: 'MEMBER_ONLY_TIERS' } });
    const climber = await newMember();
    expect(about(await quote(app, cart(climber.globalId)), vip.id)).toEqual(refused(vip.id, 'TIER_NOT_ELIGIBLE'));
    const upgrade = await recordOrder(app, { memberId: climber.globalId, total: 55_000, lines: [line('MACHINE', 1, 55_000)] });
    expect(upgrade.__typename).toBe('RecordOrderPayload');
    // The order itself was priced before the upgrade: the offer did not apply to it.
    expect(about(upgrade, vip.id)).toEqual(refused(vip.id, 'TIER_NOT_ELIGIBLE'));
    expect(await tierOf(app, climber.globalId)).toBe('Gold');
    expect(about(await quote(app, cart(climber.globalId)), vip.id)).toEqual(applied(vip.id, 200));
  });
});

describe('tierIds', () => {
  it("holds when the member's current tier is listed", async () => {
    const goldOnly = await offer({ name: 'Gold only', conditions: { tierIds: [tiers.Gold!.id] } });
    const both = await offer({
      name: 'Silver or Gold',
      conditions: { tierIds: [tiers.Silver!.id, tiers.Gold!.id] },
      effect: { amountOff: { amount: 100 } },
    });
    expect(goldOnly.conditions.tiers).toEqual([{ id: tiers.Gold!.id, name: 'Gold' }]);
    expect(both.conditions.tiers.map((tier: { name: string }) => tier.name).sort()).toEqual(['Gold', 'Silver']);
    const noTier = await newMember();

    const goldQuote = await quote(app, cart(gold.globalId));
    expect(about(goldQuote, goldOnly.id)).toEqual(applied(goldOnly.id, 200));
    expect(about(goldQuote, both.id)).toEqual(applied(both.id, 100));

    const silverQuote = await quote(app, cart(silver.globalId));
    expect(about(silverQuote, goldOnly.id)).toEqual(refused(goldOnly.id, 'TIER_NOT_ELIGIBLE'));
    expect(about(silverQuote, both.id)).toEqual(applied(both.id, 100));

    const noTierQuote = await quote(app, cart(noTier.globalId));
    expect(about(noTierQuote, goldOnly.id)).toEqual(refused(goldOnly.id, 'TIER_NOT_ELIGIBLE'));
    expect(about(noTierQuote, both.id)).toEqual(refused(both.id, 'TIER_NOT_ELIGIBLE'));

    expect(about(await quote(app, cart()), goldOnly.id)).toEqual(refused(goldOnly.id, 'MEMBERS_ONLY'));
  });

  it('an unknown tier, a tier of another program or an id that is not a tier is InvalidInputError', async () => {
    const admin = await app.token({ role: 'admin' });
    const globexTier = await app.graphql(
      `mutation($input: CreateTierInput!) { createTier(input: $input) { __typename ... on TierPayload { tier { id } } } }`,
      { input: { name: 'Globex Gold', threshold: 1000, earnMultiplierPermille: 1000 } },
      await app.token({ role: 'admin', programId: 'globex' }),
    );
    expect(globexTier.data?.createTier.__typename, JSON.stringify(globexTier)).toBe('TierPayload');
    const member = await newMember();
    const wrongIds = [
      encodeGlobalID('Tier', '0190b6a2-0000-7000-8000-000000000000'),
      globexTier.data!.createTier.tier.id as string,
      member.globalId,
      'not-a-global-id',
      tiers.Gold!.id.slice(0, -2),
    ];
    const before = await app.graphql(`{ offers(first: 100) { edges { node { id } } } }`, {}, admin);
    for (const tierId of wrongIds) {
      const response = await app.graphql(
        CREATE_OFFER,
        { input: { name: 'Bad tier', conditions: { tierIds: [tiers.Gold!.id, tierId] }, effect: { percentOff: { basisPoints: 1000 } } } },
        admin,
      );
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      expect(response.data?.createOffer.__typename, `${tierId}: ${JSON.stringify(response.data)}`).toBe('InvalidInputError');
      expect(response.data?.createOffer.issues[0].path).toEqual(['input', 'conditions', 'tierIds']);
    }
    const after = await app.graphql(`{ offers(first: 100) { edges { node { id } } } }`, {}, admin);
    expect(after.data).toEqual(before.data);

    const existing = await offer({ name: 'To update', conditions: { tierIds: [tiers.Gold!.id] } });
    const update = await app.graphql(UPDATE_OFFER, { input: { id: existing.id, conditions: { tierIds: [wrongIds[0]] } } }, admin);
    expect(update.data?.updateOffer.__typename, JSON.stringify(update)).toBe('InvalidInputError');
    const reread = await app.graphql(
      `query($id: ID!) { node(id: $id) { ... on Offer { conditions { tiers { id } } } } }`,
      { id: existing.id },
      admin,
    );
    expect(reread.data?.node.conditions.tiers).toEqual([{ id: tiers.Gold!.id }]);
  });
});

describe('birthday window', () => {
  it('holds within N days of the birthday (2 days before it here), not outside', async () => {
    const three = await offer({ name: 'Birthday ±3', conditions: { birthdayWindowDays: 3 } });
    const two = await offer({ name: 'Birthday ±2', conditions: { birthdayWindowDays: 2 }, effect: { amountOff: { amount: 100 } } });
    const one = await offer({ name: 'Birthday ±1', conditions: { birthdayWindowDays: 1 }, effect: { amountOff: { amount: 50 } } });
    const member = await newMember({ birthday: '1990-11-25' });
    const quoted = await quote(app, cart(member.globalId));
    expect(about(quoted, three.id)).toEqual(applied(three.id, 200));
    expect(about(quoted, two.id)).toEqual(applied(two.id, 100));
    expect(about(quoted, one.id)).toEqual(refused(one.id, 'NOT_BIRTHDAY_WINDOW'));
    // After the birthday, too: 3 days after it the ±3 window still holds, the ±2 one no longer.
    app.clock.set('2026-11-28T23:00:00Z');
    const after = await quote(app, cart(member.globalId));
    expect(about(after, three.id)).toEqual(applied(three.id, 200));
    expect(about(after, two.id)).toEqual(refused(two.id, 'NOT_BIRTHDAY_WINDOW'));
    app.clock.set('2026-11-29T00:30:00Z');
    expect(about(await quote(app, cart(member.globalId)), three.id)).toEqual(refused(three.id, 'NOT_BIRTHDAY_WINDOW'));
  });

  it('wraps around the new year, both ways', async () => {
    const three = await offer({ name: 'Birthday ±3 (new year)', conditions: { birthdayWindowDays: 3 } });
    const one = await offer({
      name: 'Birthday ±1 (new year)',
      conditions: { birthdayWindowDays: 1 },
      effect: { amountOff: { amount: 50 } },
    });
    const newYearsEve = await newMember({ birthday: '1985-12-31' });
    const newYear = await newMember({ birthday: '1985-01-02' });
    app.clock.set('2027-01-02T10:00:00Z');
    const late = await quote(app, cart(newYearsEve.globalId));
    expect(about(late, three.id)).toEqual(applied(three.id, 200));
    expect(about(late, one.id)).toEqual(refused(one.id, 'NOT_BIRTHDAY_WINDOW'));
    app.clock.set('2026-12-31T10:00:00Z');
    const early = await quote(app, cart(newYear.globalId));
    expect(about(early, three.id)).toEqual(applied(three.id, 200));
    expect(about(early, one.id)).toEqual(refused(one.id, 'NOT_BIRTHDAY_WINDOW'));
  });

  it('29 February counts as 28 February in a year without it', async () => {
    const sameDay = await offer({ name: 'On the birthday', conditions: { birthdayWindowDays: 0 } });
    const leapling = await newMember({ birthday: '2000-02-29' });
    app.clock.set('2027-02-28T10:00:00Z');
    expect(about(await quote(app, cart(leapling.globalId)), sameDay.id)).toEqual(applied(sameDay.id, 200));
    app.clock.set('2027-03-01T10:00:00Z');
    expect(about(await quote(app, cart(leapling.globalId)), sameDay.id)).toEqual(refused(sameDay.id, 'NOT_BIRTHDAY_WINDOW'));
    // In a leap year the birthday is 29 February itself.
    app.clock.set('2028-02-28T10:00:00Z');
    expect(about(await quote(app, cart(leapling.globalId)), sameDay.id)).toEqual(refused(sameDay.id, 'NOT_BIRTHDAY_WINDOW'));
    app.clock.set('2028-02-29T10:00:00Z');
    expect(about(await quote(app, cart(leapling.globalId)), sameDay.id)).toEqual(applied(sameDay.id, 200));
  });

  it('a member without a birthday is outside every window; a guest gets MEMBERS_ONLY', async () => {
    const wide = await offer({ name: 'Birthday ±31', conditions: { birthdayWindowDays: 31 } });
    const unknown = await newMember();
    expect(about(await quote(app, cart(unknown.globalId)), wide.id)).toEqual(refused(wide.id, 'NOT_BIRTHDAY_WINDOW'));
    expect(about(await quote(app, cart()), wide.id)).toEqual(refused(wide.id, 'MEMBERS_ONLY'));
  });
});

describe('order attributes', () => {
  it('{ ownCup: true } holds only for exactly that value', async () => {
    const eco = await offer({ name: 'Own cup', conditions: { attributes: { ownCup: true } }, effect: { amountOff: { amount: 30 } } });
    expect(eco.conditions.attributes).toEqual({ ownCup: true });
    const member = await newMember();
    expect(about(await quote(app, cart(member.globalId, { attributes: { ownCup: true } })), eco.id)).toEqual(applied(eco.id, 30));
    expect(about(await quote(app, cart(undefined, { attributes: { ownCup: true, table: 4 } })), eco.id)).toEqual(applied(eco.id, 30));
    for (const attributes of [{ ownCup: false }, { ownCup: 'true' }, { ownCup: 1 }, {}, { other: true }]) {
      expect(about(await quote(app, cart(member.globalId, { attributes })), eco.id), JSON.stringify(attributes)).toEqual(
        refused(eco.id, 'ATTRIBUTES_NOT_MATCHED'),
      );
    }
    expect(about(await quote(app, cart(member.globalId)), eco.id)).toEqual(refused(eco.id, 'ATTRIBUTES_NOT_MATCHED'));
  });
});

describe('order number', () => {
  it("orderNumber 1 and 2 follow the member's recorded orders", async () => {
    const first = await offer({ name: 'First order', conditions: { orderNumber: 1 }, effect: { amountOff: { amount: 500 } } });
    const second = await offer({ name: 'Second order', conditions: { orderNumber: 2 }, effect: { amountOff: { amount: 300 } } });
    const member = await newMember();

    const before = await quote(app, cart(member.globalId));
    expect(about(before, first.id)).toEqual(applied(first.id, 500));
    expect(about(before, second.id)).toEqual(refused(second.id, 'ORDER_NUMBER_NOT_MATCHED'));

    const one = await recordOrder(app, { ...cart(member.globalId), total: 2000 });
    expect(about(one, first.id)).toEqual(applied(first.id, 500));

    const afterOne = await quote(app, cart(member.globalId));
    expect(about(afterOne, first.id)).toEqual(refused(first.id, 'ORDER_NUMBER_NOT_MATCHED'));
    expect(about(afterOne, second.id)).toEqual(applied(second.id, 300));

    const two = await recordOrder(app, { ...cart(member.globalId), total: 2000 });
    expect(about(two, second.id)).toEqual(applied(second.id, 300));

    const afterTwo = await quote(app, cart(member.globalId));
    expect(about(afterTwo, first.id)).toEqual(refused(first.id, 'ORDER_NUMBER_NOT_MATCHED'));
    expect(about(afterTwo, second.id)).toEqual(refused(second.id, 'ORDER_NUMBER_NOT_MATCHED'));

    // A guest has no order history to count.
    expect(about(await quote(app, cart()), first.id)).toEqual(refused(first.id, 'MEMBERS_ONLY'));
    expect(await offerStats(app, first.id)).toMatchObject({ redemptions: 1, discountGiven: 500 });
    expect(await offerStats(app, second.id)).toMatchObject({ redemptions: 1, discountGiven: 300 });
  });
});

describe('come-back offer (withinDaysOfLastOrder)', () => {
  it('holds while the previous order is at most 7 days old', async () => {
    const comeBack = await offer({
      name: 'Come back',
      conditions: { withinDaysOfLastOrder: 7 },
      effect: { percentOff: { basisPoints: 1500 } },
    });
    const member = await newMember();
    expect(about(await quote(app, cart(member.globalId)), comeBack.id)).toEqual(refused(comeBack.id, 'NO_RECENT_ORDER'));
    expect(about(await quote(app, cart()), comeBack.id)).toEqual(refused(comeBack.id, 'MEMBERS_ONLY'));

    const day0 = await recordOrder(app, { ...cart(member.globalId), total: 2000 });
    expect(about(day0, comeBack.id)).toEqual(refused(comeBack.id, 'NO_RECENT_ORDER'));

    app.clock.set('2026-11-29T10:00:00Z'); // day 6
    expect(about(await quote(app, cart(member.globalId)), comeBack.id)).toEqual(applied(comeBack.id, 300));
    app.clock.set('2026-11-30T10:00:00Z'); // exactly 7 days: "at most 7 days ago"
    expect(about(await quote(app, cart(member.globalId)), comeBack.id)).toEqual(applied(comeBack.id, 300));
    app.clock.set('2026-12-01T10:00:00Z'); // day 8
    expect(about(await quote(app, cart(member.globalId)), comeBack.id)).toEqual(refused(comeBack.id, 'NO_RECENT_ORDER'));

    // A new order starts the window again, counted from the latest order.
    const day8 = await recordOrder(app, { ...cart(member.globalId), total: 2000 });
    expect(about(day8, comeBack.id)).toEqual(refused(comeBack.id, 'NO_RECENT_ORDER'));
    app.clock.set('2026-12-05T10:00:00Z');
    expect(about(await quote(app, cart(member.globalId)), comeBack.id)).toEqual(applied(comeBack.id, 300));
  });
});

describe('minimum spend', () => {
  it('BELOW_THRESHOLD with the threshold until the cart total before discounts reaches it', async () => {
    const threshold = await offer({ name: 'Spend 25', conditions: { minimumSpend: 2500 }, effect: { amountOff: { amount: 250 } } });
    const member = await newMember();
    expect(about(await quote(app, cart(member.globalId)), threshold.id)).toEqual(refused(threshold.id, 'BELOW_THRESHOLD', 2500));
    expect(about(await quote(app, cart()), threshold.id)).toEqual(refused(threshold.id, 'BELOW_THRESHOLD', 2500));
    expect(about(await quote(app, { memberId: member.globalId, lines: [line('LATTE', 1, 2499)] }), threshold.id)).toEqual(
      refused(threshold.id, 'BELOW_THRESHOLD', 2500),
    );
    expect(about(await quote(app, { memberId: member.globalId, lines: [line('LATTE', 1, 2500)] }), threshold.id)).toEqual(
      applied(threshold.id, 250),
    );
    // The cart total counts what no line covers (shipping) too.
    expect(about(await quote(app, { memberId: member.globalId, total: 2600, lines: [line('LATTE', 1, 2000)] }), threshold.id)).toEqual(
      applied(threshold.id, 250),
    );
  });

  it('is checked on the total before discounts, not on what earlier offers leave', async () => {
    const big = await offer({ name: 'Big first', priority: 10, effect: { amountOff: { amount: 1000 } } });
    const threshold = await offer({
      name: 'Spend 25 after big',
      priority: 1,
      conditions: { minimumSpend: 2500 },
      effect: { amountOff: { amount: 100 } },
    });
    const quoted = await quote(app, { lines: [line('LATTE', 1, 3000)] });
    expect(about(quoted, big.id)).toEqual(applied(big.id, 1000));
    expect(about(quoted, threshold.id)).toEqual(applied(threshold.id, 100));
  });
});

describe('validity', () => {
  it('NOT_STARTED before startsAt, then applies', async () => {
    const later = await offer({ name: 'Black Friday', startsAt: '2026-11-27T00:00:00Z', endsAt: '2026-11-30T00:00:00Z' });
    expect(about(await quote(app, cart()), later.id)).toEqual(refused(later.id, 'NOT_STARTED'));
    app.clock.set('2026-11-27T00:00:00Z');
    expect(about(await quote(app, cart()), later.id)).toEqual(applied(later.id, 200));
    app.clock.set('2026-11-30T00:00:01Z');
    expect(about(await quote(app, cart()), later.id)).toEqual(refused(later.id, 'EXPIRED'));
  });

  it('EXPIRED once endsAt has passed', async () => {
    const past = await offer({ name: 'Last week', startsAt: '2026-11-01T00:00:00Z', endsAt: '2026-11-20T00:00:00Z' });
    expect(about(await quote(app, cart()), past.id)).toEqual(refused(past.id, 'EXPIRED'));
    const member = await newMember();
    expect(about(await quote(app, cart(member.globalId)), past.id)).toEqual(refused(past.id, 'EXPIRED'));
  });

  it('a paused automatic offer is not considered (absent); reached through a code it is INACTIVE', async () => {
    const admin = await app.token({ role: 'admin' });
    const automatic = await offer({ name: 'Paused automatic' });
    const withCode = await offer({ name: 'Paused with code', codeRequired: true, effect: { amountOff: { amount: 100 } } });
    await createCode(app, { offerId: withCode.id, code: 'PAUSEME' });
    const active = await quote(app, cart(undefined, { codes: ['pauseme'] }));
    expect(about(active, automatic.id)).toEqual(applied(automatic.id, 200));
    expect(about(active, withCode.id)).toEqual(applied(withCode.id, 100, 'PAUSEME'));

    for (const id of [automatic.id, withCode.id]) {
      const paused = await app.graphql(UPDATE_OFFER, { input: { id, status: 'PAUSED' } }, admin);
      expect(paused.data?.updateOffer.offer.status, JSON.stringify(paused)).toBe('PAUSED');
    }
    const pausedQuote = await quote(app, cart(undefined, { codes: ['pauseme'] }));
    expect(about(pausedQuote, automatic.id)).toEqual(absent);
    expect(about(pausedQuote, withCode.id)).toEqual(refused(withCode.id, 'INACTIVE', null, 'PAUSEME'));
    expect(pausedQuote.discount.amount).toBe(0);

    for (const id of [automatic.id, withCode.id]) {
      const resumed = await app.graphql(UPDATE_OFFER, { input: { id, status: 'ACTIVE' } }, admin);
      expect(resumed.data?.updateOffer.offer.status, JSON.stringify(resumed)).toBe('ACTIVE');
    }
    const resumed = await quote(app, cart(undefined, { codes: ['pauseme'] }));
    expect(about(resumed, automatic.id)).toEqual(applied(automatic.id, 200));
    expect(about(resumed, withCode.id)).toEqual(applied(withCode.id, 100, 'PAUSEME'));
  });
});

describe('limits', () => {
  it('maxRedemptions reached: LIMIT_REACHED for everyone', async () => {
    const capped = await offer({ name: 'First two', maxRedemptions: 2, effect: { amountOff: { amount: 100 } } });
    const [a, b, c] = [await newMember(), await newMember(), await newMember()];
    expect(about(await recordOrder(app, { ...cart(a.globalId), total: 2000 }), capped.id)).toEqual(applied(capped.id, 100));
    expect(await offerStats(app, capped.id)).toMatchObject({ redemptions: 1, redemptionsLeft: 1 });
    expect(about(await quote(app, cart(c.globalId)), capped.id)).toEqual(applied(capped.id, 100));
    expect(about(await recordOrder(app, { ...cart(b.globalId), total: 2000 }), capped.id)).toEqual(applied(capped.id, 100));
    expect(await offerStats(app, capped.id)).toMatchObject({ redemptions: 2, redemptionsLeft: 0 });
    expect(about(await quote(app, cart(c.globalId)), capped.id)).toEqual(refused(capped.id, 'LIMIT_REACHED'));
    expect(about(await quote(app, cart()), capped.id)).toEqual(refused(capped.id, 'LIMIT_REACHED'));
    const third = await recordOrder(app, { ...cart(c.globalId), total: 2000 });
    expect(about(third, capped.id)).toEqual(refused(capped.id, 'LIMIT_REACHED'));
    expect(await offerStats(app, capped.id)).toMatchObject({ redemptions: 2, redemptionsLeft: 0 });
  });

  it('perMemberLimit reached: MEMBER_LIMIT_REACHED for that member, others still get it', async () => {
    const once = await offer({ name: 'Once each', perMemberLimit: 1, effect: { amountOff: { amount: 100 } } });
    const [a, b] = [await newMember(), await newMember()];
    expect(about(await recordOrder(app, { ...cart(a.globalId), total: 2000 }), once.id)).toEqual(applied(once.id, 100));
    expect(about(await quote(app, cart(a.globalId)), once.id)).toEqual(refused(once.id, 'MEMBER_LIMIT_REACHED'));
    expect(about(await quote(app, cart(b.globalId)), once.id)).toEqual(applied(once.id, 100));
    expect(about(await recordOrder(app, { ...cart(a.globalId), total: 2000 }), once.id)).toEqual(refused(once.id, 'MEMBER_LIMIT_REACHED'));
    expect(await offerStats(app, once.id)).toMatchObject({ redemptions: 1 });
  });

  it("a full refund gives the member's use back; a partial one does not", async () => {
    const once = await offer({ name: 'Once each (refunds)', perMemberLimit: 1, effect: { amountOff: { amount: 100 } } });
    const member = await newMember();
    const used = await recordOrder(app, { memberId: member.globalId, total: 2000, lines: [line('LATTE', 2, 1000)] });
    expect(about(used, once.id)).toEqual(applied(once.id, 100));
    expect(await refundOrder(app, { orderId: used.orderId, lines: [{ sku: 'LATTE', quantity: 1 }] })).toMatchObject({
      amount: 950,
      offersReleased: false,
    });
    expect(about(await quote(app, cart(member.globalId)), once.id)).toEqual(refused(once.id, 'MEMBER_LIMIT_REACHED'));
    expect(await refundOrder(app, { orderId: used.orderId, amount: 950 })).toMatchObject({ amount: 950, offersReleased: true });
    expect(about(await quote(app, cart(member.globalId)), once.id)).toEqual(applied(once.id, 100));
    expect(await offerStats(app, once.id)).toMatchObject({ redemptions: 0, discountGiven: 0 });
  });
});

describe('member.availableOffers', () => {
  it('lists eligible automatic offers and offers of held codes, highest priority first, and nothing else', async () => {
    const admin = await app.token({ role: 'admin' });
    const holder = await newMember({ birthday: '1990-06-01' });
    const other = await newMember();
    const automatic = await offer({ name: 'Automatic', priority: 5 });
    const bigSpend = await offer({
      name: 'Big spend (cart condition)',
      priority: 3,
      conditions: { minimumSpend: 1_000_000, attributes: { ownCup: true } },
    });
    const held = await offer({ name: 'Held code', priority: 1, codeRequired: true });
    const heldAutomatic = await offer({ name: 'Held code of an automatic offer', priority: 7 });
    await offer({ name: 'Not held', priority: 20, codeRequired: true }).then((made) =>
      createCode(app, { offerId: made.id, code: 'NOT-HELD' }),
    );
    await offer({ name: 'Member-only tiers', priority: 30, conditions: { audience: 'MEMBER_ONLY_TIERS' } });
    await offer({ name: 'Birthday', priority: 31, conditions: { birthdayWindowDays: 3 } });
    await offer({ name: 'Gold only', priority: 32, conditions: { tierIds: [tiers.Gold!.id] } });
    await offer({ name: 'Second order', priority: 33, conditions: { orderNumber: 2 } });
    await offer({ name: 'Come back', priority: 34, conditions: { withinDaysOfLastOrder: 7 } });
    await offer({ name: 'Not started', priority: 35, startsAt: '2026-12-01T00:00:00Z' });
    await offer({ name: 'Ended', priority: 36, endsAt: '2026-11-01T00:00:00Z' });
    const paused = await offer({ name: 'Paused', priority: 37 });
    expect((await app.graphql(UPDATE_OFFER, { input: { id: paused.id, status: 'PAUSED' } }, admin)).data?.updateOffer.__typename).toBe(
      'OfferPayload',
    );
    const expiredCodeOffer = await offer({ name: 'Expired held code', priority: 38, codeRequired: true });
    await createCode(app, {
      offerId: expiredCodeOffer.id,
      code: 'HELD-EXPIRED',
      expiresAt: '2026-11-01T00:00:00Z',
      assignedMemberId: holder.globalId,
    });
    const pausedCodeOffer = await offer({ name: 'Paused held code', priority: 39, codeRequired: true });
    await createCode(app, { offerId: pausedCodeOffer.id, code: 'HELD-PAUSED', assignedMemberId: holder.globalId });
    expect(
      (await app.graphql(UPDATE_OFFER, { input: { id: pausedCodeOffer.id, status: 'PAUSED' } }, admin)).data?.updateOffer.__typename,
    ).toBe('OfferPayload');

    await createCode(app, { offerId: held.id, code: 'held-one' });
    await createCode(app, { offerId: held.id, code: 'HELD-TWO' });
    await createCode(app, { offerId: held.id, code: 'HELD-OTHER' });
    await createCode(app, { offerId: heldAutomatic.id, code: 'HELD-AUTO' });
    for (const [code, member] of [
      ['Held-One', holder],
      ['held-two', holder],
      ['HELD-OTHER', other],
      ['held-auto', holder],
    ] as const) {
      const assigned = await app.graphql(ASSIGN_CODE, { input: { code, memberId: member.globalId } }, admin);
      expect(assigned.data?.assignPromoCode, JSON.stringify(assigned)).toEqual({
        __typename: 'AssignPromoCodePayload',
        promoCode: { code: code.toUpperCase(), assignedMemberId: member.globalId },
      });
    }

    const listed = await app.graphql(AVAILABLE_OFFERS, { id: holder.globalId }, admin);
    expect(listed.errors, JSON.stringify(listed.errors)).toBeUndefined();
    const offers = listed.data!.member.availableOffers as Array<{ codes: string[]; offer: { id: string; name: string } }>;
    expect(offers.map((entry) => ({ name: entry.offer.name, codes: [...entry.codes].sort() }))).toEqual([
      { name: 'Held code of an automatic offer', codes: ['HELD-AUTO'] },
      { name: 'Automatic', codes: [] },
      { name: 'Big spend (cart condition)', codes: [] },
      { name: 'Held code', codes: ['HELD-ONE', 'HELD-TWO'] },
    ]);
    expect(offers.map((entry) => entry.offer.id)).toEqual([heldAutomatic.id, automatic.id, bigSpend.id, held.id]);

    // The member reads the same list with its own token.
    const own = await app.graphql(AVAILABLE_OFFERS, { id: holder.globalId }, await app.token({ role: 'member', subject: holder.memberId }));
    expect(own.errors, JSON.stringify(own.errors)).toBeUndefined();
    expect(own.data!.member.availableOffers).toEqual(listed.data!.member.availableOffers);

    // Another member's token cannot read them.
    const foreign = await app.graphql(
      AVAILABLE_OFFERS,
      { id: holder.globalId },
      await app.token({ role: 'member', subject: other.memberId }),
    );
    expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(foreign.data?.member ?? null).toBeNull();

    // The other member holds only its own code.
    const others = await app.graphql(AVAILABLE_OFFERS, { id: other.globalId }, admin);
    expect(
      (others.data!.member.availableOffers as Array<{ codes: string[]; offer: { name: string } }>).map((entry) => ({
        name: entry.offer.name,
        codes: entry.codes,
      })),
    ).toEqual([
      { name: 'Held code of an automatic offer', codes: [] },
      { name: 'Automatic', codes: [] },
      { name: 'Big spend (cart condition)', codes: [] },
      { name: 'Held code', codes: ['HELD-OTHER'] },
    ]);
  });

  it('drops an offer once the member has used it up, and a held single-use code once used', async () => {
    const admin = await app.token({ role: 'admin' });
    const member = await newMember();
    const once = await offer({ name: 'Once (available)', perMemberLimit: 1, priority: 2, effect: { amountOff: { amount: 100 } } });
    const coded = await offer({
      name: 'Single-use held (available)',
      priority: 1,
      codeRequired: true,
      effect: { amountOff: { amount: 50 } },
    });
    await createCode(app, { offerId: coded.id, code: 'HELD-SINGLE', maxUses: 1, assignedMemberId: member.globalId });
    const names = async () =>
      (
        (await app.graphql(AVAILABLE_OFFERS, { id: member.globalId }, admin)).data!.member.availableOffers as Array<{
          offer: { name: string };
        }>
      ).map((entry) => entry.offer.name);
    expect(await names()).toEqual(['Once (available)', 'Single-use held (available)']);
    const order = await recordOrder(app, { ...cart(member.globalId, { codes: ['held-single'] }), total: 2000 });
    expect(about(order, once.id)).toEqual(applied(once.id, 100));
    expect(about(order, coded.id)).toEqual(applied(coded.id, 50, 'HELD-SINGLE'));
    expect(await names()).toEqual([]);
  });
});

describe('a quote writes nothing', () => {
  it('leaves offer stats, code uses, stamp cards, order history and points as they were', async () => {
    const admin = await app.token({ role: 'admin' });
    const member = await newMember();
    const stamps = await offer({ name: 'Every 3rd coffee', effect: { stampCard: { stampsRequired: 3, items: { skus: ['COFFEE'] } } } });
    const first = await offer({ name: 'First order (quote only)', conditions: { orderNumber: 1 }, effect: { amountOff: { amount: 100 } } });
    const coded = await offer({
      name: 'Single-use (quote only)',
      codeRequired: true,
      maxRedemptions: 1,
      effect: { amountOff: { amount: 50 } },
    });
    await createCode(app, { offerId: coded.id, code: 'QUOTE-ONLY', maxUses: 1 });
    const shoppingCart = { memberId: member.globalId, lines: [line('COFFEE', 5, 300)], codes: ['quote-only'] };
    const stampCards = async () => (await app.graphql(AVAILABLE_OFFERS, { id: member.globalId }, admin)).data!.member.stampCards;
    const codeUses = async () =>
      (
        await app.graphql(
          `query($id: ID!) { node(id: $id) { ... on Offer { codes(first: 10) { edges { node { code uses } } } } } }`,
          { id: coded.id },
          admin,
        )
      ).data!.node.codes.edges;
    const statsBefore = await Promise.all([stamps.id, first.id, coded.id].map((id) => offerStats(app, id)));
    const ledgerBefore = await memberLedger(app, member.globalId);
    expect(await stampCards()).toEqual([]);
    expect(await codeUses()).toEqual([{ node: { code: 'QUOTE-ONLY', uses: 0 } }]);

    for (let i = 0; i < 3; i++) {
      const quoted = await quote(app, shoppingCart);
      expect(quoted.stampsEarned).toBe(5);
      expect(about(quoted, stamps.id)).toEqual(applied(stamps.id, 300));
      expect(about(quoted, first.id)).toEqual(applied(first.id, 100));
      expect(about(quoted, coded.id)).toEqual(applied(coded.id, 50, 'QUOTE-ONLY'));
      expect(quoted.pointsEarned).toBeGreaterThan(0);
    }

    expect(await Promise.all([stamps.id, first.id, coded.id].map((id) => offerStats(app, id)))).toEqual(statsBefore);
    expect(statsBefore.every((stats) => stats.redemptions === 0 && stats.discountGiven === 0)).toBe(true);
    expect(await stampCards()).toEqual([]);
    expect(await codeUses()).toEqual([{ node: { code: 'QUOTE-ONLY', uses: 0 } }]);
    expect(await memberLedger(app, member.globalId)).toEqual(ledgerBefore);
    // Recording the same cart then counts once.
    const recorded = await recordOrder(app, { ...shoppingCart, total: 1500 });
    expect(recorded.discount.amount).toBe(450);
    expect(await offerStats(app, coded.id)).toMatchObject({ redemptions: 1, redemptionsLeft: 0 });
    expect(await codeUses()).toEqual([{ node: { code: 'QUOTE-ONLY', uses: 1 } }]);
    expect(await stampCards()).toMatchObject([{ offer: { id: stamps.id }, lifetimeStamps: 5, rewardsEarned: 1 }]);
  });
});
