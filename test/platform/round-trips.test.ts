import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enroll } from '../support/members';
import { key, mutate, REDEEM, TOP_UP } from '../support/ledger';
import { createCode, createOffer, quote, recordOrder } from '../support/offers';
import { ENROLL } from '../support/operations';
import { createTestApp, type TestApp } from '../support/test-app';
import { setUpTiers } from '../support/tiers';

/**
 * What each request costs at the edge: its *sequential* round trips to the database (calls that
 * overlap count once), measured with the tests' meter on a program with tiers, offers of several
 * kinds and a member with history. DESIGN.md §3: one read batch and one write batch per command.
 */
let app: TestApp;
let ada: { globalId: string; memberId: string };
const MEMBER_PAGE = `query($id: ID!) { member(id: $id) { pointsBalance walletBalances { currency cash bonus total }
  tier { name } tierProgress { value missing nextTier { name } } availableOffers { codes offer { id name } } } }`;

beforeAll(async () => {
  // Every call takes a turn of the event loop, as a network round trip does, so overlapping calls overlap.
  app = await createTestApp({ networkLatency: true });
  await setUpTiers(app);
  await createOffer(app, { effect: { percentOff: { basisPoints: 500 } } });
  await createOffer(app, { effect: { amountOff: { amount: 100 } }, perMemberLimit: 3, conditions: { orderNumber: 2 } });
  await createOffer(app, { effect: { stampCard: { stampsRequired: 5, items: { categories: ['coffee'] } } } });
  // A code entered at checkout: its offer, and the partner funding it if any, are read with everything else.
  const coded = await createOffer(app, { effect: { amountOff: { amount: 50 } }, codeRequired: true });
  await createCode(app, { offerId: coded.id, code: 'SAVE50' });
  ada = await enroll(app, { email: 'ada@example.com' });
  await recordOrder(app, {
    memberId: ada.globalId,
    total: 20_000,
    lines: [{ sku: 'latte', category: 'coffee', quantity: 1, unitPrice: 20_000 }],
  });
});
afterAll(() => app.close());

async function sequentialRoundTrips(request: () => Promise<unknown>) {
  app.roundTrips.reset();
  await request();
  return app.roundTrips.sequential;
}

describe('sequential round trips per request (DESIGN.md §3: one read batch, one write batch)', () => {
  const cart = () => ({
    memberId: ada.globalId,
    codes: ['SAVE50'],
    total: 5_000,
    lines: [{ sku: 'latte', category: 'coffee', quantity: 2, unitPrice: 2_500 }],
  });
  const admin = () => app.token({ role: 'admin' });

  it('quote: one, its offers and the code entered included', async () => {
    expect(
      await sequentialRoundTrips(async () =>
        expect((await quote(app, cart())).appliedOffers.map((applied: { code: string | null }) => applied.code)).toContain('SAVE50'),
      ),
    ).toBe(1);
  });

  it('recordOrder: one read, one write, the applied offers’ fields included (the command hands back the offers it read)', async () => {
    expect(await sequentialRoundTrips(async () => expect((await recordOrder(app, cart())).__typename).toBe('RecordOrderPayload'))).toBe(2);
    const bare = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { __typename ... on RecordOrderPayload { pointsEarned pointsBalance appliedOffers { discount } } } }`;
    const input = { ...cart(), currency: 'EUR', orderId: key('order'), idempotencyKey: key() };
    expect(
      await sequentialRoundTrips(async () =>
        expect((await app.graphql(bare, { input }, await admin())).data?.recordOrder.__typename).toBe('RecordOrderPayload'),
      ),
    ).toBe(2);
  });

  it('redeemPoints, topUpWallet: one read, one write; only the write once the serializer keeps the member', async () => {
    const redeem = `mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { __typename ... on PointsPayload { pointsBalance } } }`;
    // The order before went through checkout, which does not keep the member: the first redeem reads.
    expect(
      await sequentialRoundTrips(async () =>
        expect(
          (await app.graphql(redeem, { input: { memberId: ada.globalId, points: 10, idempotencyKey: key() } }, await admin())).data
            ?.redeemPoints.__typename,
        ).toBe('PointsPayload'),
      ),
    ).toBe(2);
    // Its batch read the member's state back: the next command of the member only writes.
    expect(
      await sequentialRoundTrips(async () =>
        expect((await mutate(app, TOP_UP, { memberId: ada.globalId, currency: 'EUR', amount: 1_000 })).__typename).toBe('WalletPayload'),
      ),
    ).toBe(1);
    // Asking for the transfer itself reads it back.
    expect(
      await sequentialRoundTrips(async () =>
        expect((await mutate(app, REDEEM, { memberId: ada.globalId, points: 10 })).__typename).toBe('PointsPayload'),
      ),
    ).toBe(2);
  });

  it('enrollMember: the write, then the member read back', async () => {
    expect(
      await sequentialRoundTrips(async () =>
        expect((await app.graphql(ENROLL, { input: { email: `${key()}@example.com` } }, await admin())).data?.enrollMember.__typename).toBe(
          'MemberPayload',
        ),
      ),
    ).toBe(2);
  });

  it('the member page (balances, tier, progress, offers): the member, then everything else at once', async () => {
    expect(
      await sequentialRoundTrips(async () =>
        expect((await app.graphql(MEMBER_PAGE, { id: ada.globalId }, await admin())).errors).toBeUndefined(),
      ),
    ).toBe(2);
  });

  it('retentionSeries: its periods counted at once, however many there are', async () => {
    const series = `{ retentionSeries(from: "2026-01-01T00:00:00Z", to: "2026-07-01T00:00:00Z", period: MONTH) {
      __typename ... on RetentionSeries { points { from } } ... on Error { code } } }`;
    expect(
      await sequentialRoundTrips(async () =>
        expect((await app.graphql(series, {}, await admin())).data?.retentionSeries.points).toHaveLength(6),
      ),
    ).toBe(1);
  });
});
