import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_NOW, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { closeSoundly, key, lotsOf, memberLedger, setRules, transfersOf } from '../../support/ledger';
import { createCode, createOffer, line, offerStats, recordOrder, refundOrder } from '../../support/offers';

/** Guest orders (no memberId): codes, caps and budgets count them, no points move; a member claims one later. */

const CLAIM = `mutation($input: ClaimOrderInput!) { claimOrder(input: $input) { __typename ... on Error { code message }
  ... on ClaimOrderPayload { orderId pointsEarned pointsBalance replayed member { id } } ... on ClaimWindowClosedError { claimableUntil } } }`;
const DAY = 86_400_000;
const later = (days: number, ms = 0) => new Date(new Date(TEST_NOW).getTime() + days * DAY + ms).toISOString();

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});
afterEach(() => closeSoundly(app));

let members = 0;
const member = async () => (await enroll(app, { email: `guest-${++members}@example.com` })).globalId;
async function claim(orderId: string, memberId: string, idempotencyKey = key('claim')) {
  const response = await app.graphql(CLAIM, { input: { orderId, memberId, idempotencyKey } }, await app.token({ role: 'storefront' }));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.claimOrder;
}

describe('a guest order', () => {
  it('uses up a single-use code, counts against caps and budgets, and moves no points', async () => {
    const offer = await createOffer(app, {
      name: 'Once',
      codeRequired: true,
      maxRedemptions: 5,
      budget: 10_000,
      effect: { amountOff: { amount: 300 } },
    });
    await createCode(app, { offerId: offer.id, code: 'GUEST-ONCE', maxUses: 1 });
    const guest = await recordOrder(app, { orderId: 'g-1', lines: [line('MUG', 2, 1000)], codes: ['guest-once'] });
    expect(guest).toMatchObject({ __typename: 'RecordOrderPayload', discount: { amount: 300 }, pointsEarned: 17, pointsBalance: 0 });
    expect(await offerStats(app, offer.id)).toMatchObject({ redemptions: 1, discountGiven: 300, budgetLeft: 9_700, redemptionsLeft: 4 });
    const someone = await member();
    expect(await recordOrder(app, { memberId: someone, lines: [line('MUG', 2, 1000)], codes: ['guest-once'] })).toMatchObject({
      discount: { amount: 0 },
      notApplied: [{ code: 'GUEST-ONCE', reason: 'CODE_ALREADY_USED' }],
    });
    expect(await transfersOf(app, someone)).toHaveLength(1); // only the member's own order earned
  });

  it('cannot pay with points, use per-member offers or stamp cards', async () => {
    await createOffer(app, { name: 'Card', effect: { stampCard: { stampsRequired: 2, items: { skus: ['COFFEE'] } } } });
    const guest = await recordOrder(app, { orderId: 'g-2', lines: [line('COFFEE', 2, 300)] });
    expect(guest).toMatchObject({ stampsEarned: 0, notApplied: [{ reason: 'MEMBERS_ONLY' }] });
    expect(await recordOrder(app, { orderId: 'g-3', total: 1000, redeemPoints: 100 })).toMatchObject({
      __typename: 'InsufficientPointsError',
      available: 0,
    });
  });

  it("a full refund gives the guest's code use back", async () => {
    const offer = await createOffer(app, { name: 'Once', codeRequired: true, effect: { amountOff: { amount: 100 } } });
    await createCode(app, { offerId: offer.id, code: 'BACK', maxUses: 1 });
    await recordOrder(app, { orderId: 'g-4', total: 1000, codes: ['back'] });
    expect(await refundOrder(app, { orderId: 'g-4', amount: 900 })).toMatchObject({
      __typename: 'RefundOrderPayload',
      offersReleased: true,
      pointsClawedBack: 0,
      pointsBalance: 0,
    });
    expect(await offerStats(app, offer.id)).toMatchObject({ redemptions: 0 });
  });
});

describe('claimOrder', () => {
  it('earns what the order earned, in a lot earned when it was placed, once', async () => {
    await recordOrder(app, { orderId: 'g-10', total: 2500, placedAt: later(-2) });
    const claimant = await member();
    app.clock.set(later(1));
    const claimKey = key('claim');
    expect(await claim('g-10', claimant, claimKey)).toEqual({
      __typename: 'ClaimOrderPayload',
      orderId: 'g-10',
      pointsEarned: 25,
      pointsBalance: 25,
      replayed: false,
      member: { id: claimant },
    });
    expect(await claim('g-10', claimant, claimKey)).toMatchObject({ replayed: true, pointsEarned: 25 });
    expect(await lotsOf(app, claimant)).toEqual([
      { amount: 25, remaining: 25, earnedAt: later(-2), expiresAt: '2027-11-21T10:00:00.000Z' },
    ]);
    expect(await claim('g-10', claimant)).toMatchObject({ __typename: 'OrderAlreadyClaimedError', code: 'ORDER_ALREADY_CLAIMED' });
    expect(await claim('g-10', await member())).toMatchObject({ __typename: 'OrderOfAnotherMemberError', code: 'ORDER_OF_ANOTHER_MEMBER' });
    expect((await memberLedger(app, claimant)).pointsBalance).toBe(25);
  });

  it("refuses another member's order, an unknown one and a member that does not exist, writing nothing", async () => {
    const owner = await member();
    await recordOrder(app, { memberId: owner, orderId: 'm-1', total: 1000 });
    expect(await claim('m-1', owner)).toMatchObject({ __typename: 'OrderAlreadyClaimedError' });
    const other = await member();
    expect(await claim('m-1', other)).toMatchObject({ __typename: 'OrderOfAnotherMemberError' });
    expect(await claim('nope', other)).toMatchObject({ __typename: 'OrderNotFoundError' });
    await recordOrder(app, { orderId: 'g-11', total: 1000 });
    expect(await claim('g-11', 'TWVtYmVyOm5vLXN1Y2g=')).toMatchObject({ __typename: 'MemberNotFoundError' });
    expect(await transfersOf(app, other)).toEqual([]);
  });

  it('within guestClaimDays of when the order was placed (30 by default; 0: never)', async () => {
    await recordOrder(app, { orderId: 'g-20', total: 1000 });
    await recordOrder(app, { orderId: 'g-21', total: 1000 });
    const claimant = await member();
    app.clock.set(later(30, 1));
    expect(await claim('g-20', claimant)).toMatchObject({
      __typename: 'ClaimWindowClosedError',
      code: 'CLAIM_WINDOW_CLOSED',
      claimableUntil: later(30),
    });
    expect(await transfersOf(app, claimant)).toEqual([]);
    app.clock.set(later(30));
    expect(await claim('g-20', claimant)).toMatchObject({ __typename: 'ClaimOrderPayload', pointsEarned: 10 });
    await setRules(app, { guestClaimDays: 0 });
    expect(await claim('g-21', claimant)).toMatchObject({ __typename: 'ClaimWindowClosedError' });
  });

  it('after a partial refund earns the rest; later refunds take back from the claimed lot', async () => {
    await recordOrder(app, { orderId: 'g-30', total: 4000 });
    expect(await refundOrder(app, { orderId: 'g-30', amount: 1000 })).toMatchObject({
      __typename: 'RefundOrderPayload',
      pointsClawedBack: 0,
    });
    const claimant = await member();
    expect(await claim('g-30', claimant)).toMatchObject({ pointsEarned: 30 });
    expect(await refundOrder(app, { orderId: 'g-30', amount: 3000 })).toMatchObject({
      pointsClawedBack: 30,
      pointsBalance: 0,
      offersReleased: true,
    });
  });
});

describe('who may claim', () => {
  it('admins and storefronts of the program only: members, partners and anonymous callers are refused, another tenant finds no order', async () => {
    await recordOrder(app, { orderId: 'g-auth', total: 1000 });
    const claimant = await enroll(app, { email: 'auth@example.com' });
    const input = { orderId: 'g-auth', memberId: claimant.globalId, idempotencyKey: key('claim') };
    for (const token of [
      await app.token({ role: 'member', subject: claimant.memberId }),
      await app.token({ role: 'partner', partnerId: 'beans-inc' }),
      '',
    ]) {
      const response = await app.graphql(CLAIM, { input }, token);
      expect(response.errors?.[0]?.extensions?.code, JSON.stringify(response)).toMatch(/FORBIDDEN|UNAUTHENTICATED/);
    }
    const globex = await app.graphql(CLAIM, { input }, await app.token({ role: 'admin', programId: 'globex' }));
    expect(globex.data?.claimOrder, JSON.stringify(globex)).toMatchObject({ __typename: 'OrderNotFoundError' });
    expect(await transfersOf(app, claimant.globalId)).toEqual([]);
  });
});

describe('guest orders racing for a single-use code', () => {
  it.each([
    ['through the serializer', false],
    ['without the serializer: the database guards alone', true],
  ])('%s: exactly one of 20 gets it', async (_name, withoutSerializer) => {
    const raced = await createTestApp({ networkLatency: true, withoutSerializer });
    try {
      const offer = await createOffer(raced, { name: 'Once', codeRequired: true, effect: { amountOff: { amount: 200 } } });
      await createCode(raced, { offerId: offer.id, code: 'RACE', maxUses: 1 });
      const token = await raced.token({ role: 'storefront' });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) => recordOrder(raced, { orderId: `race-${index}`, total: 1000, codes: ['race'] }, token)),
      );
      expect(results.map((result) => result.__typename)).toEqual(Array(20).fill('RecordOrderPayload'));
      expect(results.filter((result) => result.discount.amount === 200)).toHaveLength(1);
      expect(
        results.filter((result) => result.notApplied.some((entry: { reason: string }) => entry.reason === 'CODE_ALREADY_USED')),
      ).toHaveLength(19);
      expect(await offerStats(raced, offer.id)).toMatchObject({ redemptions: 1 });
    } finally {
      await closeSoundly(raced);
    }
  });
});

describe('two members claiming one guest order at the same instant', () => {
  it('without the serializer, the database lets one earn: the other is told whose it is', async () => {
    const raced = await createTestApp({ networkLatency: true, withoutSerializer: true });
    try {
      await recordOrder(raced, { orderId: 'g-race', total: 1000 });
      const claimants = [
        (await enroll(raced, { email: 'first@example.com' })).globalId,
        (await enroll(raced, { email: 'second@example.com' })).globalId,
      ];
      const token = await raced.token({ role: 'storefront' });
      const results = await Promise.all(
        claimants.map(
          async (memberId) =>
            (await raced.graphql(CLAIM, { input: { orderId: 'g-race', memberId, idempotencyKey: key('claim') } }, token)).data!.claimOrder,
        ),
      );
      expect(results.map((result) => result.__typename).sort()).toEqual(['ClaimOrderPayload', 'OrderOfAnotherMemberError']);
      const balances = await Promise.all(claimants.map(async (memberId) => (await memberLedger(raced, memberId)).pointsBalance));
      expect(balances.sort()).toEqual([0, 10]);
    } finally {
      await closeSoundly(raced);
    }
  });
});
