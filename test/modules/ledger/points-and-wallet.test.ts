import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { TestApp } from '../../support/test-app';
import {
  lotsOf,
  memberLedger,
  mutate,
  RECORD_ORDER,
  REFUND_ORDER,
  setRules,
  SPEND_WALLET,
  TOP_UP,
  TRANSFER_FIELDS,
  transfersOf,
  freshLedgerApp,
  closeSoundly,
} from '../../support/ledger';

/**
 * redeemPoints, adjustPoints, reverseTransfer and the wallet from the outside. Default rules: EUR,
 * 1 point per 100 paid, 12-month points, no minimum redemption, no wallet bonus.
 */
const errorFields = `__typename ... on Error { code message } ... on InvalidInputError { issues { path message } } ... on IdempotencyConflictError { idempotencyKey }`;
const REDEEM = `mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { ${errorFields}
  ... on PointsPayload { points pointsBalance replayed transfer { ${TRANSFER_FIELDS} } }
  ... on InsufficientPointsError { requested available } ... on BelowMinimumRedemptionError { minimum } } }`;
const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { ${errorFields}
  ... on PointsPayload { points pointsBalance replayed transfer { ${TRANSFER_FIELDS} } }
  ... on InsufficientPointsError { requested available } } }`;
const REVERSE = `mutation($input: ReverseTransferInput!) { reverseTransfer(input: $input) { ${errorFields}
  ... on ReverseTransferPayload { replayed reversal { ${TRANSFER_FIELDS} } }
  ... on TransferNotReversibleError { reason } ... on TransferNotFoundError { transferId } } }`;

let app: TestApp;
let member: { globalId: string; memberId: string };

beforeEach(async () => {
  ({ app, member } = await freshLedgerApp());
});
afterEach(() => closeSoundly(app));

const redeem = (input: Record<string, unknown>, token?: string) => mutate(app, REDEEM, { memberId: member.globalId, ...input }, token);
const adjust = (points: number, input: Record<string, unknown> = {}, token?: string) =>
  mutate(app, ADJUST, { memberId: member.globalId, points, reason: 'fixture', ...input }, token);
const reverse = (transferId: string, input: Record<string, unknown> = {}, token?: string) =>
  mutate(app, REVERSE, { transferId, reason: 'operator correction', ...input }, token);
const topUp = (amount: number, input: Record<string, unknown> = {}, token?: string) =>
  mutate(app, TOP_UP, { memberId: member.globalId, currency: 'EUR', amount, ...input }, token);
const spend = (amount: number, input: Record<string, unknown> = {}, token?: string) =>
  mutate(app, SPEND_WALLET, { memberId: member.globalId, currency: 'EUR', amount, ...input }, token);
const ledger = () => memberLedger(app, member.globalId);
const remaining = async () => (await lotsOf(app, member.globalId)).map((lot) => lot.remaining);

const MEMBER_POINTS = { ownerType: 'member', kind: 'points', unit: 'POINTS' };

describe('redeemPoints', () => {
  it('spends the earliest-expiring points and records the reason and reference on the transfer', async () => {
    await adjust(300); // lot A, expires 2027-11-23
    app.clock.set('2026-12-01T10:00:00Z');
    await mutate(app, RECORD_ORDER, { memberId: member.globalId, orderId: 'o-1', currency: 'EUR', total: 20_000 }); // lot O: 200, expires 2027-12-01

    const result = await redeem({ points: 350, reason: 'Free coffee', reference: 'reward-42' });
    expect(result).toMatchObject({
      __typename: 'PointsPayload',
      points: 350,
      pointsBalance: 150,
      replayed: false,
      transfer: {
        kind: 'REDEEM',
        amount: 350,
        unit: 'POINTS',
        reason: 'Free coffee',
        ref: 'reward-42',
        reversesTransferId: null,
        debit: MEMBER_POINTS,
        credit: { ownerType: 'program', kind: 'points_redeemed', unit: 'POINTS' },
        createdAt: '2026-12-01T10:00:00.000Z',
      },
    });
    expect(await remaining()).toEqual([150, 0]); // O, A
    expect((await transfersOf(app, member.globalId))[0]).toEqual(result.transfer);
  });

  it('leaves reason and reference empty when not given', async () => {
    await adjust(10);
    expect((await redeem({ points: 10 })).transfer).toMatchObject({ reason: null, ref: null });
  });

  it('refuses more than the spendable points, and below the minimum redemption', async () => {
    await adjust(300);
    expect(await redeem({ points: 301 })).toMatchObject({
      __typename: 'InsufficientPointsError',
      code: 'INSUFFICIENT_POINTS',
      requested: 301,
      available: 300,
    });
    await setRules(app, { minimumRedemption: 50 });
    expect(await redeem({ points: 49 })).toMatchObject({
      __typename: 'BelowMinimumRedemptionError',
      code: 'BELOW_MINIMUM_REDEMPTION',
      minimum: 50,
    });
    expect((await ledger()).pointsBalance).toBe(300);
    expect(await redeem({ points: 50 })).toMatchObject({ pointsBalance: 250 });
  });

  it.each([
    [{ points: 0 }, ['input', 'points'], 'at least 1'],
    [{ points: -10 }, ['input', 'points'], 'at least 1'],
    [{ points: 10, reason: '  ' }, ['input', 'reason'], 'must not be empty'],
    [{ points: 10, reference: 'r'.repeat(201) }, ['input', 'reference'], 'at most 200'],
  ])('refuses %j with InvalidInputError', async (input, path, message) => {
    await adjust(100);
    const result = await redeem(input);
    expect(result).toMatchObject({ __typename: 'InvalidInputError' });
    expect(result.issues).toContainEqual({ path, message: expect.stringContaining(message) });
    expect((await ledger()).pointsBalance).toBe(100);
  });

  it('replays a retry and refuses the key with another input', async () => {
    await adjust(100);
    const first = await redeem({ points: 30, idempotencyKey: 'redeem-1' });
    expect(await redeem({ points: 30, idempotencyKey: 'redeem-1' })).toEqual({ ...first, replayed: true });
    expect(await redeem({ points: 31, idempotencyKey: 'redeem-1' })).toMatchObject({
      __typename: 'IdempotencyConflictError',
      idempotencyKey: 'redeem-1',
    });
    expect((await ledger()).pointsBalance).toBe(70);
  });

  it('may be called by a storefront', async () => {
    await adjust(100);
    expect(await redeem({ points: 40 }, await app.token({ role: 'storefront' }))).toMatchObject({
      __typename: 'PointsPayload',
      pointsBalance: 60,
    });
  });
});

describe('adjustPoints', () => {
  it("credits a new lot with the program's lifetime, the reason on the transfer", async () => {
    const result = await adjust(250, { reason: 'Goodwill: late delivery' });
    expect(result).toMatchObject({
      __typename: 'PointsPayload',
      points: 250,
      pointsBalance: 250,
      transfer: {
        kind: 'ADJUSTMENT',
        amount: 250,
        reason: 'Goodwill: late delivery',
        debit: { ownerType: 'program', kind: 'points_adjustments', unit: 'POINTS' },
        credit: MEMBER_POINTS,
      },
    });
    expect(await lotsOf(app, member.globalId)).toEqual([
      { amount: 250, remaining: 250, earnedAt: '2026-11-23T10:00:00.000Z', expiresAt: '2027-11-23T10:00:00.000Z' },
    ]);
  });

  it('credits a never-expiring lot when points never expire', async () => {
    await setRules(app, { pointsLifetimeMonths: null });
    await adjust(10);
    expect((await lotsOf(app, member.globalId))[0]).toMatchObject({ expiresAt: null });
  });

  it('debits earliest-expiring first with a negative amount', async () => {
    await adjust(100); // A, expires 2027-11-23
    app.clock.set('2027-01-01T10:00:00Z');
    await adjust(100); // B, expires 2028-01-01
    const result = await adjust(-150, { reason: 'Fraudulent order' });
    expect(result).toMatchObject({
      points: -150,
      pointsBalance: 50,
      transfer: {
        kind: 'ADJUSTMENT',
        amount: 150,
        reason: 'Fraudulent order',
        debit: MEMBER_POINTS,
        credit: { ownerType: 'program', kind: 'points_adjustments' },
      },
    });
    expect(await remaining()).toEqual([50, 0]); // B, A
  });

  it('refuses to debit more than the spendable points (expired ones excluded)', async () => {
    await adjust(100); // expires 2027-11-23T10:00Z
    app.clock.set('2027-06-01T10:00:00Z');
    await adjust(100);
    expect(await adjust(-201)).toMatchObject({ __typename: 'InsufficientPointsError', requested: 201, available: 200 });
    app.clock.set('2027-11-23T10:00:00Z');
    expect(await adjust(-101)).toMatchObject({ __typename: 'InsufficientPointsError', requested: 101, available: 100 });
    expect((await ledger()).pointsBalance).toBe(200);
  });

  it.each([
    [{ points: 0 }, ['input', 'points'], 'must not be 0'],
    [{ points: 10, reason: '   ' }, ['input', 'reason'], 'must not be empty'],
  ])('refuses %j with InvalidInputError', async (input, path, message) => {
    const result = await adjust(1, input);
    expect(result).toMatchObject({ __typename: 'InvalidInputError' });
    expect(result.issues).toContainEqual({ path, message: expect.stringContaining(message) });
    expect((await ledger()).pointsBalance).toBe(0);
  });

  it('requires a reason (the schema makes it mandatory)', async () => {
    const response = await app.graphql(
      ADJUST,
      { input: { memberId: member.globalId, points: 10, idempotencyKey: 'no-reason' } },
      await app.token({ role: 'admin' }),
    );
    expect(response.errors?.[0]?.message).toMatch(/reason/);
    expect((await ledger()).pointsBalance).toBe(0);
  });

  it.each(['storefront', 'member'] as const)('is refused for a %s token (FORBIDDEN) and moves nothing', async (role) => {
    const token = await app.token({ role, subject: role === 'member' ? member.memberId : 'shop' });
    const response = await app.graphql(
      ADJUST,
      { input: { memberId: member.globalId, points: 1_000, reason: 'please', idempotencyKey: `adj-${role}` } },
      token,
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(response.data?.adjustPoints ?? null).toBeNull();
    expect((await ledger()).pointsBalance).toBe(0);
  });
});

describe('reverseTransfer', () => {
  it('reverses a redemption: the points go back into the very lots they came from', async () => {
    await adjust(100); // A, expires 2027-11-23
    app.clock.set('2027-01-01T10:00:00Z');
    await adjust(100); // B, expires 2028-01-01
    const redeemed = await redeem({ points: 150 }); // A 0, B 50
    expect(await remaining()).toEqual([50, 0]);

    app.clock.set('2027-01-02T10:00:00Z');
    const result = await reverse(redeemed.transfer.id, { reason: 'Reward out of stock' });
    expect(result).toMatchObject({
      __typename: 'ReverseTransferPayload',
      replayed: false,
      reversal: {
        kind: 'REVERSAL',
        amount: 150,
        reason: 'Reward out of stock',
        reversesTransferId: redeemed.transfer.id,
        debit: { ownerType: 'program', kind: 'points_redeemed' },
        credit: MEMBER_POINTS,
        createdAt: '2027-01-02T10:00:00.000Z',
      },
    });
    expect(await lotsOf(app, member.globalId)).toEqual([
      { amount: 100, remaining: 100, earnedAt: '2027-01-01T10:00:00.000Z', expiresAt: '2028-01-01T10:00:00.000Z' },
      { amount: 100, remaining: 100, earnedAt: '2026-11-23T10:00:00.000Z', expiresAt: '2027-11-23T10:00:00.000Z' },
    ]);
    expect((await ledger()).pointsBalance).toBe(200);
    expect((await transfersOf(app, member.globalId))[0]).toEqual(result.reversal);
  });

  it('reverses an adjustment credit, emptying its lot', async () => {
    const credit = await adjust(100);
    expect(await reverse(credit.transfer.id)).toMatchObject({ reversal: { kind: 'REVERSAL', amount: 100, debit: MEMBER_POINTS } });
    expect((await ledger()).pointsBalance).toBe(0);
    expect(await lotsOf(app, member.globalId)).toEqual([expect.objectContaining({ amount: 100, remaining: 0 })]);
  });

  it('reverses an adjustment debit, refilling the lots', async () => {
    await adjust(100);
    const debit = await adjust(-40);
    await reverse(debit.transfer.id);
    expect((await ledger()).pointsBalance).toBe(100);
    expect(await remaining()).toEqual([100]);
  });

  it('reverses a wallet spend', async () => {
    await topUp(1_000);
    await spend(400);
    const [spendTransfer] = await transfersOf(app, member.globalId);
    expect(spendTransfer).toMatchObject({ kind: 'WALLET_SPEND', amount: 400, unit: 'EUR' });
    expect(await reverse(spendTransfer!.id)).toMatchObject({
      reversal: { amount: 400, unit: 'EUR', credit: { ownerType: 'member', kind: 'wallet_cash', unit: 'EUR' } },
    });
    expect((await ledger()).walletBalances).toEqual([{ currency: 'EUR', cash: 1_000, bonus: 0, total: 1_000 }]);
  });

  it('refuses every kind other than redemptions, adjustments and wallet spends', async () => {
    await setRules(app, { walletBonusThreshold: 1_000, walletBonusBasisPoints: 1_000 });
    await adjust(500);
    await mutate(app, RECORD_ORDER, { memberId: member.globalId, orderId: 'o-1', currency: 'EUR', total: 2_000, redeemPoints: 300 }); // ORDER_PAYMENT 300, EARN 17
    await mutate(app, REFUND_ORDER, { orderId: 'o-1', amount: 1_000 }); // REFUND_CLAWBACK 9 (8.5 rounded up), REFUND_RETURN 150
    await topUp(1_000); // WALLET_TOP_UP 1000, WALLET_BONUS 100
    const redeemed = await redeem({ points: 10 });
    await reverse(redeemed.transfer.id); // REVERSAL

    const byKind = new Map((await transfersOf(app, member.globalId)).map((transfer) => [transfer.kind, transfer]));
    const refused = ['EARN', 'ORDER_PAYMENT', 'REFUND_CLAWBACK', 'REFUND_RETURN', 'WALLET_TOP_UP', 'WALLET_BONUS', 'REVERSAL'];
    for (const kind of refused) {
      const transfer = byKind.get(kind);
      expect(transfer, kind).toBeDefined();
      const result = await reverse(transfer!.id);
      expect(result, kind).toMatchObject({
        __typename: 'TransferNotReversibleError',
        code: 'TRANSFER_NOT_REVERSIBLE',
        reason: `${kind.toLowerCase()} transfers are not reversed this way`,
      });
    }
    const after = await ledger();
    expect(after.pointsBalance).toBe(500 - 300 + 17 - 9 + 150);
    expect(after.walletBalances).toEqual([{ currency: 'EUR', cash: 1_000, bonus: 100, total: 1_100 }]);
  });

  it('reverses once: a second reversal is refused, a retry of the first is replayed', async () => {
    await adjust(100);
    const redeemed = await redeem({ points: 60 });
    const first = await reverse(redeemed.transfer.id, { idempotencyKey: 'reverse-1' });
    expect(await reverse(redeemed.transfer.id, { idempotencyKey: 'reverse-1' })).toEqual({ ...first, replayed: true });
    expect(await reverse(redeemed.transfer.id)).toMatchObject({
      __typename: 'TransferNotReversibleError',
      reason: 'it is already reversed',
    });
    expect((await ledger()).pointsBalance).toBe(100);
  });

  it('refuses to reverse a credit whose points have been spent, until the spending is reversed', async () => {
    const credit = await adjust(100);
    const redeemed = await redeem({ points: 30 });
    expect(await reverse(credit.transfer.id)).toMatchObject({
      __typename: 'TransferNotReversibleError',
      reason: 'the points it credited have been spent',
    });
    expect((await ledger()).pointsBalance).toBe(70);

    await reverse(redeemed.transfer.id);
    expect(await reverse(credit.transfer.id)).toMatchObject({ __typename: 'ReverseTransferPayload' });
    expect((await ledger()).pointsBalance).toBe(0);
  });

  it.each([
    ['an unknown transfer', () => encodeGlobalID('Transfer', '01900000-0000-7000-8000-000000000000')],
    ['a malformed id', () => 'garbage'],
    ['the id of a member', () => member.globalId],
  ])('answers TransferNotFoundError for %s', async (_name, transferId) => {
    expect(await reverse(transferId())).toMatchObject({ __typename: 'TransferNotFoundError', code: 'TRANSFER_NOT_FOUND' });
  });

  it('answers TransferNotFoundError for a transfer of another program', async () => {
    const credit = await adjust(100);
    const globexAdmin = await app.token({ role: 'admin', programId: 'globex' });
    expect(await reverse(credit.transfer.id, {}, globexAdmin)).toMatchObject({ __typename: 'TransferNotFoundError' });
    expect((await ledger()).pointsBalance).toBe(100);
  });

  it('requires a reason, and is for admins only', async () => {
    const credit = await adjust(100);
    const invalid = await reverse(credit.transfer.id, { reason: ' ' });
    expect(invalid).toMatchObject({ __typename: 'InvalidInputError' });
    expect(invalid.issues).toContainEqual({ path: ['input', 'reason'], message: 'must not be empty' });

    const response = await app.graphql(
      REVERSE,
      { input: { transferId: credit.transfer.id, reason: 'x', idempotencyKey: 'sf' } },
      await app.token({ role: 'storefront' }),
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await ledger()).pointsBalance).toBe(100);
  });
});

describe('wallet', () => {
  it('tops up without a bonus by default', async () => {
    const result = await topUp(5_000, { reference: 'pos-1' });
    expect(result).toEqual({
      __typename: 'WalletPayload',
      amount: 5_000,
      bonus: 0,
      fromBonus: 0,
      fromCash: 0,
      replayed: false,
      wallet: { currency: 'EUR', cash: 5_000, bonus: 0, total: 5_000 },
    });
    expect((await ledger()).walletBalances).toEqual([{ currency: 'EUR', cash: 5_000, bonus: 0, total: 5_000 }]);
    expect(await transfersOf(app, member.globalId)).toEqual([
      expect.objectContaining({
        kind: 'WALLET_TOP_UP',
        amount: 5_000,
        unit: 'EUR',
        ref: 'pos-1',
        debit: { ownerType: 'program', kind: 'wallet_funding', unit: 'EUR' },
        credit: { ownerType: 'member', kind: 'wallet_cash', unit: 'EUR' },
      }),
    ]);
  });

  // Threshold 100.00, 5 % bonus: floor(amount × 500 / 10000).
  it.each([
    [9_999, 0],
    [10_000, 500],
    [10_001, 500], // 500.05
    [12_345, 617], // 617.25
  ])('with a 5 %% bonus from 10000: a top-up of %i earns %i bonus credit', async (amount, bonus) => {
    await setRules(app, { walletBonusThreshold: 10_000, walletBonusBasisPoints: 500 });
    expect(await topUp(amount)).toMatchObject({ amount, bonus, wallet: { cash: amount, bonus, total: amount + bonus } });
    const kinds = (await transfersOf(app, member.globalId)).map((transfer) => [transfer.kind, transfer.amount]);
    expect(kinds).toEqual(
      bonus > 0
        ? [
            ['WALLET_BONUS', bonus],
            ['WALLET_TOP_UP', amount],
          ]
        : [['WALLET_TOP_UP', amount]],
    );
  });

  it('writes no bonus transfer when the bonus rounds down to 0', async () => {
    await setRules(app, { walletBonusBasisPoints: 500 }); // threshold 0
    expect(await topUp(19)).toMatchObject({ bonus: 0, wallet: { cash: 19, bonus: 0 } }); // 0.95
    expect(await topUp(20)).toMatchObject({ bonus: 1, wallet: { cash: 39, bonus: 1 } });
  });

  it('spends bonus credit first, then cash', async () => {
    await setRules(app, { walletBonusThreshold: 10_000, walletBonusBasisPoints: 500 });
    await topUp(10_000); // cash 10000, bonus 500
    expect(await spend(200)).toMatchObject({ fromBonus: 200, fromCash: 0, wallet: { cash: 10_000, bonus: 300, total: 10_300 } });
    expect(await spend(700)).toMatchObject({ fromBonus: 300, fromCash: 400, wallet: { cash: 9_600, bonus: 0, total: 9_600 } });
    expect(await spend(600)).toMatchObject({ fromBonus: 0, fromCash: 600, wallet: { cash: 9_000, bonus: 0 } });
    const spends = (await transfersOf(app, member.globalId)).filter((transfer) => transfer.kind === 'WALLET_SPEND');
    expect(spends.map((transfer) => [transfer.debit.kind, transfer.amount])).toEqual([
      ['wallet_cash', 600],
      ['wallet_cash', 400],
      ['wallet_bonus', 300],
      ['wallet_bonus', 200],
    ]);
    expect((await ledger()).walletBalances).toEqual([{ currency: 'EUR', cash: 9_000, bonus: 0, total: 9_000 }]);
  });

  it('refuses to spend more than cash plus bonus, and moves nothing', async () => {
    await setRules(app, { walletBonusBasisPoints: 500 });
    await topUp(1_000); // bonus 50
    expect(await spend(1_051)).toMatchObject({
      __typename: 'InsufficientWalletBalanceError',
      code: 'INSUFFICIENT_WALLET_BALANCE',
      currency: 'EUR',
      available: 1_050,
    });
    expect((await ledger()).walletBalances).toEqual([{ currency: 'EUR', cash: 1_000, bonus: 50, total: 1_050 }]);
    expect(await spend(1_050)).toMatchObject({ fromBonus: 50, fromCash: 1_000, wallet: { total: 0 } });
  });

  it('keeps currencies apart', async () => {
    await topUp(1_000);
    await topUp(3_000, { currency: 'usd' });
    expect(await spend(3_500, { currency: 'USD' })).toMatchObject({
      __typename: 'InsufficientWalletBalanceError',
      currency: 'USD',
      available: 3_000,
    });
    expect(await spend(1, { currency: 'GBP' })).toMatchObject({
      __typename: 'InsufficientWalletBalanceError',
      currency: 'GBP',
      available: 0,
    });
    expect(await spend(3_000, { currency: 'USD' })).toMatchObject({ wallet: { currency: 'USD', cash: 0, bonus: 0, total: 0 } });
    expect((await ledger()).walletBalances).toEqual([
      { currency: 'EUR', cash: 1_000, bonus: 0, total: 1_000 },
      { currency: 'USD', cash: 0, bonus: 0, total: 0 },
    ]);
  });

  it('never touches points', async () => {
    await adjust(100);
    const lotsBefore = await lotsOf(app, member.globalId);
    await topUp(5_000);
    await spend(2_000);
    const after = await ledger();
    expect(after.pointsBalance).toBe(100);
    expect(await lotsOf(app, member.globalId)).toEqual(lotsBefore);
    const walletTransfers = (await transfersOf(app, member.globalId)).filter((transfer) => transfer.kind.startsWith('WALLET'));
    expect(walletTransfers.every((transfer) => transfer.unit === 'EUR')).toBe(true);
  });

  it('replays a retried top-up and refuses the key with another amount', async () => {
    const first = await topUp(1_000, { idempotencyKey: 'top-1' });
    expect(await topUp(1_000, { idempotencyKey: 'top-1' })).toEqual({ ...first, replayed: true });
    expect(await topUp(2_000, { idempotencyKey: 'top-1' })).toMatchObject({ __typename: 'IdempotencyConflictError' });
    const firstSpend = await spend(100, { idempotencyKey: 'spend-1' });
    expect(await spend(100, { idempotencyKey: 'spend-1' })).toEqual({ ...firstSpend, replayed: true });
    expect((await ledger()).walletBalances).toEqual([{ currency: 'EUR', cash: 900, bonus: 0, total: 900 }]);
  });

  it.each([
    [{ currency: 'EURO' }, ['input', 'currency'], '3-letter'],
    [{ amount: 0 }, ['input', 'amount'], 'at least 1'],
    [{ amount: -500 }, ['input', 'amount'], 'at least 1'],
    [{ reference: '' }, ['input', 'reference'], 'must not be empty'],
  ])('refuses %j with InvalidInputError, for top-ups and spends', async (input, path, message) => {
    for (const operation of [topUp, spend]) {
      const result = await operation(500, input);
      expect(result).toMatchObject({ __typename: 'InvalidInputError' });
      expect(result.issues).toContainEqual({ path, message: expect.stringContaining(message) });
    }
    expect((await ledger()).walletBalances).toEqual([]);
  });

  it('lets a storefront top up and spend, but not a member', async () => {
    const storefront = await app.token({ role: 'storefront' });
    await topUp(1_000, {}, storefront);
    await spend(300, {}, storefront);
    const memberToken = await app.token({ role: 'member', subject: member.memberId });
    for (const query of [TOP_UP, SPEND_WALLET]) {
      const response = await app.graphql(
        query,
        { input: { memberId: member.globalId, currency: 'EUR', amount: 100, idempotencyKey: `m-${query.length}` } },
        memberToken,
      );
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await ledger()).walletBalances).toEqual([{ currency: 'EUR', cash: 700, bonus: 0, total: 700 }]);
  });
});
