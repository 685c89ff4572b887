import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type GraphQLResponse, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { closeSoundly } from '../../support/ledger';
import {
  ASSIGN_CODE,
  CREATE_CODE,
  CREATE_OFFER,
  QUOTE,
  UPDATE_OFFER,
  archiveAfterEach,
  createCode as createCodeOrError,
  createOffer,
  line,
  offerStats,
  quote,
  recordOrder,
  refundOrder,
  RECORD_CHECKOUT,
} from '../../support/offers';

/**
 * Promo codes through GraphQL (README "Promo codes (admin)" and "How a cart is evaluated"):
 * reusable and single-use codes, their own minimum basket, expiry and assignment, how entry is
 * matched, generated batches (codes, pagination, CSV), and who may do what from the outside.
 * Each test's offers are archived after it, so that they do not take part in later carts.
 */
let app: TestApp;
const created: string[] = [];

beforeAll(async () => {
  app = await createTestApp();
});

archiveAfterEach(() => app, created);

afterAll(() => closeSoundly(app));

let members = 0;
const newMember = () => enroll(app, { email: `codes-${++members}@example.com` });

/** A code-required 10 % off offer unless told otherwise; archived after the test. */
async function offer(input: Record<string, unknown> = {}) {
  const made = await createOffer(app, { codeRequired: true, effect: { percentOff: { basisPoints: 1000 } }, ...input });
  created.push(made.id);
  return made;
}

/** Creates a promo code as admin; fails the test on anything but success. */
async function createCode(input: Record<string, unknown>) {
  const result = await createCodeOrError(app, input);
  expect(result.__typename, JSON.stringify(result)).toBe('PromoCodePayload');
  return result.promoCode as Record<string, any>;
}

type Quote = Record<string, any>;
/** What the quote (or recorded order) says about one offer: how it applied, and why it did not. */
const about = (quoted: Quote, offerId: string) => {
  expect(['Quote', 'RecordOrderPayload'], JSON.stringify(quoted)).toContain(quoted.__typename);
  return {
    applied: (quoted.appliedOffers as Array<Record<string, any>>)
      .filter((entry) => entry.offer?.id === offerId)
      .map(({ discount, code }) => ({ discount, code })),
    notApplied: (quoted.notApplied as Array<Record<string, any>>).filter((entry) => entry.offerId === offerId),
  };
};
const applied = (discount: number, code: string | null) => ({ applied: [{ discount, code }], notApplied: [] });
const refused = (offerId: string, code: string | null, reason: string, threshold: number | null = null) => ({
  applied: [],
  notApplied: [{ offerId, tierId: null, code, reason, threshold }],
});

/** A 20.00 cart with the given codes. */
const cart = (memberId: string | undefined, codes: string[], total = 2000) => ({
  ...(memberId ? { memberId } : {}),
  lines: [line('BEANS', 1, total)],
  codes,
});
const order = (memberId: string, codes: string[], total = 2000) => recordOrder(app, { ...cart(memberId, codes, total), total });

/**
 * `first` is a variable: graphql-armor's cost limit multiplies a literal `first: 100` into the cost
 * (the support document GENERATE_CODES, with `codes(first: 100)`, is refused at a cost of 9,200).
 */
const GENERATE_CODES = `mutation($input: GeneratePromoCodesInput!, $first: Int = 100) { generatePromoCodes(input: $input) { __typename
  ... on Error { code message } ... on InvalidInputError { issues { path message } }
  ... on GeneratePromoCodesPayload { batch { id prefix count csv codes(first: $first) { edges { node { code maxUses uses } } pageInfo { hasNextPage endCursor } } } } } }`;
const CODES_OF_OFFER = `query($id: ID!, $first: Int = 100) { node(id: $id) { ... on Offer { codes(first: $first) { edges { node { code uses maxUses perMemberLimit minimumSpend expiresAt assignedMemberId } } } } } }`;
async function codesOf(offerId: string) {
  const response = await app.graphql(CODES_OF_OFFER, { id: offerId }, await app.token({ role: 'admin' }));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return (response.data!.node.codes.edges as Array<{ node: Record<string, any> }>).map((edge) => edge.node);
}

describe('reusable codes', () => {
  it('without maxUses a code is used again and again, by one member and by many', async () => {
    const reusable = await offer({ name: 'Reusable' });
    expect(await createCode({ offerId: reusable.id, code: 'WELCOME' })).toMatchObject({
      code: 'WELCOME',
      maxUses: null,
      uses: 0,
      perMemberLimit: null,
    });
    const [a, b] = [await newMember(), await newMember()];
    for (const member of [a, a, a, b, b])
      expect(about(await order(member.globalId, ['welcome']), reusable.id)).toEqual(applied(200, 'WELCOME'));
    expect(about(await quote(app, cart(a.globalId, ['WELCOME'])), reusable.id)).toEqual(applied(200, 'WELCOME'));
    expect(about(await quote(app, cart(undefined, ['WELCOME'])), reusable.id)).toEqual(applied(200, 'WELCOME'));
    expect(await offerStats(app, reusable.id)).toMatchObject({ redemptions: 5, discountGiven: 1000 });
    expect(await codesOf(reusable.id)).toMatchObject([{ code: 'WELCOME', uses: 5 }]);
  });

  it('maxUses 3: the 4th use is CODE_USAGE_LIMIT_REACHED, for everyone', async () => {
    const three = await offer({ name: 'Three uses' });
    await createCode({ offerId: three.id, code: 'THREE', maxUses: 3 });
    const [a, b, c, d] = [await newMember(), await newMember(), await newMember(), await newMember()];
    expect(about(await order(a.globalId, ['three']), three.id)).toEqual(applied(200, 'THREE'));
    expect(about(await order(b.globalId, ['three']), three.id)).toEqual(applied(200, 'THREE'));
    expect(about(await quote(app, cart(d.globalId, ['three'])), three.id)).toEqual(applied(200, 'THREE'));
    expect(about(await order(a.globalId, ['three']), three.id)).toEqual(applied(200, 'THREE'));
    expect(await codesOf(three.id)).toMatchObject([{ code: 'THREE', uses: 3, maxUses: 3 }]);
    for (const member of [c, d, a])
      expect(about(await quote(app, cart(member.globalId, ['three'])), three.id)).toEqual(
        refused(three.id, 'THREE', 'CODE_USAGE_LIMIT_REACHED'),
      );
    expect(about(await quote(app, cart(undefined, ['three'])), three.id)).toEqual(refused(three.id, 'THREE', 'CODE_USAGE_LIMIT_REACHED'));
    const fourth = await order(c.globalId, ['three']);
    expect(about(fourth, three.id)).toEqual(refused(three.id, 'THREE', 'CODE_USAGE_LIMIT_REACHED'));
    expect(fourth.discount.amount).toBe(0);
    expect(await codesOf(three.id)).toMatchObject([{ code: 'THREE', uses: 3 }]);
    expect(await offerStats(app, three.id)).toMatchObject({ redemptions: 3 });
  });

  it('perMemberLimit 1: CODE_MEMBER_LIMIT_REACHED for the member who used it, not for others', async () => {
    const once = await offer({ name: 'Once per member' });
    await createCode({ offerId: once.id, code: 'ONCE-EACH', perMemberLimit: 1 });
    const [a, b] = [await newMember(), await newMember()];
    expect(about(await order(a.globalId, ['once-each']), once.id)).toEqual(applied(200, 'ONCE-EACH'));
    expect(about(await quote(app, cart(a.globalId, ['once-each'])), once.id)).toEqual(
      refused(once.id, 'ONCE-EACH', 'CODE_MEMBER_LIMIT_REACHED'),
    );
    expect(about(await order(a.globalId, ['once-each']), once.id)).toEqual(refused(once.id, 'ONCE-EACH', 'CODE_MEMBER_LIMIT_REACHED'));
    expect(about(await quote(app, cart(b.globalId, ['once-each'])), once.id)).toEqual(applied(200, 'ONCE-EACH'));
    expect(about(await order(b.globalId, ['once-each']), once.id)).toEqual(applied(200, 'ONCE-EACH'));
    expect(about(await quote(app, cart(b.globalId, ['once-each'])), once.id)).toEqual(
      refused(once.id, 'ONCE-EACH', 'CODE_MEMBER_LIMIT_REACHED'),
    );
    // A guest cannot be counted: README "A guest gets MEMBERS_ONLY: a per-member limit needs to know the member".
    expect(about(await quote(app, cart(undefined, ['once-each'])), once.id)).toEqual(refused(once.id, 'ONCE-EACH', 'MEMBERS_ONLY'));
    expect(await codesOf(once.id)).toMatchObject([{ code: 'ONCE-EACH', uses: 2, perMemberLimit: 1 }]);
  });
});

describe('single-use codes', () => {
  it('a second use is CODE_ALREADY_USED, for the member who used it and for everyone else', async () => {
    const single = await offer({ name: 'Single use', effect: { amountOff: { amount: 500 } } });
    await createCode({ offerId: single.id, code: 'ONLY-ONCE', maxUses: 1 });
    const [a, b] = [await newMember(), await newMember()];
    expect(about(await order(a.globalId, ['only-once']), single.id)).toEqual(applied(500, 'ONLY-ONCE'));
    expect(about(await quote(app, cart(a.globalId, ['only-once'])), single.id)).toEqual(
      refused(single.id, 'ONLY-ONCE', 'CODE_ALREADY_USED'),
    );
    expect(about(await quote(app, cart(b.globalId, ['only-once'])), single.id)).toEqual(
      refused(single.id, 'ONLY-ONCE', 'CODE_ALREADY_USED'),
    );
    expect(about(await quote(app, cart(undefined, ['only-once'])), single.id)).toEqual(
      refused(single.id, 'ONLY-ONCE', 'CODE_ALREADY_USED'),
    );
    const second = await order(b.globalId, ['only-once']);
    expect(about(second, single.id)).toEqual(refused(single.id, 'ONLY-ONCE', 'CODE_ALREADY_USED'));
    expect(await codesOf(single.id)).toMatchObject([{ code: 'ONLY-ONCE', uses: 1, maxUses: 1 }]);
  });
});

describe('what a code checks', () => {
  it('each code has its own minimum basket: BELOW_THRESHOLD with that threshold', async () => {
    const shared = await offer({ name: 'Two thresholds', effect: { amountOff: { amount: 300 } } });
    await createCode({ offerId: shared.id, code: 'FROM10', minimumSpend: 1000 });
    await createCode({ offerId: shared.id, code: 'FROM30', minimumSpend: 3000 });
    const member = await newMember();
    expect(about(await quote(app, cart(member.globalId, ['from10'], 999)), shared.id)).toEqual(
      refused(shared.id, 'FROM10', 'BELOW_THRESHOLD', 1000),
    );
    expect(about(await quote(app, cart(member.globalId, ['from10'], 1000)), shared.id)).toEqual(applied(300, 'FROM10'));
    expect(about(await quote(app, cart(member.globalId, ['from30'], 2000)), shared.id)).toEqual(
      refused(shared.id, 'FROM30', 'BELOW_THRESHOLD', 3000),
    );
    expect(about(await quote(app, cart(member.globalId, ['from30'], 2999)), shared.id)).toEqual(
      refused(shared.id, 'FROM30', 'BELOW_THRESHOLD', 3000),
    );
    expect(about(await quote(app, cart(member.globalId, ['from30'], 3000)), shared.id)).toEqual(applied(300, 'FROM30'));
    expect(about(await quote(app, cart(undefined, ['from30'], 500)), shared.id)).toEqual(
      refused(shared.id, 'FROM30', 'BELOW_THRESHOLD', 3000),
    );
    // The threshold is on the cart total before discounts, shipping included.
    expect(
      about(await quote(app, { memberId: member.globalId, total: 3200, lines: [line('BEANS', 1, 2900)], codes: ['FROM30'] }), shared.id),
    ).toEqual(applied(300, 'FROM30'));
  });

  it('an expired code is CODE_EXPIRED', async () => {
    const expiring = await offer({ name: 'Expiring' });
    await createCode({ offerId: expiring.id, code: 'UNTIL-NOV30', expiresAt: '2026-11-30T00:00:00Z' });
    await createCode({ offerId: expiring.id, code: 'LAST-WEEK', expiresAt: '2026-11-16T00:00:00Z' });
    const member = await newMember();
    expect(about(await quote(app, cart(member.globalId, ['until-nov30'])), expiring.id)).toEqual(applied(200, 'UNTIL-NOV30'));
    expect(about(await quote(app, cart(member.globalId, ['last-week'])), expiring.id)).toEqual(
      refused(expiring.id, 'LAST-WEEK', 'CODE_EXPIRED'),
    );
    expect(about(await quote(app, cart(undefined, ['last-week'])), expiring.id)).toEqual(refused(expiring.id, 'LAST-WEEK', 'CODE_EXPIRED'));
    app.clock.set('2026-11-29T23:59:59Z');
    expect(about(await quote(app, cart(member.globalId, ['until-nov30'])), expiring.id)).toEqual(applied(200, 'UNTIL-NOV30'));
    app.clock.set('2026-12-01T00:00:00Z');
    expect(about(await quote(app, cart(member.globalId, ['until-nov30'])), expiring.id)).toEqual(
      refused(expiring.id, 'UNTIL-NOV30', 'CODE_EXPIRED'),
    );
    const late = await order(member.globalId, ['until-nov30']);
    expect(about(late, expiring.id)).toEqual(refused(expiring.id, 'UNTIL-NOV30', 'CODE_EXPIRED'));
    expect(await codesOf(expiring.id)).toMatchObject([
      { code: 'UNTIL-NOV30', uses: 0 },
      { code: 'LAST-WEEK', uses: 0 },
    ]);
  });

  it('codes are stored upper case and matched case-insensitively, trimmed', async () => {
    const save = await offer({ name: 'Save 10' });
    expect(await createCode({ offerId: save.id, code: 'Save10' })).toMatchObject({ code: 'SAVE10' });
    const member = await newMember();
    for (const entered of ['save10', ' SAVE10 ', 'sAvE10', 'SAVE10']) {
      expect(about(await quote(app, cart(member.globalId, [entered])), save.id), entered).toEqual(applied(200, 'SAVE10'));
    }
    // The same code entered twice in different spellings is still one code: one discount.
    const twice = await quote(app, cart(member.globalId, ['save10', ' SAVE10 ']));
    expect(twice.appliedOffers.filter((entry: Record<string, any>) => entry.offer?.id === save.id)).toHaveLength(1);
    expect(twice.discount.amount).toBe(200);
  });

  it('an unknown code is UNKNOWN_CODE, with no offer', async () => {
    const member = await newMember();
    const quoted = await quote(app, cart(member.globalId, ['nope-123']));
    expect(quoted.notApplied).toContainEqual({ offerId: null, tierId: null, code: 'NOPE-123', reason: 'UNKNOWN_CODE', threshold: null });
    expect(quoted.discount.amount).toBe(0);
  });

  it('two codes of the same offer in one cart: the second is DUPLICATE_CODE_FOR_OFFER, the offer applies once', async () => {
    const twin = await offer({ name: 'Twin codes' });
    await createCode({ offerId: twin.id, code: 'TWIN-A' });
    await createCode({ offerId: twin.id, code: 'TWIN-B' });
    const member = await newMember();
    const quoted = await quote(app, cart(member.globalId, ['twin-a', 'twin-b']));
    expect(about(quoted, twin.id)).toEqual({
      applied: [{ discount: 200, code: 'TWIN-A' }],
      notApplied: [{ offerId: twin.id, tierId: null, code: 'TWIN-B', reason: 'DUPLICATE_CODE_FOR_OFFER', threshold: null }],
    });
    expect(quoted.discount.amount).toBe(200);
    const recorded = await order(member.globalId, ['twin-b', 'twin-a']);
    expect(about(recorded, twin.id)).toEqual({
      applied: [{ discount: 200, code: 'TWIN-B' }],
      notApplied: [{ offerId: twin.id, tierId: null, code: 'TWIN-A', reason: 'DUPLICATE_CODE_FOR_OFFER', threshold: null }],
    });
    expect(await codesOf(twin.id)).toMatchObject([
      { code: 'TWIN-A', uses: 0 },
      { code: 'TWIN-B', uses: 1 },
    ]);
  });

  it('a codeRequired offer does not apply without a code and is not listed in notApplied', async () => {
    const needsCode = await offer({ name: 'Needs a code' });
    await createCode({ offerId: needsCode.id, code: 'OPEN-SESAME' });
    const member = await newMember();
    for (const memberId of [member.globalId, undefined]) {
      const withoutCode = await quote(app, cart(memberId, []));
      expect(about(withoutCode, needsCode.id)).toEqual({ applied: [], notApplied: [] });
      expect(withoutCode.discount.amount).toBe(0);
    }
    expect(about(await order(member.globalId, []), needsCode.id)).toEqual({ applied: [], notApplied: [] });
    expect(await offerStats(app, needsCode.id)).toMatchObject({ redemptions: 0 });
    expect(about(await quote(app, cart(member.globalId, ['open-sesame'])), needsCode.id)).toEqual(applied(200, 'OPEN-SESAME'));
  });

  it('a code of an automatic offer applies it once and counts the code use', async () => {
    const automatic = await offer({ name: 'Automatic with code', codeRequired: false, effect: { amountOff: { amount: 100 } } });
    await createCode({ offerId: automatic.id, code: 'AUTO-TRACK' });
    const member = await newMember();
    expect(about(await quote(app, cart(member.globalId, [])), automatic.id)).toEqual(applied(100, null));
    const recorded = await order(member.globalId, ['auto-track']);
    expect(about(recorded, automatic.id)).toEqual(applied(100, 'AUTO-TRACK'));
    expect(recorded.discount.amount).toBe(100);
    expect(await codesOf(automatic.id)).toMatchObject([{ code: 'AUTO-TRACK', uses: 1 }]);
    expect(await offerStats(app, automatic.id)).toMatchObject({ redemptions: 1, discountGiven: 100 });
  });
});

describe('how codes and their offers are checked together', () => {
  it('a code is checked in the documented order: expired, used up, assigned to someone else, per-member limit, below its minimum', async () => {
    const ordered = await offer({ name: 'Check order', effect: { amountOff: { amount: 100 } } });
    const [a, b] = [await newMember(), await newMember()];
    await createCode({ offerId: ordered.id, code: 'USED-EXPIRED', maxUses: 1, expiresAt: '2026-11-25T00:00:00Z' });
    await createCode({ offerId: ordered.id, code: 'USED-ASSIGNED', maxUses: 1, assignedMemberId: a.globalId, minimumSpend: 5000 });
    await createCode({ offerId: ordered.id, code: 'ASSIGNED-SMALL', assignedMemberId: a.globalId, minimumSpend: 5000 });
    await createCode({ offerId: ordered.id, code: 'LIMIT-SMALL', perMemberLimit: 1, minimumSpend: 1000 });
    expect(about(await order(a.globalId, ['used-expired']), ordered.id)).toEqual(applied(100, 'USED-EXPIRED'));
    expect(about(await order(a.globalId, ['used-assigned'], 6000), ordered.id)).toEqual(applied(100, 'USED-ASSIGNED'));
    expect(about(await order(a.globalId, ['limit-small'], 1000), ordered.id)).toEqual(applied(100, 'LIMIT-SMALL'));
    app.clock.set('2026-11-26T00:00:00Z');
    expect(about(await quote(app, cart(a.globalId, ['used-expired'])), ordered.id)).toEqual(
      refused(ordered.id, 'USED-EXPIRED', 'CODE_EXPIRED'),
    );
    expect(about(await quote(app, cart(b.globalId, ['used-assigned'], 100)), ordered.id)).toEqual(
      refused(ordered.id, 'USED-ASSIGNED', 'CODE_ALREADY_USED'),
    );
    expect(about(await quote(app, cart(b.globalId, ['assigned-small'], 100)), ordered.id)).toEqual(
      refused(ordered.id, 'ASSIGNED-SMALL', 'CODE_ASSIGNED_TO_ANOTHER_MEMBER'),
    );
    expect(about(await quote(app, cart(a.globalId, ['limit-small'], 100)), ordered.id)).toEqual(
      refused(ordered.id, 'LIMIT-SMALL', 'CODE_MEMBER_LIMIT_REACHED'),
    );
    expect(about(await quote(app, cart(b.globalId, ['limit-small'], 100)), ordered.id)).toEqual(
      refused(ordered.id, 'LIMIT-SMALL', 'BELOW_THRESHOLD', 1000),
    );
  });

  it("a usable code brings its offer in; the offer's own window, limits and conditions then refuse it, naming the code", async () => {
    const later = await offer({ name: 'Starts later (code)', startsAt: '2026-12-01T00:00:00Z' });
    const capped = await offer({ name: 'Capped (code)', maxRedemptions: 1, effect: { amountOff: { amount: 100 } } });
    const bigBasket = await offer({
      name: 'Offer minimum above code minimum',
      conditions: { minimumSpend: 3000 },
      effect: { amountOff: { amount: 100 } },
    });
    const members = await offer({
      name: 'Members only (code)',
      conditions: { audience: 'MEMBERS' },
      effect: { amountOff: { amount: 100 } },
    });
    await createCode({ offerId: later.id, code: 'LATER' });
    await createCode({ offerId: capped.id, code: 'CAPPED' });
    await createCode({ offerId: bigBasket.id, code: 'BIG-BASKET', minimumSpend: 1000 });
    await createCode({ offerId: members.id, code: 'MEMBERS-CODE' });
    const [a, b] = [await newMember(), await newMember()];
    expect(about(await order(a.globalId, ['capped']), capped.id)).toEqual(applied(100, 'CAPPED'));
    const quoted = await quote(app, cart(b.globalId, ['later', 'capped', 'big-basket'], 2000));
    expect(about(quoted, later.id)).toEqual(refused(later.id, 'LATER', 'NOT_STARTED'));
    expect(about(quoted, capped.id)).toEqual(refused(capped.id, 'CAPPED', 'LIMIT_REACHED'));
    expect(about(quoted, bigBasket.id)).toEqual(refused(bigBasket.id, 'BIG-BASKET', 'BELOW_THRESHOLD', 3000));
    expect(quoted.discount.amount).toBe(0);
    expect(about(await quote(app, cart(undefined, ['members-code'])), members.id)).toEqual(
      refused(members.id, 'MEMBERS-CODE', 'MEMBERS_ONLY'),
    );
    expect(about(await quote(app, cart(b.globalId, ['members-code'])), members.id)).toEqual(applied(100, 'MEMBERS-CODE'));
    app.clock.set('2026-12-01T00:00:00Z');
    expect(about(await quote(app, cart(b.globalId, ['later'])), later.id)).toEqual(applied(200, 'LATER'));
  });

  it('an unusable code does not stop a usable code of the same offer entered after it', async () => {
    const pair = await offer({ name: 'Expired then good' });
    await createCode({ offerId: pair.id, code: 'PAIR-OLD', expiresAt: '2026-11-01T00:00:00Z' });
    await createCode({ offerId: pair.id, code: 'PAIR-NEW' });
    const member = await newMember();
    const quoted = await quote(app, cart(member.globalId, ['pair-old', 'pair-new']));
    expect(about(quoted, pair.id)).toEqual({
      applied: [{ discount: 200, code: 'PAIR-NEW' }],
      notApplied: [{ offerId: pair.id, tierId: null, code: 'PAIR-OLD', reason: 'CODE_EXPIRED', threshold: null }],
    });
  });

  it("a full refund gives a member's code use back; a partial refund does not", async () => {
    const once = await offer({ name: 'Code once each (refunds)', effect: { amountOff: { amount: 100 } } });
    await createCode({ offerId: once.id, code: 'REFUND-ONCE', perMemberLimit: 1 });
    const member = await newMember();
    const used = await recordOrder(app, {
      memberId: member.globalId,
      total: 2000,
      lines: [line('BEANS', 2, 1000)],
      codes: ['refund-once'],
    });
    expect(about(used, once.id)).toEqual(applied(100, 'REFUND-ONCE'));
    expect(await refundOrder(app, { orderId: used.orderId, lines: [{ sku: 'BEANS', quantity: 1 }] })).toMatchObject({
      offersReleased: false,
    });
    expect(about(await quote(app, cart(member.globalId, ['refund-once'])), once.id)).toEqual(
      refused(once.id, 'REFUND-ONCE', 'CODE_MEMBER_LIMIT_REACHED'),
    );
    expect(await refundOrder(app, { orderId: used.orderId, amount: 950 })).toMatchObject({ offersReleased: true });
    expect(about(await quote(app, cart(member.globalId, ['refund-once'])), once.id)).toEqual(applied(100, 'REFUND-ONCE'));
    expect(await codesOf(once.id)).toMatchObject([{ code: 'REFUND-ONCE', uses: 0 }]);
  });
});

describe('assigned codes', () => {
  it('only the member it is assigned to may use it: another member gets CODE_ASSIGNED_TO_ANOTHER_MEMBER, a guest MEMBERS_ONLY', async () => {
    const personal = await offer({ name: 'Personal' });
    const [a, b] = [await newMember(), await newMember()];
    expect(await createCode({ offerId: personal.id, code: 'FOR-A', assignedMemberId: a.globalId })).toMatchObject({
      code: 'FOR-A',
      assignedMemberId: a.globalId,
    });
    await createCode({ offerId: personal.id, code: 'LATER-A' });
    const assigned = await app.graphql(
      ASSIGN_CODE,
      { input: { code: 'later-a', memberId: a.globalId } },
      await app.token({ role: 'admin' }),
    );
    expect(assigned.data?.assignPromoCode).toEqual({
      __typename: 'AssignPromoCodePayload',
      promoCode: { code: 'LATER-A', assignedMemberId: a.globalId },
    });

    for (const code of ['FOR-A', 'LATER-A']) {
      expect(about(await quote(app, cart(b.globalId, [code])), personal.id), code).toEqual(
        refused(personal.id, code, 'CODE_ASSIGNED_TO_ANOTHER_MEMBER'),
      );
      expect(about(await quote(app, cart(undefined, [code])), personal.id), code).toEqual(refused(personal.id, code, 'MEMBERS_ONLY'));
      expect(about(await quote(app, cart(a.globalId, [code])), personal.id), code).toEqual(applied(200, code));
    }
    expect(about(await order(b.globalId, ['for-a']), personal.id)).toEqual(
      refused(personal.id, 'FOR-A', 'CODE_ASSIGNED_TO_ANOTHER_MEMBER'),
    );
    expect(about(await order(a.globalId, ['for-a']), personal.id)).toEqual(applied(200, 'FOR-A'));
    expect(await codesOf(personal.id)).toMatchObject([
      { code: 'FOR-A', uses: 1 },
      { code: 'LATER-A', uses: 0 },
    ]);
  });

  it('assignPromoCode: unknown code is PromoCodeNotFoundError, unknown member MemberNotFound', async () => {
    const admin = await app.token({ role: 'admin' });
    const member = await newMember();
    const unknownCode = await app.graphql(ASSIGN_CODE, { input: { code: 'NO-SUCH-CODE', memberId: member.globalId } }, admin);
    expect(unknownCode.data?.assignPromoCode).toMatchObject({ __typename: 'PromoCodeNotFoundError', code: 'PROMO_CODE_NOT_FOUND' });
    const personal = await offer({ name: 'Assign errors' });
    await createCode({ offerId: personal.id, code: 'ASSIGN-ME' });
    const globexMember = await enroll(app, { email: 'globex-assign@example.com' }, await app.token({ role: 'admin', programId: 'globex' }));
    const foreign = await app.graphql(ASSIGN_CODE, { input: { code: 'ASSIGN-ME', memberId: globexMember.globalId } }, admin);
    expect(foreign.data?.assignPromoCode.__typename, JSON.stringify(foreign)).toBe('MemberNotFoundError');
    const created = await createCodeOrError(app, { offerId: personal.id, code: 'FOREIGN-HOLDER', assignedMemberId: globexMember.globalId });
    expect(created.__typename, JSON.stringify(created)).toBe('MemberNotFoundError');
    expect(await codesOf(personal.id)).toMatchObject([{ code: 'ASSIGN-ME', assignedMemberId: null }]);
  });
});

describe('createPromoCode errors', () => {
  it('a code that exists in any case is DuplicatePromoCodeError; the same text in another program is fine', async () => {
    const first = await offer({ name: 'Summer' });
    const second = await offer({ name: 'Other summer' });
    await createCode({ offerId: first.id, code: 'Summer' });
    for (const [offerId, code] of [
      [first.id, 'SUMMER'],
      [second.id, 'summer'],
      [second.id, ' Summer '],
    ] as const) {
      const duplicate = await createCodeOrError(app, { offerId, code });
      expect(duplicate, code).toMatchObject({ __typename: 'DuplicatePromoCodeError', code: 'DUPLICATE_PROMO_CODE', value: 'SUMMER' });
    }
    expect(await codesOf(first.id)).toHaveLength(1);
    expect(await codesOf(second.id)).toHaveLength(0);

    const globex = await app.token({ role: 'admin', programId: 'globex' });
    const globexOffer = await createOffer(
      app,
      { name: 'Globex summer', codeRequired: true, effect: { percentOff: { basisPoints: 500 } } },
      globex,
    );
    const globexCode = await app.graphql(CREATE_CODE, { input: { offerId: globexOffer.id, code: 'summer' } }, globex);
    expect(globexCode.data?.createPromoCode).toMatchObject({ __typename: 'PromoCodePayload', promoCode: { code: 'SUMMER' } });
    // Each program's SUMMER unlocks its own offer.
    expect(about(await quote(app, cart(undefined, ['summer'])), first.id)).toEqual(applied(200, 'SUMMER'));
    const inGlobex = await quote(app, cart(undefined, ['summer']), await app.token({ role: 'storefront', programId: 'globex' }));
    expect(inGlobex.appliedOffers).toEqual([
      expect.objectContaining({ offer: { id: globexOffer.id, name: 'Globex summer' }, code: 'SUMMER', discount: 100 }),
    ]);
    const archived = await app.graphql(UPDATE_OFFER, { input: { id: globexOffer.id, status: 'ARCHIVED' } }, globex);
    expect(archived.data?.updateOffer.__typename).toBe('OfferPayload');
  });

  it('bad code text is InvalidInputError; nothing is created', async () => {
    const target = await offer({ name: 'Bad codes' });
    for (const code of ['ab', '  ', 'HAS SPACE', 'BAD!CODE', 'ÄPFEL', 'X'.repeat(65), 'semi;colon', 'comma,code']) {
      const result = await createCodeOrError(app, { offerId: target.id, code });
      expect(result.__typename, `${code}: ${JSON.stringify(result)}`).toBe('InvalidInputError');
      expect(result.issues.length).toBeGreaterThan(0);
    }
    for (const input of [{ maxUses: 0 }, { perMemberLimit: 0 }, { minimumSpend: -1 }, { maxUses: -3 }]) {
      const result = await createCodeOrError(app, { offerId: target.id, code: 'GOOD-TEXT', ...input });
      expect(result.__typename, JSON.stringify(input)).toBe('InvalidInputError');
    }
    expect(await codesOf(target.id)).toEqual([]);
  });

  it("an unknown offer (or another program's, or not an offer id) is OfferNotFoundError", async () => {
    const member = await newMember();
    const globexOffer = await createOffer(
      app,
      { name: 'Globex only', codeRequired: true, effect: { percentOff: { basisPoints: 500 } } },
      await app.token({ role: 'admin', programId: 'globex' }),
    );
    const live = await offer({ name: 'Real offer' });
    const unknownId = live.id.replace(/.$/, (last: string) => (last === 'A' ? 'B' : 'A'));
    for (const offerId of [globexOffer.id, member.globalId, 'garbage', unknownId]) {
      const result = await createCodeOrError(app, { offerId, code: 'ORPHAN' });
      expect(result, offerId).toMatchObject({ __typename: 'OfferNotFoundError', code: 'OFFER_NOT_FOUND' });
      const batch = await app.graphql(GENERATE_CODES, { input: { offerId, count: 3 } }, await app.token({ role: 'admin' }));
      expect(batch.data?.generatePromoCodes, offerId).toMatchObject({ __typename: 'OfferNotFoundError' });
    }
    const archived = await app.graphql(
      UPDATE_OFFER,
      { input: { id: globexOffer.id, status: 'ARCHIVED' } },
      await app.token({ role: 'admin', programId: 'globex' }),
    );
    expect(archived.data?.updateOffer.__typename).toBe('OfferPayload');
    const orphan = await quote(app, cart(undefined, ['orphan']));
    expect(orphan.notApplied).toContainEqual({ offerId: null, tierId: null, code: 'ORPHAN', reason: 'UNKNOWN_CODE', threshold: null });
  });
});

describe('generated batches', () => {
  const BATCH = `query($id: ID!, $first: Int, $after: String) { node(id: $id) { __typename id ... on PromoCodeBatch { prefix count csv
    codes(first: $first, after: $after) { edges { cursor node { code maxUses uses expiresAt } } pageInfo { hasNextPage endCursor } } } } }`;
  const RANDOM = /^BF-[2346789ABCDEFGHJKMNPQRTUVWXYZ]{10}$/;

  it('250 unique single-use BF- codes from the alphabet without look-alikes, paginated and exported as CSV', async () => {
    const admin = await app.token({ role: 'admin' });
    const black = await offer({ name: 'Black Friday batch', effect: { amountOff: { amount: 500 } } });
    const generated = await app.graphql(GENERATE_CODES, { input: { offerId: black.id, count: 250, prefix: 'BF-' } }, admin);
    expect(generated.errors, JSON.stringify(generated.errors)).toBeUndefined();
    const batch = generated.data!.generatePromoCodes;
    expect(batch.__typename, JSON.stringify(batch)).toBe('GeneratePromoCodesPayload');
    expect(batch.batch).toMatchObject({ prefix: 'BF-', count: 250 });
    expect(batch.batch.codes.edges).toHaveLength(100);
    expect(batch.batch.codes.pageInfo.hasNextPage).toBe(true);

    // Page through the batch by node(id).
    const seen: Array<{ code: string; maxUses: number; uses: number; expiresAt: string | null }> = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: GraphQLResponse = await app.graphql(BATCH, { id: batch.batch.id, first: 100, after }, admin);
      expect(page.errors, JSON.stringify(page.errors)).toBeUndefined();
      expect(page.data!.node).toMatchObject({ __typename: 'PromoCodeBatch', id: batch.batch.id, prefix: 'BF-', count: 250 });
      const connection: { edges: Array<{ node: any }>; pageInfo: { hasNextPage: boolean; endCursor: string } } = page.data!.node.codes;
      seen.push(...connection.edges.map((edge: { node: any }) => edge.node));
      pages++;
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
      expect(pages).toBeLessThan(10);
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(250);
    const codes = seen.map((code) => code.code);
    expect(new Set(codes).size).toBe(250);
    for (const code of seen) {
      expect(code.code).toMatch(RANDOM);
      expect(code).toMatchObject({ maxUses: 1, uses: 0, expiresAt: null });
    }
    expect(seen.slice(0, 100).map((code) => code.code)).toEqual(
      batch.batch.codes.edges.map((edge: { node: { code: string } }) => edge.node.code),
    );
    // Smaller pages reach the same codes.
    const firstFive = await app.graphql(BATCH, { id: batch.batch.id, first: 5 }, admin);
    expect(firstFive.data!.node.codes.edges.map((edge: { node: { code: string } }) => edge.node.code)).toEqual(codes.slice(0, 5));
    const nextFive = await app.graphql(
      BATCH,
      { id: batch.batch.id, first: 5, after: firstFive.data!.node.codes.pageInfo.endCursor },
      admin,
    );
    expect(nextFive.data!.node.codes.edges.map((edge: { node: { code: string } }) => edge.node.code)).toEqual(codes.slice(5, 10));
    // The offer lists them too.
    const offerCodes = await app.graphql(
      `query($id: ID!, $first: Int) { node(id: $id) { ... on Offer { codes(first: $first) { pageInfo { hasNextPage } } } } }`,
      { id: black.id, first: 100 },
      admin,
    );
    expect(offerCodes.data!.node.codes.pageInfo.hasNextPage).toBe(true);

    // CSV: header and one row per code, RFC 4180 line ends.
    const csv: string = batch.batch.csv;
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = csv.slice(0, -2).split('\r\n');
    expect(rows[0]).toBe('code,uses,max_uses,expires_at');
    expect(rows).toHaveLength(251);
    const csvCodes = rows.slice(1).map((row) => row.split(','));
    for (const fields of csvCodes) {
      expect(fields).toHaveLength(4);
      expect(fields[0]).toMatch(RANDOM);
      expect(fields.slice(1)).toEqual(['0', '1', '']);
    }
    expect(new Set(csvCodes.map((fields) => fields[0]))).toEqual(new Set(codes));

    // One code used: its row shows 1 use, and it cannot be used again.
    const used = codes[137]!;
    const member = await newMember();
    const recorded = await order(member.globalId, [used.toLowerCase()]);
    expect(about(recorded, black.id)).toEqual(applied(500, used));
    const after1 = await app.graphql(BATCH, { id: batch.batch.id, first: 1 }, admin);
    const rowsAfter = (after1.data!.node.csv as string).trim().split('\r\n');
    expect(rowsAfter).toHaveLength(251);
    expect(rowsAfter.filter((row) => row === `${used},1,1,`)).toHaveLength(1);
    expect(rowsAfter.filter((row) => row.endsWith(',0,1,'))).toHaveLength(249);
    expect(about(await quote(app, cart((await newMember()).globalId, [used])), black.id)).toEqual(
      refused(black.id, used, 'CODE_ALREADY_USED'),
    );
    // Another code of the batch still works.
    expect(about(await quote(app, cart(member.globalId, [codes[0]!])), black.id)).toEqual(applied(500, codes[0]!));
  });

  it('length, lower-case prefix, expiry and minimum spend apply to every code of a batch', async () => {
    const admin = await app.token({ role: 'admin' });
    const small = await offer({ name: 'Small batch' });
    const generated = await app.graphql(
      GENERATE_CODES,
      { input: { offerId: small.id, count: 5, prefix: 'xmas', length: 6, minimumSpend: 1500, expiresAt: '2026-12-26T00:00:00Z' } },
      admin,
    );
    expect(generated.errors, JSON.stringify(generated.errors)).toBeUndefined();
    expect(generated.data!.generatePromoCodes.__typename, JSON.stringify(generated.data)).toBe('GeneratePromoCodesPayload');
    const batch = generated.data!.generatePromoCodes.batch;
    expect(batch).toMatchObject({ prefix: 'XMAS', count: 5 });
    const codes = batch.codes.edges.map((edge: { node: { code: string } }) => edge.node.code) as string[];
    expect(codes).toHaveLength(5);
    for (const code of codes) expect(code).toMatch(/^XMAS[2346789ABCDEFGHJKMNPQRTUVWXYZ]{6}$/);
    expect(
      batch.csv
        .trim()
        .split('\r\n')
        .slice(1)
        .every((row: string) => row.endsWith(',0,1,2026-12-26T00:00:00.000Z')),
    ).toBe(true);
    expect(about(await quote(app, cart(undefined, [codes[0]!], 1400)), small.id)).toEqual(
      refused(small.id, codes[0]!, 'BELOW_THRESHOLD', 1500),
    );
    expect(about(await quote(app, cart(undefined, [codes[0]!], 1500)), small.id)).toEqual(applied(150, codes[0]!));
    app.clock.set('2026-12-27T00:00:00Z');
    expect(about(await quote(app, cart(undefined, [codes[0]!], 1500)), small.id)).toEqual(refused(small.id, codes[0]!, 'CODE_EXPIRED'));
  });

  it('the largest batch, 10,000 codes, is generated whole and unique', async () => {
    const admin = await app.token({ role: 'admin' });
    const big = await offer({ name: 'Big batch' });
    const generated = await app.graphql(GENERATE_CODES, { input: { offerId: big.id, count: 10_000, prefix: 'BIG' }, first: 1 }, admin);
    expect(generated.errors, JSON.stringify(generated.errors)).toBeUndefined();
    const batch = generated.data!.generatePromoCodes.batch;
    expect(batch.count).toBe(10_000);
    const rows = (batch.csv as string).trim().split('\r\n').slice(1);
    expect(rows).toHaveLength(10_000);
    const codes = rows.map((row) => row.split(',')[0]!);
    expect(new Set(codes).size).toBe(10_000);
    expect(codes.every((code) => /^BIG[2346789ABCDEFGHJKMNPQRTUVWXYZ]{10}$/.test(code))).toBe(true);
  });

  it('count outside 1..10,000 or a bad prefix is InvalidInputError', async () => {
    const admin = await app.token({ role: 'admin' });
    const target = await offer({ name: 'Bad batches' });
    // A prefix must be code text itself ([A-Z0-9_-], as createPromoCode takes it).
    for (const input of [{ count: 0 }, { count: -1 }, { count: 10_001 }, { count: 5, prefix: 'BAD PREFIX' }, { count: 5, prefix: 'BF!' }]) {
      const result = await app.graphql(GENERATE_CODES, { input: { offerId: target.id, ...input } }, admin);
      expect(result.data?.generatePromoCodes.__typename, JSON.stringify(input)).toBe('InvalidInputError');
    }
    expect(await codesOf(target.id)).toEqual([]);
  });

  it('a batch is admin-only and stays in its program', async () => {
    const admin = await app.token({ role: 'admin' });
    const target = await offer({ name: 'Private batch' });
    const generated = await app.graphql(GENERATE_CODES, { input: { offerId: target.id, count: 2 } }, admin);
    const batchId = generated.data!.generatePromoCodes.batch.id as string;
    const read = `query($id: ID!) { node(id: $id) { id ... on PromoCodeBatch { csv } } }`;
    const globex = await app.graphql(read, { id: batchId }, await app.token({ role: 'admin', programId: 'globex' }));
    expect(globex.errors, JSON.stringify(globex.errors)).toBeUndefined();
    expect(globex.data?.node).toBeNull();
    for (const role of ['storefront', 'member'] as const) {
      const member = await newMember();
      const token = await app.token({ role, ...(role === 'member' ? { subject: member.memberId } : {}) });
      const response = await app.graphql(read, { id: batchId }, token);
      expect(response.data?.node ?? null, role).toBeNull();
      expect(response.errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
    }
  });
});

describe('authorization from the outside', () => {
  let ada: { globalId: string; memberId: string };
  let bob: { globalId: string; memberId: string };
  let shared: { id: string };
  const tokens: Record<string, string> = {};
  const OFFERS = `query($first: Int = 100) { offers(first: $first) { edges { node { id } } } }`;

  beforeAll(async () => {
    ada = await enroll(app, { email: 'auth-ada@example.com' });
    bob = await enroll(app, { email: 'auth-bob@example.com' });
    tokens.admin = await app.token({ role: 'admin' });
    tokens.storefront = await app.token({ role: 'storefront' });
    tokens.member = await app.token({ role: 'member', subject: ada.memberId });
    tokens.partner = await app.token({ role: 'partner', partnerId: 'beans-inc' });
    tokens.anonymous = '';
  });

  const adminOnly = () => [
    { name: 'createOffer', query: CREATE_OFFER, variables: { input: { name: 'Sneaky', effect: { percentOff: { basisPoints: 10_000 } } } } },
    { name: 'updateOffer', query: UPDATE_OFFER, variables: { input: { id: shared.id, name: 'Hacked', status: 'PAUSED' } } },
    { name: 'createPromoCode', query: CREATE_CODE, variables: { input: { offerId: shared.id, code: 'SNEAKY' } } },
    { name: 'generatePromoCodes', query: GENERATE_CODES, variables: { input: { offerId: shared.id, count: 5 } } },
    { name: 'assignPromoCode', query: ASSIGN_CODE, variables: { input: { code: 'AUTH-SHARED', memberId: ada.globalId } } },
  ];

  it('only an admin may create or change offers and codes; every other token is refused and nothing changes', async () => {
    shared = await offer({ name: 'Auth shared' });
    await createCode({ offerId: shared.id, code: 'AUTH-SHARED' });
    const before = await app.graphql(OFFERS, {}, tokens.admin);
    const codesBefore = await codesOf(shared.id);
    for (const role of ['storefront', 'member', 'partner', 'anonymous'] as const) {
      for (const operation of adminOnly()) {
        const response = await app.graphql(operation.query, operation.variables, tokens[role] || undefined);
        const field = Object.keys(response.data ?? {})[0];
        expect(response.errors?.[0]?.extensions?.code, `${role} → ${operation.name}`).toBe(
          role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN',
        );
        expect(field === undefined ? null : response.data![field], `${role} → ${operation.name}`).toBeNull();
      }
    }
    expect(await app.graphql(OFFERS, {}, tokens.admin)).toEqual(before);
    expect(await codesOf(shared.id)).toEqual(codesBefore);
    const offerNow = await app.graphql(
      `query($id: ID!) { node(id: $id) { ... on Offer { name status } } }`,
      { id: shared.id },
      tokens.admin,
    );
    expect(offerNow.data?.node).toEqual({ name: 'Auth shared', status: 'ACTIVE' });
  });

  it('a member token quotes for itself (memberId omitted or its own) but not for another member', async () => {
    const membersOnly = await offer({
      name: 'Members only (auth)',
      codeRequired: false,
      conditions: { audience: 'MEMBERS' },
      effect: { amountOff: { amount: 100 } },
    });
    const personal = await offer({ name: 'Ada personal (auth)' });
    await createCode({ offerId: personal.id, code: 'ADA-ONLY', assignedMemberId: ada.globalId });

    const own = await quote(app, cart(undefined, ['ada-only']), tokens.member);
    expect(about(own, membersOnly.id)).toEqual(applied(100, null));
    expect(about(own, personal.id)).toEqual(applied(190, 'ADA-ONLY'));
    const explicit = await quote(app, cart(ada.globalId, ['ada-only']), tokens.member);
    expect(about(explicit, personal.id)).toEqual(applied(190, 'ADA-ONLY'));

    const forBob = await app.graphql(QUOTE, { cart: { currency: 'EUR', ...cart(bob.globalId, ['ada-only']) } }, tokens.member);
    expect(forBob.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(forBob.data?.quote ?? null).toBeNull();

    // A storefront without memberId quotes a guest.
    const guest = await quote(app, cart(undefined, ['ada-only']));
    expect(about(guest, membersOnly.id)).toEqual(refused(membersOnly.id, null, 'MEMBERS_ONLY'));
    expect(about(guest, personal.id)).toEqual(refused(personal.id, 'ADA-ONLY', 'MEMBERS_ONLY'));

    // Recording is for admins and storefronts only: a member cannot record its own order.
    const selfOrder = await app.graphql(
      RECORD_CHECKOUT,
      {
        input: {
          currency: 'EUR',
          memberId: ada.globalId,
          orderId: 'member-self-order',
          idempotencyKey: 'member-self-order',
          total: 2000,
          lines: [line('BEANS', 1, 2000)],
          codes: ['ada-only'],
        },
      },
      tokens.member,
    );
    expect(selfOrder.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(selfOrder.data?.recordOrder ?? null).toBeNull();
    expect(await codesOf(personal.id)).toMatchObject([{ code: 'ADA-ONLY', uses: 0 }]);

    for (const [role, code] of [
      ['anonymous', 'UNAUTHENTICATED'],
      ['partner', 'FORBIDDEN'],
    ] as const) {
      const response = await app.graphql(QUOTE, { cart: { currency: 'EUR', ...cart(undefined, []) } }, tokens[role] || undefined);
      expect(response.errors?.[0]?.extensions?.code, role).toBe(code);
      expect(response.data?.quote ?? null, role).toBeNull();
    }
  });

  it('a member may read an offer but not its stats or codes; a storefront may not read stats or codes either', async () => {
    const target = await offer({ name: 'Stats are private' });
    await createCode({ offerId: target.id, code: 'PRIVATE-STATS' });
    const name = await app.graphql(`query($id: ID!) { node(id: $id) { ... on Offer { name } } }`, { id: target.id }, tokens.member);
    expect(name.errors, JSON.stringify(name.errors)).toBeUndefined();
    expect(name.data?.node).toEqual({ name: 'Stats are private' });
    const fields = {
      stats: `query($id: ID!) { node(id: $id) { ... on Offer { name stats { redemptions discountGiven } } } }`,
      codes: `query($id: ID!, $first: Int = 10) { node(id: $id) { ... on Offer { name codes(first: $first) { edges { node { code } } } } } }`,
    };
    for (const role of ['member', 'storefront'] as const) {
      for (const [field, query] of Object.entries(fields)) {
        const response = await app.graphql(query, { id: target.id }, tokens[role]);
        expect(response.errors?.[0]?.extensions?.code, `${role} → ${field}`).toBe('FORBIDDEN');
        expect(JSON.stringify(response.data ?? null), `${role} → ${field}`).not.toContain('PRIVATE-STATS');
        expect(response.data?.node?.[field] ?? null, `${role} → ${field}`).toBeNull();
      }
    }
    const listed = await app.graphql(OFFERS, {}, tokens.member);
    expect(listed.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const admin = await app.graphql(fields.codes, { id: target.id }, tokens.admin);
    expect(admin.data?.node.codes.edges).toEqual([{ node: { code: 'PRIVATE-STATS' } }]);
  });

  it("another program sees none of acme's offers, and acme's codes are UNKNOWN_CODE there", async () => {
    const target = await offer({ name: 'Acme only' });
    await createCode({ offerId: target.id, code: 'ACME-ONLY' });
    const read = `query($id: ID!) { node(id: $id) { id ... on Offer { name } } }`;
    for (const role of ['admin', 'storefront'] as const) {
      const globex = await app.token({ role, programId: 'globex' });
      const node = await app.graphql(read, { id: target.id }, globex);
      expect(node.errors, JSON.stringify(node.errors)).toBeUndefined();
      expect(node.data?.node, role).toBeNull();
      const listed = await app.graphql(OFFERS, {}, globex);
      expect(listed.errors, JSON.stringify(listed.errors)).toBeUndefined();
      expect(
        listed.data?.offers.edges.map((edge: { node: { id: string } }) => edge.node.id),
        role,
      ).not.toContain(target.id);
      const active = await app.graphql(
        `query($first: Int = 100) { offers(first: $first, status: ACTIVE) { edges { node { id } } } }`,
        {},
        globex,
      );
      expect(active.data?.offers.edges, role).toEqual([]);
    }
    const inGlobex = await quote(app, cart(undefined, ['acme-only']), await app.token({ role: 'storefront', programId: 'globex' }));
    expect(inGlobex.notApplied).toEqual([{ offerId: null, tierId: null, code: 'ACME-ONLY', reason: 'UNKNOWN_CODE', threshold: null }]);
    expect(inGlobex.appliedOffers).toEqual([]);
    // Nor can globex's admin attach codes to it or assign acme's code.
    const globexAdmin = await app.token({ role: 'admin', programId: 'globex' });
    const attach = await app.graphql(CREATE_CODE, { input: { offerId: target.id, code: 'GLOBEX-ON-ACME' } }, globexAdmin);
    expect(attach.data?.createPromoCode.__typename).toBe('OfferNotFoundError');
    const globexMember = await enroll(app, { email: 'globex-codes@example.com' }, globexAdmin);
    const assign = await app.graphql(ASSIGN_CODE, { input: { code: 'ACME-ONLY', memberId: globexMember.globalId } }, globexAdmin);
    expect(assign.data?.assignPromoCode.__typename).toBe('PromoCodeNotFoundError');
    const change = await app.graphql(UPDATE_OFFER, { input: { id: target.id, status: 'PAUSED' } }, globexAdmin);
    expect(change.data?.updateOffer.__typename).toBe('OfferNotFoundError');
    // Acme still has it, unchanged.
    expect(about(await quote(app, cart(undefined, ['acme-only'])), target.id)).toEqual(applied(200, 'ACME-ONLY'));
  });
});
