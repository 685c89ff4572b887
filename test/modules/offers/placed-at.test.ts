import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_NOW, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { ADJUST, closeSoundly, lotsOf, memberLedger, mutate, setRules, transfersOf } from '../../support/ledger';
import { createCode, createOffer } from '../../support/offers';
import { setUpTiers } from '../../support/tiers';

/**
 * recordOrder (and quote) with `placedAt`: an offline till's order is evaluated as of when it was
 * placed (offer windows, code expiry, tier, points lots), up to maxBackdateDays back, never ahead.
 * TEST_NOW is 2026-11-23T10:00:00Z.
 */

const FIELDS = `__typename ... on Error { code message } ... on PlacedAtOutOfRangeError { earliest latest } ... on InvalidInputError { issues { path message } }`;
const CHECKOUT = `discount { amount } pointsEarned pointsPayment { amount } appliedOffers { offer { name } discount } notApplied { reason code }`;
const RECORD = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { ${FIELDS} ... on RecordOrderPayload { pointsBalance ${CHECKOUT} } } }`;
const QUOTE = `query($cart: QuoteCartInput!) { quote(cart: $cart) { ${FIELDS} ... on Quote { ${CHECKOUT} } } }`;

const DAY = 86_400_000;
const ago = (days: number, ms = 0) => new Date(new Date(TEST_NOW).getTime() - days * DAY - ms).toISOString();

let app: TestApp;
let memberId: string;
let orders = 0;
beforeEach(async () => {
  app = await createTestApp();
  memberId = (await enroll(app, { email: 'till@example.com' })).globalId;
});
afterEach(() => closeSoundly(app));

async function record(input: Record<string, unknown>) {
  const orderId = `till-${++orders}`;
  const response = await app.graphql(
    RECORD,
    { input: { memberId, currency: 'EUR', total: 1000, orderId, idempotencyKey: orderId, ...input } },
    await app.token({ role: 'storefront' }),
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.recordOrder;
}
async function quoteAt(cart: Record<string, unknown>) {
  const response = await app.graphql(
    QUOTE,
    { cart: { memberId, currency: 'EUR', total: 1000, ...cart } },
    await app.token({ role: 'storefront' }),
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.quote;
}

describe('the window', () => {
  it('accepts placedAt from now back to 7 days by default; refuses a millisecond outside, writing nothing', async () => {
    expect(await record({ placedAt: ago(7, 1) })).toMatchObject({
      __typename: 'PlacedAtOutOfRangeError',
      code: 'PLACED_AT_OUT_OF_RANGE',
      earliest: ago(7),
      latest: TEST_NOW,
    });
    expect(await record({ placedAt: ago(-1 / DAY) })).toMatchObject({ __typename: 'PlacedAtOutOfRangeError' });
    expect(await quoteAt({ placedAt: ago(0, -1) })).toMatchObject({ __typename: 'PlacedAtOutOfRangeError' });
    expect(await transfersOf(app, memberId)).toEqual([]);
    expect(await record({ placedAt: ago(7) })).toMatchObject({ __typename: 'RecordOrderPayload', pointsEarned: 10 });
    expect(await record({ placedAt: TEST_NOW })).toMatchObject({ __typename: 'RecordOrderPayload' });
  });

  it('follows the program rule maxBackdateDays (0 to 365)', async () => {
    await setRules(app, { maxBackdateDays: 0 });
    expect(await record({ placedAt: ago(0, 1) })).toMatchObject({ __typename: 'PlacedAtOutOfRangeError' });
    expect(await record({ placedAt: TEST_NOW })).toMatchObject({ __typename: 'RecordOrderPayload' });
    await setRules(app, { maxBackdateDays: 365 });
    expect(await record({ placedAt: ago(365) })).toMatchObject({ __typename: 'RecordOrderPayload' });
    const tooMany = await app.graphql(
      `mutation { updateProgramRules(input: { maxBackdateDays: 366 }) { __typename ... on InvalidInputError { issues { path } } } }`,
      {},
      await app.token({ role: 'admin' }),
    );
    expect(tooMany.data!.updateProgramRules).toEqual({ __typename: 'InvalidInputError', issues: [{ path: ['input', 'maxBackdateDays'] }] });
  });
});

describe('evaluated as of placedAt', () => {
  it('offer windows and code expiry: what held when the order was placed', async () => {
    await createOffer(app, { name: 'Ended yesterday', endsAt: ago(1), effect: { amountOff: { amount: 100 } } });
    await createOffer(app, { name: 'Started today', startsAt: ago(0, 3_600_000), effect: { amountOff: { amount: 50 } } });
    const coded = await createOffer(app, { name: 'Coded', codeRequired: true, effect: { amountOff: { amount: 10 } } });
    await createCode(app, { offerId: coded.id, code: 'LASTWEEK', expiresAt: ago(1) });
    const cart = { placedAt: ago(2), codes: ['LASTWEEK'] };
    const quoted = await quoteAt(cart);
    expect(quoted).toMatchObject({
      discount: { amount: 110 },
      appliedOffers: [{ offer: { name: 'Ended yesterday' } }, { offer: { name: 'Coded' } }],
      notApplied: [{ reason: 'NOT_STARTED' }],
    });
    const { pointsBalance, ...recorded } = await record(cart);
    expect({ ...recorded, __typename: 'Quote' }).toEqual(quoted);
    // Now the code has expired and the offers swapped.
    expect(await quoteAt({ codes: ['LASTWEEK'] })).toMatchObject({
      discount: { amount: 50 },
      notApplied: expect.arrayContaining([
        { reason: 'CODE_EXPIRED', code: 'LASTWEEK' },
        { reason: 'EXPIRED', code: null },
      ]),
    });
  });

  it('points: earned when placed (the lot expires counting from then); lots spendable as of then', async () => {
    await setRules(app, { pointsLifetimeMonths: 1 });
    app.clock.set(ago(32)); // a lot that expires 1 day before now: spendable 2 days ago, not now
    await mutate(app, ADJUST, { memberId, points: 300, reason: 'fixture' });
    app.clock.set(TEST_NOW);
    expect(await quoteAt({ redeemPoints: 100 })).toMatchObject({ __typename: 'InsufficientPointsError' });
    expect(await record({ placedAt: ago(2), redeemPoints: 100 })).toMatchObject({
      __typename: 'RecordOrderPayload',
      pointsPayment: { amount: 100 },
      pointsEarned: 9,
    });
    const [earned] = await lotsOf(app, memberId);
    expect(earned).toEqual({ amount: 9, remaining: 9, earnedAt: ago(2), expiresAt: '2026-12-21T10:00:00.000Z' });
  });

  it('tiers: the tier the member held when the order was placed', async () => {
    await setUpTiers(app, {}, [{ name: 'Gold', threshold: 5000, discountBasisPoints: 1000 }]);
    app.clock.set(ago(3));
    await record({ total: 6000 }); // lifts the member into Gold, three days ago
    app.clock.set(TEST_NOW);
    expect(await record({ placedAt: ago(4) })).toMatchObject({ discount: { amount: 0 } });
    expect(await record({ placedAt: ago(2) })).toMatchObject({ discount: { amount: 100 } });
    expect((await memberLedger(app, memberId)).pointsBalance).toBe(60 + 10 + 9);
  });
});
