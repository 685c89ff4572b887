import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { ERASE } from '../../support/operations';
import {
  ADJUST,
  lotsOf,
  memberLedger,
  mutate,
  REDEEM,
  REFUND_ORDER,
  setRules,
  transfersOf,
  freshLedgerApp,
  closeSoundly,
} from '../../support/ledger';

/**
 * recordOrder from the outside: points are earned on what was paid, points pay part of an order
 * (earliest-expiring lots first, expired lots never), and every kind of refusal writes nothing.
 * Default rules: EUR, 1 point per 100 minor units (down), 12-month points, 100 points pay 100.
 */
/** recordOrder with the details of every error it can answer. */
const RECORD_ORDER = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { __typename
  ... on Error { code message } ... on InvalidInputError { issues { path message } }
  ... on RecordOrderPayload { orderId pointsRedeemed pointsEarned pointsBalance replayed pointsPayment { amount currency } amountPaid { amount } }
  ... on InsufficientPointsError { requested available } ... on RedemptionExceedsTotalError { maximum } ... on BelowMinimumRedemptionError { minimum }
  ... on PointsNotWholeStepError { requested stepPoints stepValue lower higher }
  ... on CurrencyMismatchError { expected } ... on DuplicateOrderError { orderId } ... on IdempotencyConflictError { idempotencyKey } } }`;

let app: TestApp;
let member: { globalId: string; memberId: string };

beforeEach(async () => {
  ({ app, member } = await freshLedgerApp());
});
afterEach(() => closeSoundly(app));

const order = (input: Record<string, unknown>) => mutate(app, RECORD_ORDER, { memberId: member.globalId, currency: 'EUR', ...input });
const balance = async (globalId = member.globalId) => (await memberLedger(app, globalId)).pointsBalance;

/** Gives the member `points` in a new lot earned now (an order paying `points × 100`). */
async function earn(points: number, orderId = `earn-${Math.random()}`) {
  const result = await order({ orderId, total: points * 100 });
  expect(result).toMatchObject({ __typename: 'RecordOrderPayload', pointsEarned: points });
  return result;
}

describe('earning', () => {
  it('earns 1 point per 100 minor units paid, rounded down, into a lot that lives 12 months', async () => {
    const result = await order({ orderId: 'o-1', total: 1_999 });
    expect(result).toEqual({
      __typename: 'RecordOrderPayload',
      orderId: 'o-1',
      pointsRedeemed: 0,
      pointsEarned: 19, // 19.99 rounded down
      pointsBalance: 19,
      replayed: false,
      pointsPayment: { amount: 0, currency: 'EUR' },
      amountPaid: { amount: 1_999 },
    });
    expect(await lotsOf(app, member.globalId)).toEqual([
      { amount: 19, remaining: 19, earnedAt: '2026-11-23T10:00:00.000Z', expiresAt: '2027-11-23T10:00:00.000Z' },
    ]);
    const [earnTransfer, ...others] = await transfersOf(app, member.globalId);
    expect(others).toEqual([]);
    expect(earnTransfer).toMatchObject({
      kind: 'EARN',
      amount: 19,
      unit: 'POINTS',
      ref: 'o-1',
      debit: { ownerType: 'program', kind: 'points_issued', unit: 'POINTS' },
      credit: { ownerType: 'member', kind: 'points', unit: 'POINTS' },
      createdAt: '2026-11-23T10:00:00.000Z',
    });
  });

  it('records an order of 0, or below one point, without a lot or a transfer', async () => {
    expect(await order({ orderId: 'free', total: 0 })).toMatchObject({ pointsEarned: 0, pointsBalance: 0 });
    expect(await order({ orderId: 'cheap', total: 99 })).toMatchObject({ pointsEarned: 0, pointsBalance: 0 });
    expect(await lotsOf(app, member.globalId)).toEqual([]);
    expect(await transfersOf(app, member.globalId)).toEqual([]);
    // They are recorded all the same: the order ids are taken.
    expect(await order({ orderId: 'free', total: 0 })).toMatchObject({ __typename: 'DuplicateOrderError' });
  });

  it('accepts the currency in lower case and stores lines and attributes', async () => {
    const result = await order({
      orderId: 'lines-1',
      currency: 'eur',
      total: 2_500,
      lines: [
        { sku: 'BEANS', category: 'coffee', quantity: 2, unitPrice: 1_000 },
        { sku: 'MUG', quantity: 1, unitPrice: 500 },
      ],
      attributes: { channel: 'web', firstOrder: true, basketSize: 3 },
    });
    expect(result).toMatchObject({ __typename: 'RecordOrderPayload', pointsEarned: 25, pointsPayment: { currency: 'EUR' } });
  });

  it('accepts totals beyond 32-bit integers (inputs allow up to 100,000,000,000 minor units)', async () => {
    // 3,000,000,000 minor units = 30 million euros: above GraphQL Int's 2,147,483,647.
    const response = await app.graphql(
      RECORD_ORDER,
      { input: { memberId: member.globalId, orderId: 'big', currency: 'EUR', total: 3_000_000_000, idempotencyKey: 'big-order' } },
      await app.token({ role: 'admin' }),
    );
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    expect(response.data?.recordOrder).toMatchObject({ __typename: 'RecordOrderPayload', pointsEarned: 30_000_000 });
  });
});

describe('paying with points', () => {
  it('spends the points as payment and earns only on the rest', async () => {
    await earn(500);
    const result = await order({ orderId: 'pay-1', total: 2_000, redeemPoints: 300 });
    expect(result).toMatchObject({
      __typename: 'RecordOrderPayload',
      pointsRedeemed: 300,
      pointsPayment: { amount: 300, currency: 'EUR' },
      amountPaid: { amount: 1_700 },
      pointsEarned: 17,
      pointsBalance: 217, // 500 − 300 + 17
    });
    expect(await balance()).toBe(217);
    const kinds = (await transfersOf(app, member.globalId)).map((transfer) => [transfer.kind, transfer.amount, transfer.ref]);
    // Newest first: the earn is written after the payment.
    expect(kinds.slice(0, 2)).toEqual([
      ['EARN', 17, 'pay-1'],
      ['ORDER_PAYMENT', 300, 'pay-1'],
    ]);
  });

  it('can pay a whole order with points, earning nothing', async () => {
    await earn(500);
    expect(await order({ orderId: 'pay-all', total: 450, redeemPoints: 450 })).toMatchObject({
      pointsPayment: { amount: 450 },
      amountPaid: { amount: 0 },
      pointsEarned: 0,
      pointsBalance: 50,
    });
  });

  it('spends the lots that expire first, whatever their age; never-expiring lots last', async () => {
    // Lot A: 200 points earned now, 12 months → 2027-11-23.
    await earn(200, 'lot-a');
    // Lot N: 50 points that never expire.
    await setRules(app, { pointsLifetimeMonths: null });
    app.clock.set('2026-11-24T10:00:00Z');
    await earn(50, 'lot-n');
    // Lot B: 100 points earned later but with 3 months → 2027-03-01, the first to expire.
    await setRules(app, { pointsLifetimeMonths: 3 });
    app.clock.set('2026-12-01T10:00:00Z');
    await earn(100, 'lot-b');

    app.clock.set('2026-12-02T10:00:00Z');
    // 280 points: all 100 of B, then 180 of A; N untouched. 29,720 paid earns 297 (3 months → 2027-03-02).
    const result = await order({ orderId: 'fifo', total: 30_000, redeemPoints: 280 });
    expect(result).toMatchObject({ pointsEarned: 297, pointsBalance: 367 }); // 350 − 280 + 297

    expect(await lotsOf(app, member.globalId)).toEqual([
      { amount: 297, remaining: 297, earnedAt: '2026-12-02T10:00:00.000Z', expiresAt: '2027-03-02T10:00:00.000Z' },
      { amount: 100, remaining: 0, earnedAt: '2026-12-01T10:00:00.000Z', expiresAt: '2027-03-01T10:00:00.000Z' },
      { amount: 50, remaining: 50, earnedAt: '2026-11-24T10:00:00.000Z', expiresAt: null },
      { amount: 200, remaining: 20, earnedAt: '2026-11-23T10:00:00.000Z', expiresAt: '2027-11-23T10:00:00.000Z' },
    ]);

    // Next: the new 297 (2027-03-02), then A's 20 (2027-11-23), then N: 330 takes 297 + 20 + 13.
    await order({ orderId: 'fifo-2', total: 330, redeemPoints: 330 });
    expect((await lotsOf(app, member.globalId)).map((lot) => lot.remaining)).toEqual([297 - 297, 0, 50 - 13, 20 - 20]);
  });
});

describe('expiry', () => {
  describe('at the expiry instant', () => {
    // 100 points earned at 2026-11-23T10:00Z expire at 2027-11-23T10:00Z; 30 more earned 2027-06-01 last until 2028-06-01.
    beforeEach(async () => {
      await earn(100, 'old');
      app.clock.set('2027-06-01T10:00:00Z');
      await earn(30, 'new');
    });

    it('still spends a lot one second before it expires', async () => {
      app.clock.set('2027-11-23T09:59:59Z');
      expect(await order({ orderId: 'just-in-time', total: 1_000, redeemPoints: 130 })).toMatchObject({
        __typename: 'RecordOrderPayload',
        pointsRedeemed: 130,
      });
    });

    it('does not spend a lot at the very instant it expires: InsufficientPointsError counts only unexpired points', async () => {
      app.clock.set('2027-11-23T10:00:00Z');
      const result = await order({ orderId: 'too-late', total: 1_000, redeemPoints: 31 });
      expect(result).toMatchObject({ __typename: 'InsufficientPointsError', code: 'INSUFFICIENT_POINTS', requested: 31, available: 30 });

      const redeem = await mutate(app, REDEEM, { memberId: member.globalId, points: 31 });
      expect(redeem).toMatchObject({ __typename: 'InsufficientPointsError', requested: 31, available: 30 });

      // The balance still shows the expired points until the expiry job runs; nothing was spent.
      expect(await balance()).toBe(130);
      expect(await order({ orderId: 'too-late', total: 1_000, redeemPoints: 30 })).toMatchObject({
        pointsRedeemed: 30,
        pointsBalance: 100 + 9,
      });
      expect((await lotsOf(app, member.globalId)).map((lot) => lot.remaining)).toEqual([9, 0, 100]);
    });
  });

  it.each([
    ['2027-01-31T10:00:00Z', 12, '2028-01-31T10:00:00.000Z'],
    ['2027-01-31T10:00:00Z', 1, '2027-02-28T10:00:00.000Z'],
    ['2028-01-31T10:00:00Z', 1, '2028-02-29T10:00:00.000Z'],
    ['2027-03-31T23:59:59Z', 1, '2027-04-30T23:59:59.000Z'],
    ['2028-02-29T10:00:00Z', 12, '2029-02-28T10:00:00.000Z'],
    ['2027-08-15T10:00:00Z', 6, '2028-02-15T10:00:00.000Z'],
  ])(
    'points earned at %s with %i months expire at %s (same instant, clamped to the end of the month)',
    async (earnedAt, months, expiresAt) => {
      await setRules(app, { pointsLifetimeMonths: months });
      app.clock.set(earnedAt);
      await earn(10, 'clamped');
      expect((await lotsOf(app, member.globalId))[0]).toEqual({
        amount: 10,
        remaining: 10,
        earnedAt: new Date(earnedAt).toISOString(),
        expiresAt,
      });
    },
  );
});

describe('refusals', () => {
  it('enforces the minimum redemption; no points at all is always fine', async () => {
    await earn(500);
    await setRules(app, { minimumRedemption: 100 });
    expect(await order({ orderId: 'min', total: 1_000, redeemPoints: 99 })).toMatchObject({
      __typename: 'BelowMinimumRedemptionError',
      code: 'BELOW_MINIMUM_REDEMPTION',
      minimum: 100,
    });
    expect(await order({ orderId: 'min', total: 1_000, redeemPoints: 0 })).toMatchObject({
      __typename: 'RecordOrderPayload',
      pointsRedeemed: 0,
    });
    expect(await order({ orderId: 'min-2', total: 1_000 })).toMatchObject({ __typename: 'RecordOrderPayload' });
    expect(await order({ orderId: 'min-3', total: 1_000, redeemPoints: 100 })).toMatchObject({
      __typename: 'RecordOrderPayload',
      pointsRedeemed: 100,
    });
  });

  it('refuses points worth more than the order, with the most it could take', async () => {
    await earn(1_000);
    expect(await order({ orderId: 'over', total: 250, redeemPoints: 251 })).toMatchObject({
      __typename: 'RedemptionExceedsTotalError',
      code: 'REDEMPTION_EXCEEDS_TOTAL',
      maximum: 250,
    });
    expect(await balance()).toBe(1_000);
    expect(await order({ orderId: 'over', total: 250, redeemPoints: 250 })).toMatchObject({
      __typename: 'RecordOrderPayload',
      amountPaid: { amount: 0 },
    });
  });

  it('computes the maximum with an uneven redemption value (3 points pay 2 minor units): whole steps only', async () => {
    await earn(100);
    await setRules(app, { redeemPoints: 3, redeemValue: 2 });
    // 15 points (5 steps) pay 10, the whole order; 16 would pay floor(32 / 3) = 10 too, one point for nothing.
    expect(await order({ orderId: 'uneven', total: 10, redeemPoints: 18 })).toMatchObject({
      __typename: 'RedemptionExceedsTotalError',
      maximum: 15,
    });
    expect(await order({ orderId: 'uneven', total: 10, redeemPoints: 16 })).toMatchObject({
      __typename: 'PointsNotWholeStepError',
      code: 'POINTS_NOT_WHOLE_STEP',
      lower: 15,
      higher: null,
    });
    expect(await balance()).toBe(100);
    expect(await order({ orderId: 'uneven', total: 10, redeemPoints: 15 })).toMatchObject({
      pointsPayment: { amount: 10 },
      amountPaid: { amount: 0 },
      pointsBalance: 85,
    });
  });

  it('refuses more points than the member holds', async () => {
    await earn(40);
    expect(await order({ orderId: 'poor', total: 1_000, redeemPoints: 41 })).toMatchObject({
      __typename: 'InsufficientPointsError',
      requested: 41,
      available: 40,
    });
    expect(await balance()).toBe(40);
  });

  it("refuses an order in another currency than the program's", async () => {
    expect(await order({ orderId: 'usd', currency: 'USD', total: 1_000 })).toMatchObject({
      __typename: 'CurrencyMismatchError',
      code: 'CURRENCY_MISMATCH',
      expected: 'EUR',
    });
    expect(await transfersOf(app, member.globalId)).toEqual([]);
    expect(await order({ orderId: 'usd', total: 1_000 })).toMatchObject({ __typename: 'RecordOrderPayload' });
  });

  it('records an order id once: the same order under another key is DuplicateOrderError and moves nothing', async () => {
    await earn(100, 'dup');
    const again = await order({ orderId: 'dup', total: 10_000 });
    expect(again).toMatchObject({ __typename: 'DuplicateOrderError', code: 'DUPLICATE_ORDER', orderId: 'dup' });
    // Also for another member of the program.
    const other = await enroll(app, { email: 'other@example.com' });
    expect(await mutate(app, RECORD_ORDER, { memberId: other.globalId, orderId: 'dup', currency: 'EUR', total: 500 })).toMatchObject({
      __typename: 'DuplicateOrderError',
    });
    expect(await balance()).toBe(100);
    expect(await balance(other.globalId)).toBe(0);
  });

  it('lets another program use the same order id', async () => {
    await earn(100, 'shared-id');
    const globexAdmin = await app.token({ role: 'admin', programId: 'globex' });
    const globexMember = await enroll(app, { email: 'ada@example.com' }, globexAdmin);
    const result = await mutate(
      app,
      RECORD_ORDER,
      { memberId: globexMember.globalId, orderId: 'shared-id', currency: 'EUR', total: 700 },
      globexAdmin,
    );
    expect(result).toMatchObject({ __typename: 'RecordOrderPayload', pointsEarned: 7, pointsBalance: 7 });
  });
});

describe('idempotency', () => {
  it('answers a retry with the same key and input with the first result, replayed, and moves nothing', async () => {
    await earn(200);
    const input = { orderId: 'retry-1', total: 1_234, redeemPoints: 100, idempotencyKey: 'checkout-retry-1' };
    const first = await order(input);
    expect(first).toMatchObject({ __typename: 'RecordOrderPayload', replayed: false, pointsEarned: 11, pointsBalance: 111 }); // 200 − 100 + floor(1134 / 100)

    await earn(5); // the balance moves on in between
    const retry = await order(input);
    expect(retry).toEqual({ ...first, replayed: true }); // the first answer, balance 111 included

    expect(await balance()).toBe(116);
    const retryTransfers = (await transfersOf(app, member.globalId)).filter((transfer) => transfer.ref === 'retry-1');
    expect(retryTransfers.map((transfer) => transfer.kind)).toEqual(['EARN', 'ORDER_PAYMENT']);
  });

  it('replays even after the rules changed (the answer is the recorded one)', async () => {
    const input = { orderId: 'rules-retry', total: 1_000, idempotencyKey: 'rules-retry' };
    const first = await order(input);
    await setRules(app, { earnPoints: 5 });
    expect(await order(input)).toEqual({ ...first, replayed: true });
    expect(await balance()).toBe(10);
  });

  it('answers the same key with another input with IdempotencyConflictError, and moves nothing', async () => {
    await order({ orderId: 'conflict-1', total: 1_000, idempotencyKey: 'conflict' });
    const changed = await order({ orderId: 'conflict-1', total: 2_000, idempotencyKey: 'conflict' });
    expect(changed).toMatchObject({ __typename: 'IdempotencyConflictError', code: 'IDEMPOTENCY_CONFLICT', idempotencyKey: 'conflict' });
    // The key is taken for any other request, even of another kind.
    const otherOrder = await order({ orderId: 'conflict-2', total: 1_000, idempotencyKey: 'conflict' });
    expect(otherOrder.__typename).toBe('IdempotencyConflictError');
    const redeem = await mutate(app, REDEEM, { memberId: member.globalId, points: 1, idempotencyKey: 'conflict' });
    expect(redeem.__typename).toBe('IdempotencyConflictError');
    expect(await balance()).toBe(10);
    expect(await transfersOf(app, member.globalId)).toHaveLength(1);
  });

  it('does not remember a refused request: a retry after topping up the points succeeds', async () => {
    const input = { orderId: 'later', total: 1_000, redeemPoints: 50, idempotencyKey: 'later' };
    expect((await order(input)).__typename).toBe('InsufficientPointsError');
    await earn(50);
    expect(await order(input)).toMatchObject({ __typename: 'RecordOrderPayload', replayed: false, pointsRedeemed: 50 });
  });
});

describe('members', () => {
  it.each([
    ['an unknown member id', () => encodeGlobalID('Member', 'no-such-member')],
    ['a malformed id', () => 'not-a-global-id'],
    ['the global id of another type', () => encodeGlobalID('Program', 'acme')],
  ])('refuses %s with MemberNotFoundError', async (_name, memberId) => {
    const result = await mutate(app, RECORD_ORDER, { memberId: memberId(), orderId: 'ghost', currency: 'EUR', total: 1_000 });
    expect(result).toMatchObject({ __typename: 'MemberNotFoundError', code: 'MEMBER_NOT_FOUND' });
    expect(await order({ orderId: 'ghost', total: 1_000 })).toMatchObject({ __typename: 'RecordOrderPayload' });
  });

  it('refuses an erased member with MemberErasedError', async () => {
    await earn(10);
    await app.graphql(ERASE, { input: { id: member.globalId } }, await app.token({ role: 'admin' }));
    expect(await order({ orderId: 'erased', total: 1_000 })).toMatchObject({ __typename: 'MemberErasedError', code: 'MEMBER_ERASED' });
    expect(await balance()).toBe(10);
  });

  it('refuses a member of another program with MemberNotFoundError', async () => {
    const globex = await enroll(app, { email: 'eve@example.com' }, await app.token({ role: 'admin', programId: 'globex' }));
    const result = await mutate(app, RECORD_ORDER, { memberId: globex.globalId, orderId: 'cross', currency: 'EUR', total: 1_000 });
    expect(result).toMatchObject({ __typename: 'MemberNotFoundError' });
    const globexLedger = await app.graphql(
      `query($id: ID!) { member(id: $id) { pointsBalance } }`,
      { id: globex.globalId },
      await app.token({ role: 'admin', programId: 'globex' }),
    );
    expect(globexLedger.data?.member.pointsBalance).toBe(0);
  });

  it('lets a storefront record orders', async () => {
    const storefront = await app.token({ role: 'storefront' });
    expect(
      await mutate(app, RECORD_ORDER, { memberId: member.globalId, orderId: 'shop', currency: 'EUR', total: 800 }, storefront),
    ).toMatchObject({
      __typename: 'RecordOrderPayload',
      pointsEarned: 8,
    });
  });
});

describe('invalid input', () => {
  it.each([
    [{ total: -1 }, ['input', 'total'], 'at least 0'],
    [{ total: 1_000, redeemPoints: -5 }, ['input', 'redeemPoints'], 'at least 0'],
    [{ total: 1_000, currency: 'EURO' }, ['input', 'currency'], '3-letter'],
    [{ total: 1_000, orderId: '   ' }, ['input', 'orderId'], 'must not be empty'],
    [{ total: 1_000, orderId: 'x'.repeat(129) }, ['input', 'orderId'], 'at most 128'],
    [{ total: 1_000, idempotencyKey: ' ' }, ['input', 'idempotencyKey'], 'must not be empty'],
    [{ total: 1_000, lines: [{ sku: 'A', quantity: 0, unitPrice: 1_000 }] }, ['input', 'lines', '0', 'quantity'], 'at least 1'],
    [{ total: 1_000, lines: [{ sku: 'A', quantity: 1, unitPrice: -1 }] }, ['input', 'lines', '0', 'unitPrice'], 'at least 0'],
    [{ total: 1_000, lines: [{ sku: '', quantity: 1, unitPrice: 1_000 }] }, ['input', 'lines', '0', 'sku'], 'must not be empty'],
  ])('refuses %j with InvalidInputError and writes nothing', async (input, path, message) => {
    await earn(100, 'fixture');
    const result = await order({ orderId: 'bad', ...input });
    expect(result).toMatchObject({ __typename: 'InvalidInputError', code: 'INVALID_INPUT' });
    expect(result.issues).toContainEqual({ path, message: expect.stringContaining(message) });
    expect(await balance()).toBe(100);
    expect(await transfersOf(app, member.globalId)).toHaveLength(1);
    // No order was recorded under the id.
    expect(await order({ orderId: 'bad', total: 500 })).toMatchObject({ __typename: 'RecordOrderPayload' });
  });

  it('refuses non-integer amounts at the GraphQL layer (SafeInt), before anything runs', async () => {
    const response = await app.graphql(
      RECORD_ORDER,
      {
        input: {
          memberId: member.globalId,
          orderId: 'float',
          currency: 'EUR',
          total: 1_000,
          lines: [{ sku: 'A', quantity: 1, unitPrice: 9.99 }],
          idempotencyKey: 'float',
        },
      },
      await app.token({ role: 'admin' }),
    );
    expect(response.errors?.[0]?.message).toMatch(/SafeInt must be a whole number/);
    expect(response.data ?? null).toBeNull();
    expect(await order({ orderId: 'float', total: 1_000 })).toMatchObject({ __typename: 'RecordOrderPayload' });
  });

  it('refunds cannot reach an order that was refused', async () => {
    await order({ orderId: 'never', total: -5 });
    expect(await mutate(app, REFUND_ORDER, { orderId: 'never', amount: 1 })).toMatchObject({ __typename: 'OrderNotFoundError' });
  });
});

describe('adjustments feed orders too', () => {
  it('lets an adjustment credit pay for an order', async () => {
    await mutate(app, ADJUST, { memberId: member.globalId, points: 100, reason: 'welcome' });
    expect(await order({ orderId: 'adj', total: 500, redeemPoints: 100 })).toMatchObject({
      pointsPayment: { amount: 100 },
      pointsEarned: 4,
      pointsBalance: 4,
    });
  });
});

describe('large amounts', () => {
  it('earns beyond 2^31 points and rounds rate products in exact integers', async () => {
    await app.graphql(
      'mutation { updateProgramRules(input: { earnPoints: 1, earnPerAmount: 1 }) { __typename } }',
      {},
      await app.token({ role: 'admin' }),
    );
    const result = await mutate(app, RECORD_ORDER, { memberId: member.globalId, orderId: 'big', currency: 'EUR', total: 3_000_000_000 });
    expect(result).toMatchObject({ __typename: 'RecordOrderPayload', pointsEarned: 3_000_000_000, pointsBalance: 3_000_000_000 });
  });

  it('keeps the reserved system: prefix away from client idempotency keys', async () => {
    const result = await mutate(app, RECORD_ORDER, {
      memberId: member.globalId,
      orderId: 'sys',
      currency: 'EUR',
      total: 100,
      idempotencyKey: 'system:expire/x',
    });
    expect(result).toMatchObject({ __typename: 'InvalidInputError', issues: [{ path: ['input', 'idempotencyKey'] }] });
  });
});
