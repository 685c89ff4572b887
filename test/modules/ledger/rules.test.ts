import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { expectLedgerSound, lotsOf, mutate, RECORD_ORDER, RULES, setRules, UPDATE_RULES } from '../../support/ledger';

/**
 * Program rules from the outside: what a program starts with, how admins change them (partially,
 * validated, admins only, per program), and that changes apply to later operations only.
 */
let app: TestApp;
let admin: string;

beforeEach(async () => {
  app = await createTestApp();
  admin = await app.token({ role: 'admin' });
});
afterEach(async () => {
  await expectLedgerSound(app);
  await expectLedgerSound(app, 'globex');
  app.close();
});

const DEFAULT_RULES = {
  currency: 'EUR',
  earnPoints: 1,
  earnPerAmount: 100,
  earnRounding: 'DOWN',
  pointsLifetimeMonths: 12,
  redeemPoints: 100,
  redeemValue: 100,
  minimumRedemption: 0,
  walletBonusThreshold: 0,
  walletBonusBasisPoints: 0,
};

async function readRules(token = admin) {
  const response = await app.graphql(RULES, {}, token);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.program.rules;
}

/** Records an order of `total` minor units for a new member and returns the points it earned. */
async function earnedOn(total: number) {
  const { globalId } = await enroll(app, { email: `m-${Math.random()}@example.com` });
  const result = await mutate(app, RECORD_ORDER, { memberId: globalId, orderId: `o-${Math.random()}`, currency: 'EUR', total });
  expect(result.__typename, JSON.stringify(result)).toBe('RecordOrderPayload');
  return result.pointsEarned as number;
}

describe('default rules', () => {
  it('are EUR, 1 point per 1.00 rounded down, 12-month points, 100 points pay 1.00, no minimum, no wallet bonus', async () => {
    expect(await readRules()).toEqual(DEFAULT_RULES);
  });

  it('can be read by admins, storefronts and members of the program, not by partners', async () => {
    const { memberId } = await enroll(app, { email: 'reader@example.com' });
    expect(await readRules(await app.token({ role: 'storefront' }))).toEqual(DEFAULT_RULES);
    expect(await readRules(await app.token({ role: 'member', subject: memberId }))).toEqual(DEFAULT_RULES);

    const partner = await app.graphql(RULES, {}, await app.token({ role: 'partner', partnerId: 'beans-inc' }));
    expect(partner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(partner.data?.program ?? null).toBeNull();
  });
});

describe('updateProgramRules', () => {
  it('changes only the given fields and returns the whole rule set', async () => {
    const rules = await setRules(app, { earnPoints: 3, earnPerAmount: 200, earnRounding: 'HALF_UP' });
    expect(rules).toEqual({ ...DEFAULT_RULES, earnPoints: 3, earnPerAmount: 200, earnRounding: 'HALF_UP' });

    // A second partial update keeps the first one.
    const again = await setRules(app, { minimumRedemption: 500, walletBonusThreshold: 10_000, walletBonusBasisPoints: 250 });
    const expected = {
      ...DEFAULT_RULES,
      earnPoints: 3,
      earnPerAmount: 200,
      earnRounding: 'HALF_UP',
      minimumRedemption: 500,
      walletBonusThreshold: 10_000,
      walletBonusBasisPoints: 250,
    };
    expect(again).toEqual(expected);
    expect(await readRules()).toEqual(expected);

    // An empty update changes nothing.
    expect(await setRules(app, {})).toEqual(expected);
  });

  it('upper-cases the currency', async () => {
    expect((await setRules(app, { currency: 'usd' })).currency).toBe('USD');
    expect((await readRules()).currency).toBe('USD');
  });

  it('makes new points never expire with pointsLifetimeMonths: null, and keeps that when the field is omitted', async () => {
    expect((await setRules(app, { pointsLifetimeMonths: null })).pointsLifetimeMonths).toBeNull();
    expect((await setRules(app, { earnPoints: 2 })).pointsLifetimeMonths).toBeNull();

    const { globalId } = await enroll(app, { email: 'forever@example.com' });
    await mutate(app, RECORD_ORDER, { memberId: globalId, orderId: 'forever-1', currency: 'EUR', total: 1000 });
    // 1000 minor units × 2 points per 100 = 20 points, in a lot without expiry.
    expect(await lotsOf(app, globalId)).toEqual([{ amount: 20, remaining: 20, earnedAt: '2026-11-23T10:00:00.000Z', expiresAt: null }]);

    expect((await setRules(app, { pointsLifetimeMonths: 6 })).pointsLifetimeMonths).toBe(6);
  });

  it.each([
    [{ currency: 'EURO' }, ['input', 'currency'], '3-letter ISO 4217'],
    [{ currency: 'E1R' }, ['input', 'currency'], '3-letter ISO 4217'],
    [{ earnPoints: -1 }, ['input', 'earnPoints'], 'must not be negative'],
    [{ earnPerAmount: 0 }, ['input', 'earnPerAmount'], 'must be at least 1'],
    [{ redeemPoints: 0 }, ['input', 'redeemPoints'], 'must be at least 1'],
    [{ redeemValue: -100 }, ['input', 'redeemValue'], 'must not be negative'],
    [{ minimumRedemption: -1 }, ['input', 'minimumRedemption'], 'must not be negative'],
    [{ pointsLifetimeMonths: 0 }, ['input', 'pointsLifetimeMonths'], 'must be at least 1'],
    [{ walletBonusThreshold: -5 }, ['input', 'walletBonusThreshold'], 'must not be negative'],
    [{ walletBonusBasisPoints: 20_000 }, ['input', 'walletBonusBasisPoints'], '10000'],
    [{ walletBonusBasisPoints: -1 }, ['input', 'walletBonusBasisPoints'], 'must not be negative'],
    [{ earnPoints: null }, ['input', 'earnPoints'], ''],
  ])('rejects %j as InvalidInputError at its path and changes nothing', async (input, path, message) => {
    const response = await app.graphql(UPDATE_RULES, { input }, admin);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const result = response.data!.updateProgramRules;
    expect(result).toMatchObject({ __typename: 'InvalidInputError', code: 'INVALID_INPUT' });
    expect(result.issues).toContainEqual({ path, message: expect.stringContaining(message) });
    expect(await readRules()).toEqual(DEFAULT_RULES);
  });

  it('reports every invalid field at once, and applies none of the valid ones', async () => {
    const response = await app.graphql(UPDATE_RULES, { input: { currency: 'EURO', earnPoints: -1, minimumRedemption: 10 } }, admin);
    const result = response.data!.updateProgramRules;
    expect(result.__typename).toBe('InvalidInputError');
    expect(result.issues.map((issue: { path: string[] }) => issue.path)).toEqual(
      expect.arrayContaining([
        ['input', 'currency'],
        ['input', 'earnPoints'],
      ]),
    );
    expect(await readRules()).toEqual(DEFAULT_RULES);
  });

  it.each([
    ['storefront', 'FORBIDDEN'],
    ['member', 'FORBIDDEN'],
    ['partner', 'FORBIDDEN'],
    ['anonymous', 'UNAUTHENTICATED'],
  ] as const)('is refused for %s (%s) and changes nothing', async (role, code) => {
    const { memberId } = await enroll(app, { email: 'member@example.com' });
    const token =
      role === 'anonymous'
        ? undefined
        : await app.token({
            role,
            subject: role === 'member' ? memberId : `test-${role}`,
            partnerId: role === 'partner' ? 'beans-inc' : undefined,
          });
    const response = await app.graphql(UPDATE_RULES, { input: { earnPoints: 50 } }, token);
    expect(response.errors?.[0]?.extensions?.code).toBe(code);
    expect(response.data?.updateProgramRules ?? null).toBeNull();
    expect(await readRules()).toEqual(DEFAULT_RULES);
  });

  it("changes only the rules of the admin's own program", async () => {
    await setRules(app, { earnPoints: 7, currency: 'GBP' }, 'globex');
    expect(await readRules()).toEqual(DEFAULT_RULES);
    expect(await readRules(await app.token({ role: 'admin', programId: 'globex' }))).toEqual({
      ...DEFAULT_RULES,
      earnPoints: 7,
      currency: 'GBP',
    });
  });
});

describe('new rules apply to later orders, never to earlier ones', () => {
  it('earns at the new rate after a change; the earlier lot keeps its points and expiry', async () => {
    const { globalId } = await enroll(app, { email: 'rate@example.com' });
    const before = await mutate(app, RECORD_ORDER, { memberId: globalId, orderId: 'rate-1', currency: 'EUR', total: 1_000 });
    expect(before.pointsEarned).toBe(10); // 1000 / 100 × 1

    await setRules(app, { earnPoints: 3, earnPerAmount: 200, pointsLifetimeMonths: 1 });
    app.clock.set('2026-11-30T10:00:00Z');
    const after = await mutate(app, RECORD_ORDER, { memberId: globalId, orderId: 'rate-2', currency: 'EUR', total: 1_000 });
    expect(after).toMatchObject({ pointsEarned: 15, pointsBalance: 25 }); // 1000 / 200 × 3 = 15

    expect(await lotsOf(app, globalId)).toEqual([
      { amount: 15, remaining: 15, earnedAt: '2026-11-30T10:00:00.000Z', expiresAt: '2026-12-30T10:00:00.000Z' },
      { amount: 10, remaining: 10, earnedAt: '2026-11-23T10:00:00.000Z', expiresAt: '2027-11-23T10:00:00.000Z' },
    ]);
  });

  it('earns nothing while earnPoints is 0', async () => {
    await setRules(app, { earnPoints: 0 });
    expect(await earnedOn(50_000)).toBe(0);
  });

  // 1 point per 100 minor units: 149 is 1.49 points, 150 is 1.5, 100 is exactly 1, 101 is 1.01.
  it.each([
    ['DOWN', { 149: 1, 150: 1, 100: 1, 101: 1, 99: 0 }],
    ['HALF_UP', { 149: 1, 150: 2, 100: 1, 101: 1, 99: 1 }],
    ['UP', { 149: 2, 150: 2, 100: 1, 101: 2, 99: 1 }],
  ] as const)('rounds %s', async (earnRounding, expected) => {
    await setRules(app, { earnRounding });
    for (const [total, points] of Object.entries(expected)) {
      expect(await earnedOn(Number(total)), `${total} minor units`).toBe(points);
    }
  });

  it('rounds HALF_UP on the exact fraction with an uneven rate (3 points per 200: 100 → 1.5 → 2, 99 → 1.485 → 1)', async () => {
    await setRules(app, { earnPoints: 3, earnPerAmount: 200, earnRounding: 'HALF_UP' });
    expect(await earnedOn(100)).toBe(2);
    expect(await earnedOn(99)).toBe(1);
  });

  it('checks the currency of later orders against the new currency', async () => {
    await setRules(app, { currency: 'USD' });
    const { globalId } = await enroll(app, { email: 'usd@example.com' });
    const eur = await mutate(app, RECORD_ORDER, { memberId: globalId, orderId: 'usd-1', currency: 'EUR', total: 1_000 });
    expect(eur).toMatchObject({ __typename: 'CurrencyMismatchError', code: 'CURRENCY_MISMATCH' });
    const usd = await mutate(app, RECORD_ORDER, { memberId: globalId, orderId: 'usd-1', currency: 'USD', total: 1_000 });
    expect(usd).toMatchObject({ __typename: 'RecordOrderPayload', pointsEarned: 10, pointsPayment: { amount: 0, currency: 'USD' } });
  });

  it('applies a new minimum redemption and redemption value to later orders', async () => {
    const { globalId } = await enroll(app, { email: 'value@example.com' });
    await mutate(app, RECORD_ORDER, { memberId: globalId, orderId: 'value-1', currency: 'EUR', total: 50_000 }); // 500 points
    await setRules(app, { minimumRedemption: 200, redeemPoints: 200, redeemValue: 100 });

    const below = await mutate(app, RECORD_ORDER, {
      memberId: globalId,
      orderId: 'value-2',
      currency: 'EUR',
      total: 1_000,
      redeemPoints: 199,
    });
    expect(below).toMatchObject({ __typename: 'BelowMinimumRedemptionError', minimum: 200 });

    // 300 points at 200 points per 100 minor units pay 150; 850 is paid and earns 8.
    const paid = await mutate(app, RECORD_ORDER, {
      memberId: globalId,
      orderId: 'value-2',
      currency: 'EUR',
      total: 1_000,
      redeemPoints: 300,
    });
    expect(paid).toMatchObject({ pointsPayment: { amount: 150 }, amountPaid: { amount: 850 }, pointsEarned: 8, pointsBalance: 208 });
  });
});
