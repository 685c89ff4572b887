import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultRules } from '../../../src/modules/rules/domain';
import { MAX_BALANCE } from '../../../src/platform/bounds';
import { maximumRedeemablePoints, planPointsPayment, pointsPaymentValue, redemptionStep } from '../../../src/modules/ledger/domain/points';
import { redeemablePoints } from '../../../src/modules/checkout/pricing';
import { PointsNotWholeStepError } from '../../../src/modules/ledger/errors';
import type { TestApp } from '../../support/test-app';
import { closeSoundly, freshLedgerApp, mutate, ADJUST, setRules, transfersOf } from '../../support/ledger';
import { quote } from '../../support/offers';

/** Points pay an order only in whole steps: no point is taken for a fraction of a cent. */

const RECORD = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { __typename ... on Error { code message }
  ... on RecordOrderPayload { pointsRedeemed pointsBalance pointsPayment { amount } amountPaid { amount } }
  ... on PointsNotWholeStepError { requested stepPoints stepValue lower higher } ... on RedemptionExceedsTotalError { maximum } ... on BelowMinimumRedemptionError { minimum } } }`;

const rates = fc.record({
  redeemPoints: fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1_000_000_000 })),
  redeemValue: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1_000_000_000 })),
  minimumRedemption: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 10_000 })),
});

describe('whole steps (pure)', () => {
  it('the maximum is a whole step that pays at most the order, and one more step would pay more', () => {
    fc.assert(
      fc.property(rates, fc.integer({ min: 0, max: 1_000_000_000_000 }), (rate, total) => {
        const rules = { ...defaultRules, ...rate };
        const maximum = maximumRedeemablePoints(total, rules);
        expect(Number.isSafeInteger(maximum)).toBe(true);
        const step = redemptionStep(rules);
        if (step === null) {
          expect(maximum).toBe(0);
          return;
        }
        expect(maximum % step.points).toBe(0);
        // A whole step pays exactly: value × points has no remainder to round away.
        expect(pointsPaymentValue(maximum, rules)).toBe((maximum / step.points) * step.value);
        expect(pointsPaymentValue(maximum, rules)).toBeLessThanOrEqual(total);
        // Never more than anyone can hold: past MAX_BALANCE the maximum stops growing.
        if (maximum + step.points <= MAX_BALANCE) expect(pointsPaymentValue(maximum + step.points, rules)).toBeGreaterThan(total);
      }),
    );
  });

  it('any accepted payment is whole steps; a refused one names valid neighbours', () => {
    fc.assert(
      fc.property(rates, fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 1, max: 1_000_000_000 }), (rate, total, points) => {
        const rules = { ...defaultRules, ...rate };
        const step = redemptionStep(rules);
        try {
          const value = planPointsPayment(points, total, rules);
          expect(step).not.toBeNull();
          expect(points % step!.points).toBe(0);
          expect(value).toBe((points / step!.points) * step!.value);
        } catch (error) {
          if (!(error instanceof PointsNotWholeStepError)) return;
          const { lower, higher } = error.details;
          for (const valid of [lower, higher])
            if (valid !== null) expect(planPointsPayment(valid, total, rules)).toBeLessThanOrEqual(total);
          if (lower !== null) expect(lower).toBeLessThan(points);
          if (higher !== null) expect(higher).toBeGreaterThan(points);
        }
      }),
    );
  });

  it('pointsRedeemable is whole steps of what the member holds', () => {
    const rules = { ...defaultRules, redeemPoints: 100, redeemValue: 50 };
    expect(redeemablePoints(201, 100, rules)).toBe(200);
    expect(redeemablePoints(201, 1_000, rules)).toBe(200);
    expect(redeemablePoints(1, 1_000, rules)).toBe(0);
    expect(redeemablePoints(333, 1_000, { ...rules, minimumRedemption: 333 })).toBe(0);
  });
});

describe('whole steps through recordOrder and quote', () => {
  let app: TestApp;
  let member: { globalId: string; memberId: string };
  beforeEach(async () => {
    ({ app, member } = await freshLedgerApp());
    await mutate(app, ADJUST, { memberId: member.globalId, points: 500, reason: 'fixture' });
    await setRules(app, { redeemPoints: 100, redeemValue: 50 });
  });
  afterEach(() => closeSoundly(app));

  const order = (input: Record<string, unknown>) => mutate(app, RECORD, { memberId: member.globalId, currency: 'EUR', ...input });

  it('refuses 333 points on a 5.00 order (they would pay 1.66 and waste one), writing nothing', async () => {
    const transfersBefore = await transfersOf(app, member.globalId);
    expect(await order({ orderId: 'odd', total: 500, redeemPoints: 333 })).toMatchObject({
      __typename: 'PointsNotWholeStepError',
      code: 'POINTS_NOT_WHOLE_STEP',
      requested: 333,
      lower: 332,
      higher: 334,
    });
    expect(await transfersOf(app, member.globalId)).toEqual(transfersBefore);
    expect(await order({ orderId: 'odd', total: 500, redeemPoints: 332 })).toMatchObject({
      pointsPayment: { amount: 166 },
      amountPaid: { amount: 334 },
      pointsBalance: 168 + 3,
    });
  });

  it('quote refuses the same way and offers whole steps as pointsRedeemable', async () => {
    expect(await quote(app, { memberId: member.globalId, total: 100, redeemPoints: 201 })).toMatchObject({
      __typename: 'PointsNotWholeStepError',
    });
    await mutate(app, ADJUST, { memberId: member.globalId, points: -1, reason: 'odd balance' });
    expect(await quote(app, { memberId: member.globalId, total: 10_000 })).toMatchObject({ pointsRedeemable: 498 });
  });

  it('respects the minimum redemption in the neighbours it names', async () => {
    await setRules(app, { minimumRedemption: 250 });
    expect(await order({ orderId: 'min', total: 1_000, redeemPoints: 251 })).toMatchObject({
      __typename: 'PointsNotWholeStepError',
      lower: 250,
      higher: 252,
    });
    expect(await order({ orderId: 'min', total: 125, redeemPoints: 251 })).toMatchObject({
      __typename: 'PointsNotWholeStepError',
      lower: 250,
      higher: null,
    });
    expect(await order({ orderId: 'min', total: 100, redeemPoints: 251 })).toMatchObject({
      __typename: 'PointsNotWholeStepError',
      lower: null,
      higher: null,
    });
  });
});
