import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { closeSoundly, memberLedger, mutate, setRules, TOP_UP, transfersOf, ADJUST } from '../../support/ledger';
import { refundOrder } from '../../support/offers';
import { refundShares, type RefundableOrder } from '../../../src/modules/checkout/domain/refund';

/** Paying part of an order from the wallet in recordOrder (bonus credit first), and refunds giving it back in proportion. */

const PAYMENT = `__typename ... on Error { code message } ... on WalletPaymentExceedsTotalError { maximum } ... on InsufficientWalletBalanceError { available } ... on CurrencyMismatchError { expected }
  ... on InvalidInputError { issues { path } }`;
const FIELDS = `walletPayment { amount currency } amountPaid { amount } amountToPay { amount } pointsPayment { amount } pointsEarned`;
const RECORD = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { ${PAYMENT} ... on RecordOrderPayload { ${FIELDS} } } }`;
const QUOTE = `query($cart: QuoteCartInput!) { quote(cart: $cart) { ${PAYMENT} ... on Quote { ${FIELDS} } } }`;

let app: TestApp;
let memberId: string;
let orders = 0;
beforeEach(async () => {
  app = await createTestApp();
  memberId = (await enroll(app, { email: 'wallet@example.com' })).globalId;
  await setRules(app, { walletBonusThreshold: 1000, walletBonusBasisPoints: 1000 });
  await mutate(app, TOP_UP, { memberId, currency: 'EUR', amount: 5000, reference: null }); // 50.00 cash + 5.00 bonus
});
afterEach(() => closeSoundly(app));

const wallet = async () =>
  (await memberLedger(app, memberId)).walletBalances.find((balance: { currency: string }) => balance.currency === 'EUR');
async function record(input: Record<string, unknown>) {
  const orderId = `w-${++orders}`;
  const response = await app.graphql(
    RECORD,
    { input: { memberId, currency: 'EUR', total: 3000, orderId, idempotencyKey: orderId, ...input } },
    await app.token({ role: 'storefront' }),
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return { orderId, ...response.data!.recordOrder };
}

describe('wallet payment in recordOrder', () => {
  it("takes bonus credit first, in the order's batch, as quote said; points are earned on it", async () => {
    const cart = { memberId, currency: 'EUR', total: 3000, walletPayment: { amount: 2000, currency: 'EUR' } };
    const quoted = (await app.graphql(QUOTE, { cart }, await app.token({ role: 'storefront' }))).data!.quote;
    const { orderId, ...recorded } = await record({ walletPayment: { amount: 2000, currency: 'EUR' } });
    expect(recorded).toEqual({ ...quoted, __typename: 'RecordOrderPayload' });
    expect(recorded).toMatchObject({
      walletPayment: { amount: 2000, currency: 'EUR' },
      amountPaid: { amount: 3000 },
      amountToPay: { amount: 1000 },
      pointsEarned: 30,
    });
    expect(await wallet()).toEqual({ currency: 'EUR', cash: 3500, bonus: 0, total: 3500 });
    const moved = (await transfersOf(app, memberId)).filter((transfer) => transfer.kind === 'ORDER_WALLET_PAYMENT');
    expect(moved.map((transfer) => [transfer.amount, transfer.ref]).sort()).toEqual([
      [1500, orderId],
      [500, orderId],
    ]);
  });

  it('refunds give the wallet back its share, bonus to bonus, exactly by the full refund', async () => {
    const { orderId } = await record({ walletPayment: { amount: 2000, currency: 'EUR' } });
    expect(await refundOrder(app, { orderId, amount: 1500 })).toMatchObject({ walletReturned: 1000 });
    expect(await wallet()).toMatchObject({ cash: 4250, bonus: 250 });
    expect(await refundOrder(app, { orderId, amount: 1 })).toMatchObject({ walletReturned: 1 });
    expect(await refundOrder(app, { orderId, amount: 1499 })).toMatchObject({ walletReturned: 999, offersReleased: true });
    expect(await wallet()).toMatchObject({ cash: 5000, bonus: 500 });
  });

  it('pays what discounts and points leave; refuses more, more than the wallet holds, another currency or a guest: nothing written', async () => {
    await mutate(app, ADJUST, { memberId, points: 300, reason: 'fixture' });
    expect(await record({ total: 1000, redeemPoints: 300, walletPayment: { amount: 701, currency: 'EUR' } })).toMatchObject({
      __typename: 'WalletPaymentExceedsTotalError',
      maximum: 700,
    });
    expect(await record({ total: 10_000, walletPayment: { amount: 5501, currency: 'EUR' } })).toMatchObject({
      __typename: 'InsufficientWalletBalanceError',
      available: 5500,
    });
    expect(await record({ walletPayment: { amount: 100, currency: 'USD' } })).toMatchObject({
      __typename: 'CurrencyMismatchError',
      expected: 'EUR',
    });
    expect(await record({ walletPayment: { amount: 0, currency: 'EUR' } })).toMatchObject({
      __typename: 'InvalidInputError',
      issues: [{ path: ['input', 'walletPayment', 'amount'] }],
    });
    expect(await record({ memberId: null, walletPayment: { amount: 100, currency: 'EUR' } })).toMatchObject({
      __typename: 'InsufficientWalletBalanceError',
      available: 0,
    });
    expect(await wallet()).toMatchObject({ cash: 5000, bonus: 500 });
    expect(await record({ total: 1000, redeemPoints: 300, walletPayment: { amount: 700, currency: 'EUR' } })).toMatchObject({
      amountToPay: { amount: 0 },
      pointsEarned: 7,
    });
  });
});

describe('refundShares of a wallet payment', () => {
  it('over any series of partial refunds: never negative, and exactly what was paid by the full refund', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 1_000_000 })
          .chain((net) =>
            fc.tuple(fc.constant(net), fc.integer({ min: 0, max: net }), fc.array(fc.integer({ min: 1, max: net }), { maxLength: 8 })),
          ),
        fc.double({ min: 0, max: 1, noNaN: true }),
        ([net, walletPayment, cuts], bonusShare) => {
          let order: RefundableOrder = {
            total: net,
            discount: 0,
            refundedAmount: 0,
            pointsEarned: 0,
            pointsRedeemed: 0,
            pointsClawedBack: 0,
            pointsReturned: 0,
            walletPayment,
            walletBonusPayment: Math.floor(walletPayment * bonusShare),
            walletReturned: 0,
            walletBonusReturned: 0,
          };
          const refunds = [...cuts.filter((cut) => cut < net), net];
          for (const cut of refunds) {
            const amount = Math.min(cut, net - order.refundedAmount);
            const { walletToReturn } = refundShares(order, amount);
            expect(walletToReturn.bonus).toBeGreaterThanOrEqual(0);
            expect(walletToReturn.cash).toBeGreaterThanOrEqual(0);
            order = {
              ...order,
              refundedAmount: order.refundedAmount + amount,
              walletReturned: order.walletReturned + walletToReturn.bonus + walletToReturn.cash,
              walletBonusReturned: order.walletBonusReturned + walletToReturn.bonus,
            };
          }
          expect(order.walletReturned).toBe(order.walletPayment);
          expect(order.walletBonusReturned).toBe(order.walletBonusPayment);
        },
      ),
    );
  });
});
