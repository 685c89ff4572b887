import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_NOW, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { closeSoundly, lotsOf, mutate, REDEEM, REFUND_ORDER, setRules } from '../../support/ledger';
import { quote, recordOrder } from '../../support/offers';
import { MEMBER_TIER, runJobAt, setUpTiers } from '../../support/tiers';

/**
 * Pending points (the program rule pointsVestingDays): an order's points count in the balance at
 * once but are spendable only once they vest; a refund in the window takes them back in full.
 */

const BALANCE = `query($id: ID!) { member(id: $id) { pointsBalance pendingPoints lots(first: 10) { edges { node { amount remaining earnedAt vestsAt } } } } }`;
const DAY = 86_400_000;
const later = (days: number, ms = 0) => new Date(new Date(TEST_NOW).getTime() + days * DAY + ms).toISOString();

let app: TestApp;
let memberId: string;
beforeEach(async () => {
  app = await createTestApp();
  memberId = (await enroll(app, { email: 'pending@example.com' })).globalId;
  await setRules(app, { pointsVestingDays: 14 });
});
afterEach(() => closeSoundly(app));

async function balance() {
  const response = await app.graphql(BALANCE, { id: memberId }, await app.token({ role: 'admin' }));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const { pointsBalance, pendingPoints, lots } = response.data!.member;
  return { pointsBalance, pendingPoints, lots: lots.edges.map((edge: { node: unknown }) => edge.node) };
}

describe('pending points', () => {
  it('count in the balance and lots at once, spendable from the vesting instant', async () => {
    await recordOrder(app, { memberId, orderId: 'p-1', total: 2000 });
    expect(await balance()).toEqual({
      pointsBalance: 20,
      pendingPoints: 20,
      lots: [{ amount: 20, remaining: 20, earnedAt: TEST_NOW, vestsAt: later(14) }],
    });
    expect(await quote(app, { memberId, total: 1000 })).toMatchObject({ pointsRedeemable: 0 });
    expect(await recordOrder(app, { memberId, total: 1000, redeemPoints: 10 })).toMatchObject({
      __typename: 'InsufficientPointsError',
      available: 0,
    });
    expect(await mutate(app, REDEEM, { memberId, points: 1, reason: 'reward', reference: null })).toMatchObject({
      __typename: 'InsufficientPointsError',
      available: 0,
    });
    app.clock.set(later(14, -1));
    expect((await balance()).pendingPoints).toBe(20);
    app.clock.set(later(14));
    expect(await balance()).toMatchObject({ pointsBalance: 20, pendingPoints: 0 });
    expect(await recordOrder(app, { memberId, total: 1000, redeemPoints: 20 })).toMatchObject({
      pointsPayment: { amount: 20 },
      pointsEarned: 9,
      pointsBalance: 9,
    });
    expect(await balance()).toMatchObject({ pointsBalance: 9, pendingPoints: 9 });
  });

  it('a refund in the window takes them back in full (none "not recovered")', async () => {
    await recordOrder(app, { memberId, orderId: 'p-2', total: 4000 });
    app.clock.set(later(5));
    expect(await mutate(app, REFUND_ORDER, { orderId: 'p-2', amount: 1000 })).toMatchObject({
      pointsClawedBack: 10,
      pointsNotRecovered: 0,
    });
    expect(await mutate(app, REFUND_ORDER, { orderId: 'p-2', amount: 3000 })).toMatchObject({
      pointsClawedBack: 30,
      pointsNotRecovered: 0,
      pointsBalance: 0,
    });
    expect(await balance()).toMatchObject({ pointsBalance: 0, pendingPoints: 0 });
  });

  it('pointsVestingDays 0 (the default) keeps points spendable at once', async () => {
    await setRules(app, { pointsVestingDays: 0 });
    await recordOrder(app, { memberId, total: 2000 });
    expect(await balance()).toMatchObject({ pointsBalance: 20, pendingPoints: 0, lots: [{ vestsAt: null }] });
    expect((await lotsOf(app, memberId))[0]).toMatchObject({ remaining: 20 });
  });
});

describe('tier progress and pending points', () => {
  const tierOf = async () =>
    (await app.graphql(MEMBER_TIER, { id: memberId }, await app.token({ role: 'admin' }))).data!.member.tier?.name ?? null;

  it('AT_ONCE (default): the order lifts the member at once', async () => {
    await setUpTiers(app, { metric: 'POINTS_EARNED' }, [{ name: 'Silver', threshold: 15 }]);
    expect(await recordOrder(app, { memberId, total: 2000 })).toMatchObject({ __typename: 'RecordOrderPayload' });
    expect(await tierOf()).toBe('Silver');
  });

  it('AT_VESTING: the order counts once its points vest', async () => {
    await setUpTiers(app, { metric: 'POINTS_EARNED', pendingPointsCount: 'AT_VESTING' } as never, [{ name: 'Silver', threshold: 15 }]);
    await recordOrder(app, { memberId, total: 2000 });
    expect(await tierOf()).toBe(null);
    await runJobAt(app, 'RECALCULATE_TIERS', later(14, -1));
    expect(await tierOf()).toBe(null);
    await runJobAt(app, 'RECALCULATE_TIERS', later(14));
    expect(await tierOf()).toBe('Silver');
  });
});
