import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../../support/test-app';
import { ADJUST, lotsOf, memberLedger, mutate, RECORD_ORDER, REDEEM, freshLedgerApp, closeSoundly } from '../../support/ledger';

/**
 * refundOrder from the outside: a refund takes back the points earned on the refunded part and
 * returns the points that paid for it, proportionally and cumulatively (half-up), so that partial
 * refunds always add up to exactly a full refund. Default rules: 1 point per 100 paid, 100 points pay 100.
 */
const REFUND = `mutation($input: RefundOrderInput!) { refundOrder(input: $input) { __typename
  ... on Error { code message } ... on InvalidInputError { issues { path message } }
  ... on RefundOrderPayload { orderId amount totalRefunded pointsClawedBack pointsNotRecovered pointsReturned pointsBalance replayed }
  ... on RefundExceedsOrderError { refundable } ... on OrderNotFoundError { orderId } ... on IdempotencyConflictError { idempotencyKey } } }`;

let app: TestApp;
let member: { globalId: string; memberId: string };

beforeEach(async () => {
  ({ app, member } = await freshLedgerApp());
});
afterEach(() => closeSoundly(app));

async function order(input: Record<string, unknown>) {
  const result = await mutate(app, RECORD_ORDER, { memberId: member.globalId, currency: 'EUR', ...input });
  expect(result.__typename, JSON.stringify(result)).toBe('RecordOrderPayload');
  return result;
}
const refund = (input: Record<string, unknown>) => mutate(app, REFUND, input);
const adjust = (points: number) => mutate(app, ADJUST, { memberId: member.globalId, points, reason: 'fixture' });
const balance = async () => (await memberLedger(app, member.globalId)).pointsBalance;

/** Refunds `amounts` one after the other and returns the answers. */
async function refundInSteps(orderId: string, amounts: number[]) {
  const answers = [];
  for (const amount of amounts) {
    const answer = await refund({ orderId, amount });
    expect(answer.__typename, JSON.stringify(answer)).toBe('RefundOrderPayload');
    answers.push(answer);
  }
  return answers;
}
const sum = (answers: Array<Record<string, number>>, field: string) => answers.reduce((total, answer) => total + answer[field]!, 0);

describe('refunds by amount', () => {
  // 500 points, then an order of 999 paying 250 of them: 749 paid earns 7. Balance 500 − 250 + 7 = 257.
  beforeEach(async () => {
    await adjust(500);
    expect(await order({ orderId: 'odd', total: 999, redeemPoints: 250 })).toMatchObject({ pointsEarned: 7, pointsBalance: 257 });
  });

  it('undoes an order in three odd thirds (333 + 333 + 333), rounding half-up on the cumulative amount', async () => {
    const answers = await refundInSteps('odd', [333, 333, 333]);
    // Clawed back: round(7 × 333/999 = 2.33) = 2, round(7 × 666/999 = 4.67) − 2 = 3, 7 − 5 = 2.
    // Returned:    round(250 × 333/999 = 83.3) = 83, round(250 × 666/999 = 166.7) − 83 = 84, 250 − 167 = 83.
    expect(answers).toEqual([
      {
        __typename: 'RefundOrderPayload',
        orderId: 'odd',
        amount: 333,
        totalRefunded: 333,
        pointsClawedBack: 2,
        pointsNotRecovered: 0,
        pointsReturned: 83,
        pointsBalance: 338,
        replayed: false,
      },
      {
        __typename: 'RefundOrderPayload',
        orderId: 'odd',
        amount: 333,
        totalRefunded: 666,
        pointsClawedBack: 3,
        pointsNotRecovered: 0,
        pointsReturned: 84,
        pointsBalance: 419,
        replayed: false,
      },
      {
        __typename: 'RefundOrderPayload',
        orderId: 'odd',
        amount: 333,
        totalRefunded: 999,
        pointsClawedBack: 2,
        pointsNotRecovered: 0,
        pointsReturned: 83,
        pointsBalance: 500,
        replayed: false,
      },
    ]);
    // Back where the member was before the order: the 500 lot is whole again, the order's lot empty.
    expect((await lotsOf(app, member.globalId)).map(({ amount, remaining }) => [amount, remaining])).toEqual([
      [7, 0],
      [500, 500],
    ]);
    expect(await balance()).toBe(500);
  });

  it.each([[[999]], [[1, 998]], [[998, 1]], [[500, 499]], [[1, 1, 997]], [[100, 200, 300, 399]], [[2, 3, 5, 7, 11, 13, 958]]])(
    'refunding %j adds up to exactly the full refund: 7 clawed back, 250 returned',
    async (amounts) => {
      const answers = await refundInSteps('odd', amounts);
      expect(sum(answers, 'pointsClawedBack')).toBe(7);
      expect(sum(answers, 'pointsReturned')).toBe(250);
      expect(sum(answers, 'pointsNotRecovered')).toBe(0);
      expect(answers.at(-1)).toMatchObject({ totalRefunded: 999, pointsBalance: 500 });
      expect(await balance()).toBe(500);

      const more = await refund({ orderId: 'odd', amount: 1 });
      expect(more).toMatchObject({ __typename: 'RefundExceedsOrderError', code: 'REFUND_EXCEEDS_ORDER', refundable: 0 });
    },
  );

  it('rounds exactly half up: 50 of a 500 order claws back 1 of its 5 points (0.5), the next 50 none (1.0)', async () => {
    await order({ orderId: 'half', total: 500 });
    const [first, second] = await refundInSteps('half', [50, 50]);
    expect(first).toMatchObject({ pointsClawedBack: 1, pointsReturned: 0 });
    expect(second).toMatchObject({ pointsClawedBack: 0, pointsReturned: 0, totalRefunded: 100 });
  });

  it('refuses more than is left to refund, with what is refundable, and changes nothing', async () => {
    await order({ orderId: 'thousand', total: 1_000 }); // 10 points; balance 267
    expect(await refund({ orderId: 'thousand', amount: 400 })).toMatchObject({ pointsClawedBack: 4, pointsBalance: 263 });
    expect(await refund({ orderId: 'thousand', amount: 601 })).toMatchObject({ __typename: 'RefundExceedsOrderError', refundable: 600 });
    expect(await balance()).toBe(263);
    expect(await refund({ orderId: 'thousand', amount: 600 })).toMatchObject({
      totalRefunded: 1_000,
      pointsClawedBack: 6,
      pointsBalance: 257,
    });
  });

  it('refuses an order of 0 with nothing refundable', async () => {
    await order({ orderId: 'zero', total: 0 });
    expect(await refund({ orderId: 'zero', amount: 1 })).toMatchObject({ __typename: 'RefundExceedsOrderError', refundable: 0 });
  });

  it('answers OrderNotFoundError for an unknown order', async () => {
    expect(await refund({ orderId: 'nope', amount: 100 })).toMatchObject({
      __typename: 'OrderNotFoundError',
      code: 'ORDER_NOT_FOUND',
      orderId: 'nope',
    });
  });

  it('lets a storefront refund', async () => {
    const result = await mutate(app, REFUND, { orderId: 'odd', amount: 999 }, await app.token({ role: 'storefront' }));
    expect(result).toMatchObject({ __typename: 'RefundOrderPayload', pointsBalance: 500 });
  });
});

/** Half-up share of `points` for `refunded` of `net`, on integers: what the running total says is due. */
const dueOn = (points: number, refunded: number, net: number) => Math.floor((2 * points * refunded + net) / (2 * net));

describe('many partial refunds of a large order', () => {
  // Shares rounded one refund at a time would drift here: 20 refunds of 5,000 of an order of 99,999
  // that earned 999 points are 49.95 points each, 50 when rounded alone, 1,000 in all.
  it('claw back exactly the 999 points earned, each refund what the running total says', async () => {
    await order({ orderId: 'large', total: 99_999 });
    const amounts = [...Array(19).fill(5_000), 4_999];
    const answers = await refundInSteps('large', amounts);
    let refunded = 0;
    const expected = amounts.map((amount) => {
      const due = dueOn(999, refunded + amount, 99_999) - dueOn(999, refunded, 99_999);
      refunded += amount;
      return due;
    });
    expect(answers.map((answer) => answer.pointsClawedBack)).toEqual(expected);
    expect(expected.filter((due) => due === 49)).not.toHaveLength(0);
    expect(sum(answers, 'pointsClawedBack')).toBe(999);
    expect(sum(answers, 'pointsNotRecovered')).toBe(0);
    expect(await balance()).toBe(0);
  });

  it('return exactly the 33,333 points that paid, and claw back exactly the 666 earned, over seven refunds', async () => {
    await adjust(40_000);
    // 33,333 points pay 333.33 of 999.99; the 666.66 paid otherwise earns 666 points.
    expect(await order({ orderId: 'paid-with-points', total: 99_999, redeemPoints: 33_333 })).toMatchObject({
      pointsEarned: 666,
      pointsBalance: 40_000 - 33_333 + 666,
    });
    // 33,333 × 14,285 / 99,999 = 4,761.76: rounded alone, six of these would return 4,762 each.
    const amounts = [...Array(6).fill(14_285), 14_289];
    const answers = await refundInSteps('paid-with-points', amounts);
    let refunded = 0;
    const expected = amounts.map((amount) => {
      const step = {
        pointsReturned: dueOn(33_333, refunded + amount, 99_999) - dueOn(33_333, refunded, 99_999),
        pointsClawedBack: dueOn(666, refunded + amount, 99_999) - dueOn(666, refunded, 99_999),
      };
      refunded += amount;
      return step;
    });
    expect(answers.map(({ pointsReturned, pointsClawedBack }) => ({ pointsReturned, pointsClawedBack }))).toEqual(expected);
    expect(sum(answers, 'pointsReturned')).toBe(33_333);
    expect(sum(answers, 'pointsClawedBack')).toBe(666);
    expect(await balance()).toBe(40_000);
  });
});

describe('refunds by lines', () => {
  it("prices the refunded quantities from the order's lines", async () => {
    // 2 × 1500 + 1 × 2000 = 5000: 50 points.
    await order({
      orderId: 'lines',
      total: 5_000,
      lines: [
        { sku: 'BEANS', quantity: 2, unitPrice: 1_500 },
        { sku: 'MUG', quantity: 1, unitPrice: 2_000 },
      ],
    });
    expect(await refund({ orderId: 'lines', lines: [{ sku: 'BEANS', quantity: 1 }] })).toMatchObject({
      amount: 1_500,
      totalRefunded: 1_500,
      pointsClawedBack: 15, // 50 × 1500/5000
      pointsBalance: 35,
    });
    expect(
      await refund({
        orderId: 'lines',
        lines: [
          { sku: 'MUG', quantity: 1 },
          { sku: 'BEANS', quantity: 1 },
        ],
      }),
    ).toMatchObject({
      amount: 3_500,
      totalRefunded: 5_000,
      pointsClawedBack: 35,
      pointsBalance: 0,
    });
    // Nothing is left of any line.
    const again = await refund({ orderId: 'lines', lines: [{ sku: 'BEANS', quantity: 1 }] });
    expect(again).toMatchObject({ __typename: 'InvalidInputError' });
    expect(again.issues).toEqual([{ path: ['input', 'lines'], message: expect.stringContaining('not on the order') }]);
  });

  it('takes a SKU on several lines from the first lines first', async () => {
    await order({
      orderId: 'split-sku',
      total: 2_000,
      lines: [
        { sku: 'CUP', quantity: 1, unitPrice: 1_000 },
        { sku: 'CUP', quantity: 2, unitPrice: 500 },
      ],
    });
    expect(await refund({ orderId: 'split-sku', lines: [{ sku: 'CUP', quantity: 2 }] })).toMatchObject({ amount: 1_500 }); // 1000 + 500
    expect(await refund({ orderId: 'split-sku', lines: [{ sku: 'CUP', quantity: 1 }] })).toMatchObject({
      amount: 500,
      totalRefunded: 2_000,
    });
  });

  it('counts a SKU repeated in the refund against the same lines', async () => {
    await order({ orderId: 'repeat', total: 1_400, lines: [{ sku: 'TEA', quantity: 2, unitPrice: 700 }] });
    expect(
      (
        await refund({
          orderId: 'repeat',
          lines: [
            { sku: 'TEA', quantity: 2 },
            { sku: 'TEA', quantity: 1 },
          ],
        })
      ).__typename,
    ).toBe('InvalidInputError');
    expect(
      await refund({
        orderId: 'repeat',
        lines: [
          { sku: 'TEA', quantity: 1 },
          { sku: 'TEA', quantity: 1 },
        ],
      }),
    ).toMatchObject({ amount: 1_400 });
  });

  it.each([
    ['a SKU not on the order', [{ sku: 'SCONE', quantity: 1 }]],
    ['more than was ordered', [{ sku: 'BEANS', quantity: 3 }]],
    [
      'one bad line among good ones',
      [
        { sku: 'MUG', quantity: 1 },
        { sku: 'SCONE', quantity: 1 },
      ],
    ],
  ])('refuses %s with InvalidInputError and changes nothing', async (_name, lines) => {
    await order({
      orderId: 'lines',
      total: 5_000,
      lines: [
        { sku: 'BEANS', quantity: 2, unitPrice: 1_500 },
        { sku: 'MUG', quantity: 1, unitPrice: 2_000 },
      ],
    });
    const result = await refund({ orderId: 'lines', lines });
    expect(result).toMatchObject({ __typename: 'InvalidInputError', code: 'INVALID_INPUT' });
    expect(result.issues).toEqual([{ path: ['input', 'lines'], message: expect.any(String) }]);
    expect(await balance()).toBe(50);
    // The order and its lines are untouched: all of it can still be refunded by lines.
    expect(
      await refund({
        orderId: 'lines',
        lines: [
          { sku: 'BEANS', quantity: 2 },
          { sku: 'MUG', quantity: 1 },
        ],
      }),
    ).toMatchObject({
      amount: 5_000,
      totalRefunded: 5_000,
      pointsClawedBack: 50,
    });
  });

  it('refuses lines on an order recorded without lines', async () => {
    await order({ orderId: 'no-lines', total: 1_000 });
    expect((await refund({ orderId: 'no-lines', lines: [{ sku: 'ANY', quantity: 1 }] })).__typename).toBe('InvalidInputError');
  });

  it('refuses lines the order has already refunded by amount, and keeps the line quantities', async () => {
    await order({ orderId: 'partly', total: 2_000, lines: [{ sku: 'BAG', quantity: 2, unitPrice: 1_000 }] });
    expect(await refund({ orderId: 'partly', amount: 1_500 })).toMatchObject({ totalRefunded: 1_500 });
    expect(await refund({ orderId: 'partly', lines: [{ sku: 'BAG', quantity: 1 }] })).toMatchObject({
      __typename: 'RefundExceedsOrderError',
      refundable: 500,
    });
    expect(await refund({ orderId: 'partly', amount: 500 })).toMatchObject({ totalRefunded: 2_000 });
  });

  it('refunds a free line of a free order (nothing to refund, nothing to move)', async () => {
    await order({ orderId: 'gift', total: 0, lines: [{ sku: 'SAMPLE', quantity: 1, unitPrice: 0 }] });
    const response = await app.graphql(
      REFUND,
      { input: { orderId: 'gift', lines: [{ sku: 'SAMPLE', quantity: 1 }], idempotencyKey: 'gift-refund' } },
      await app.token({ role: 'admin' }),
    );
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    expect(response.data?.refundOrder).toMatchObject({
      __typename: 'RefundOrderPayload',
      amount: 0,
      totalRefunded: 0,
      pointsClawedBack: 0,
      pointsNotRecovered: 0,
      pointsReturned: 0,
      pointsBalance: 0,
    });
  });
});

describe('points already spent', () => {
  it('takes back only what the member still has, reports the rest as not recovered, never goes negative', async () => {
    await order({ orderId: 'spent', total: 10_000 }); // 100 points
    await mutate(app, REDEEM, { memberId: member.globalId, points: 80 });
    expect(await refund({ orderId: 'spent', amount: 10_000 })).toMatchObject({
      pointsClawedBack: 20,
      pointsNotRecovered: 80,
      pointsReturned: 0,
      pointsBalance: 0,
    });
    expect(await balance()).toBe(0);
  });

  it("takes from the order's own lot first, then the earliest-expiring others", async () => {
    await order({ orderId: 'own', total: 10_000 }); // lot O: 100, expires 2027-11-23
    app.clock.set('2026-12-01T10:00:00Z');
    await adjust(50); // lot X: 50, expires 2027-12-01
    await adjust(30); // lot Y: 30, expires 2027-12-01 too
    await mutate(app, REDEEM, { memberId: member.globalId, points: 80 }); // from O (earliest expiry): O 20, X 50, Y 30

    // Half the order: 50 points to take back: O's 20, then X's 30.
    expect(await refund({ orderId: 'own', amount: 5_000 })).toMatchObject({
      pointsClawedBack: 50,
      pointsNotRecovered: 0,
      pointsBalance: 50,
    });
    expect((await lotsOf(app, member.globalId)).map((lot) => lot.remaining)).toEqual([30, 20, 0]); // Y, X, O
    // The other half: 50 more, but the member holds only 50: X's 20 and Y's 30. The balance stops at 0.
    expect(await refund({ orderId: 'own', amount: 5_000 })).toMatchObject({
      pointsClawedBack: 50,
      pointsNotRecovered: 0,
      pointsBalance: 0,
    });
  });

  it('does not chase points it could not recover in later refunds of the same order', async () => {
    await order({ orderId: 'chase', total: 10_000 }); // 100 points
    await mutate(app, REDEEM, { memberId: member.globalId, points: 80 }); // 20 left
    // Half refunded: 50 to take back, the member holds 20.
    expect(await refund({ orderId: 'chase', amount: 5_000 })).toMatchObject({
      pointsClawedBack: 20,
      pointsNotRecovered: 30,
      pointsBalance: 0,
    });
    await order({ orderId: 'later', total: 4_000 }); // 40 new points
    // The rest: 50 more of the order's points to take back, from the new lot (40 held).
    expect(await refund({ orderId: 'chase', amount: 5_000 })).toMatchObject({
      pointsClawedBack: 40,
      pointsNotRecovered: 10,
      pointsBalance: 0,
    });
  });

  it('recovers earned points from the points the same refund returns', async () => {
    await adjust(100); // lot A: 100
    // 1000 paying 100 points: 900 paid earns 9 (lot O). Balance 9.
    await order({ orderId: 'mixed', total: 1_000, redeemPoints: 100 });
    await mutate(app, REDEEM, { memberId: member.globalId, points: 9 }); // the 9 earned points, spent on a reward
    expect(await balance()).toBe(0);

    // The full refund returns the 100 points that paid and takes back the 9 earned on the order: the
    // member ends with 100 − 9 = 91, as if the order never happened and the reward cost 9 points.
    expect(await refund({ orderId: 'mixed', amount: 1_000 })).toMatchObject({
      pointsReturned: 100,
      pointsClawedBack: 9,
      pointsNotRecovered: 0,
      pointsBalance: 91,
    });
    expect(await balance()).toBe(91);
  });
});

describe('returned points', () => {
  it('go back into the lots they were drawn from, latest expiry first, keeping their expiry', async () => {
    await adjust(100); // lot A: earned 2026-11-23, expires 2027-11-23
    app.clock.set('2027-01-15T10:00:00Z');
    await adjust(100); // lot B: expires 2028-01-15
    app.clock.set('2027-02-01T10:00:00Z');
    // 150 points: all 100 of A (earliest expiry), 50 of B. 850 paid earns 8 (lot O, expires 2028-02-01).
    await order({ orderId: 'paid', total: 1_000, redeemPoints: 150 });
    expect((await lotsOf(app, member.globalId)).map((lot) => lot.remaining)).toEqual([8, 50, 0]);

    app.clock.set('2027-02-10T10:00:00Z');
    // Half: 75 returned, first the 50 of B (the later expiry), then 25 into A; 4 of O's 8 taken back.
    expect(await refund({ orderId: 'paid', amount: 500 })).toMatchObject({ pointsReturned: 75, pointsClawedBack: 4, pointsBalance: 129 }); // 58 + 75 − 4
    expect(await lotsOf(app, member.globalId)).toEqual([
      { amount: 8, remaining: 4, earnedAt: '2027-02-01T10:00:00.000Z', expiresAt: '2028-02-01T10:00:00.000Z' },
      { amount: 100, remaining: 100, earnedAt: '2027-01-15T10:00:00.000Z', expiresAt: '2028-01-15T10:00:00.000Z' },
      { amount: 100, remaining: 25, earnedAt: '2026-11-23T10:00:00.000Z', expiresAt: '2027-11-23T10:00:00.000Z' },
    ]);

    // The rest: 75 more into A.
    expect(await refund({ orderId: 'paid', amount: 500 })).toMatchObject({ pointsReturned: 75, pointsClawedBack: 4, pointsBalance: 200 });
    expect((await lotsOf(app, member.globalId)).map((lot) => lot.remaining)).toEqual([0, 100, 100]);
  });
});

describe('idempotency', () => {
  beforeEach(async () => {
    await order({ orderId: 'retry', total: 1_000 }); // 10 points
  });

  it('answers a retry with the first result, replayed, and refunds once', async () => {
    const first = await refund({ orderId: 'retry', amount: 300, idempotencyKey: 'refund-1' });
    expect(first).toMatchObject({ replayed: false, totalRefunded: 300, pointsClawedBack: 3, pointsBalance: 7 });
    const retry = await refund({ orderId: 'retry', amount: 300, idempotencyKey: 'refund-1' });
    expect(retry).toEqual({ ...first, replayed: true });
    expect(await balance()).toBe(7);
    // Only 300 was refunded: 700 are left.
    expect(await refund({ orderId: 'retry', amount: 701 })).toMatchObject({ __typename: 'RefundExceedsOrderError', refundable: 700 });
  });

  it('replays a refund by lines', async () => {
    await order({ orderId: 'retry-lines', total: 600, lines: [{ sku: 'A', quantity: 3, unitPrice: 200 }] });
    const input = { orderId: 'retry-lines', lines: [{ sku: 'A', quantity: 2 }], idempotencyKey: 'refund-lines' };
    const first = await refund(input);
    expect(first).toMatchObject({ amount: 400, pointsClawedBack: 4 });
    expect(await refund(input)).toEqual({ ...first, replayed: true });
    // One unit is left.
    expect(await refund({ orderId: 'retry-lines', lines: [{ sku: 'A', quantity: 1 }] })).toMatchObject({ amount: 200, totalRefunded: 600 });
  });

  it('answers the same key with another amount with IdempotencyConflictError', async () => {
    await refund({ orderId: 'retry', amount: 300, idempotencyKey: 'refund-2' });
    expect(await refund({ orderId: 'retry', amount: 400, idempotencyKey: 'refund-2' })).toMatchObject({
      __typename: 'IdempotencyConflictError',
      idempotencyKey: 'refund-2',
    });
    expect(await balance()).toBe(7);
  });
});

describe('invalid input', () => {
  beforeEach(async () => {
    await order({ orderId: 'valid', total: 1_000, lines: [{ sku: 'A', quantity: 1, unitPrice: 1_000 }] });
  });

  it.each([
    ['both amount and lines', { amount: 100, lines: [{ sku: 'A', quantity: 1 }] }, ['input', 'amount'], 'either amount or lines'],
    ['neither amount nor lines', {}, ['input', 'amount'], 'either amount or lines'],
    ['an amount of 0', { amount: 0 }, ['input', 'amount'], 'at least 1'],
    ['a negative amount', { amount: -100 }, ['input', 'amount'], 'at least 0'],
    ['no lines', { lines: [] }, ['input', 'lines'], 'at least one line'],
    ['a line quantity of 0', { lines: [{ sku: 'A', quantity: 0 }] }, ['input', 'lines', '0', 'quantity'], 'at least 1'],
    ['an empty order id', { orderId: ' ', amount: 100 }, ['input', 'orderId'], 'must not be empty'],
  ])('refuses %s with InvalidInputError and changes nothing', async (_name, input, path, message) => {
    const result = await refund({ orderId: 'valid', ...input });
    expect(result).toMatchObject({ __typename: 'InvalidInputError', code: 'INVALID_INPUT' });
    expect(result.issues).toContainEqual({ path, message: expect.stringContaining(message) });
    expect(await balance()).toBe(10);
    expect(await refund({ orderId: 'valid', amount: 1_000 })).toMatchObject({ totalRefunded: 1_000 });
  });
});
