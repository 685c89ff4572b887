import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app';
import { enroll } from '../support/members';
import { UPDATE } from '../support/operations';
import { closeSoundly, key } from '../support/ledger';
import { createOffer, RECORD_CHECKOUT } from '../support/offers';
import { RECORD_ORDER_WITH_TIER, setUpTiers, tierOf } from '../support/tiers';

/**
 * Read-modify-write races on one member that no database guard covers: only the per-member
 * serializer keeps them right. Each race runs with the serializer, where the outcome is exact, and
 * without it, where the same requests go wrong: proof that these tests notice when commands of one
 * member interleave. Every statement takes a network round trip (`networkLatency`), as over Turso.
 */
const withSerializer = { withoutSerializer: false, networkLatency: true };
const withoutSerializer = { withoutSerializer: true, networkLatency: true };

let app: TestApp;
afterEach(() => app?.close());

async function concurrently<T>(requests: Array<() => Promise<T>>): Promise<T[]> {
  return Promise.all(requests.map((request) => request()));
}

/** Three orders of 40.00 at once for a member 100.00 of spend away from Silver. */
async function tierRace(options: typeof withSerializer) {
  app = await createTestApp(options);
  await setUpTiers(app);
  const { globalId } = await enroll(app, { email: 'threshold@example.com' });
  const storefront = await app.token({ role: 'storefront' });
  const results = await concurrently(
    [1, 2, 3].map(
      (index) => () =>
        app.graphql(
          RECORD_ORDER_WITH_TIER,
          { input: { memberId: globalId, orderId: `tier-race-${index}`, currency: 'EUR', total: 4_000, idempotencyKey: key() } },
          storefront,
        ),
    ),
  );
  const orders = results.map((result) => result.data!.recordOrder);
  return { orders, tier: await tierOf(app, globalId) };
}

/** A card of three stamps; three orders of one stamped coffee each at once. */
async function stampRace(options: typeof withSerializer) {
  app = await createTestApp(options);
  const card = await createOffer(app, {
    name: 'Third coffee free',
    effect: { stampCard: { stampsRequired: 3, items: { skus: ['COFFEE'] } } },
  });
  const { globalId } = await enroll(app, { email: 'stamps@example.com' });
  const storefront = await app.token({ role: 'storefront' });
  const results = await concurrently(
    [1, 2, 3].map(
      (index) => () =>
        app.graphql(
          RECORD_CHECKOUT,
          {
            input: {
              memberId: globalId,
              orderId: `stamp-race-${index}`,
              currency: 'EUR',
              total: 300,
              lines: [{ sku: 'COFFEE', quantity: 1, unitPrice: 300 }],
              idempotencyKey: key(),
            },
          },
          storefront,
        ),
    ),
  );
  const orders = results.map((result) => result.data!.recordOrder);
  const cards = await app.graphql(
    `query($id: ID!) { member(id: $id) { stampCards { offer { id } lifetimeStamps rewardsEarned } } }`,
    { id: globalId },
    await app.token({ role: 'admin' }),
  );
  return { orders, card: cards.data!.member.stampCards.find((entry: any) => entry.offer.id === card.id) };
}

/** A member found by an email and an externalId; one request clears the email, another the externalId, at once. */
async function identifierRace(options: typeof withSerializer) {
  app = await createTestApp(options);
  const { globalId } = await enroll(app, { email: 'both@example.com', externalId: 'crm-1' });
  const admin = await app.token({ role: 'admin' });
  const results = await concurrently(
    [{ email: null }, { externalId: null }].map((change) => () => app.graphql(UPDATE, { input: { id: globalId, ...change } }, admin)),
  );
  const member = await app.graphql(`query($id: ID!) { member(id: $id) { email externalId } }`, { id: globalId }, admin);
  return { outcomes: results.map((result) => result.data!.updateMember.__typename).sort(), member: member.data!.member };
}

describe('two orders crossing a tier threshold together', () => {
  it('with the serializer: the order that crosses it upgrades the member, exactly once', async () => {
    const { orders, tier } = await tierRace(withSerializer);
    expect(orders.map((order) => order.__typename)).toEqual(['RecordOrderPayload', 'RecordOrderPayload', 'RecordOrderPayload']);
    expect(orders.filter((order) => order.upgradedTier !== null).map((order) => order.upgradedTier)).toEqual([{ name: 'Silver' }]);
    expect(tier).toBe('Silver');
    await closeSoundly(app);
  });

  it('without it: each order reads the spend before the others, and nobody is upgraded', async () => {
    const { orders, tier } = await tierRace(withoutSerializer);
    expect(orders.every((order) => order.__typename === 'RecordOrderPayload' && order.upgradedTier === null)).toBe(true);
    expect(tier).toBeNull();
  });
});

describe('stamp-card orders at the same time', () => {
  it('with the serializer: the third stamp gives exactly one free coffee', async () => {
    const { orders, card } = await stampRace(withSerializer);
    expect(orders.map((order) => order.__typename)).toEqual(['RecordOrderPayload', 'RecordOrderPayload', 'RecordOrderPayload']);
    expect(orders.map((order) => order.discount.amount).sort()).toEqual([0, 0, 300]);
    expect(card).toMatchObject({ lifetimeStamps: 3, rewardsEarned: 1 });
    await closeSoundly(app);
  });

  it('without it: three stamps are counted and the free coffee is lost', async () => {
    const { orders, card } = await stampRace(withoutSerializer);
    expect(orders.map((order) => order.discount.amount)).toEqual([0, 0, 0]);
    expect(card).toMatchObject({ lifetimeStamps: 3, rewardsEarned: 0 });
  });
});

describe('profile updates that each keep an identifier, at the same time', () => {
  it('with the serializer: the second sees the first and is refused; the member keeps one identifier', async () => {
    const { outcomes, member } = await identifierRace(withSerializer);
    expect(outcomes).toEqual(['InvalidInputError', 'MemberPayload']);
    expect([member.email, member.externalId].filter((value) => value !== null)).toHaveLength(1);
  });

  it('without it: both pass their check on the old row, and the member can no longer be found', async () => {
    const { outcomes, member } = await identifierRace(withoutSerializer);
    expect(outcomes).toEqual(['MemberPayload', 'MemberPayload']);
    expect(member).toEqual({ email: null, externalId: null });
  });
});
