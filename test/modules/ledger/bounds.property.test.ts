import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_AMOUNT,
  MAX_BALANCE,
  MAX_EARN_POINTS,
  MAX_MULTIPLIER_PERMILLE,
  MAX_POINTS,
  MAX_RATE_TERM,
  MAX_REDEEM_VALUE_PER_POINT,
} from '../../../src/platform/bounds';
import { createTestApp, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { ADJUST, expectLedgerSound, key, RULES, UPDATE_RULES } from '../../support/ledger';
import { createOffer, RECORD_CHECKOUT, UPDATE_OFFER } from '../../support/offers';
import { LIABILITY, send as sendAs, setUpTiers, UPDATE_TIER } from '../../support/tiers';

/**
 * Random rules, tier and bonus multipliers, points payments and order totals up to their allowed
 * maxima (and past them): every answer is either a typed error that wrote nothing, or exact integers
 * that a BigInt reference computes, and the ledger stays sound. Runs and seed: FC_RUNS, FC_SEED.
 */
const RUNS = Number(process.env.FC_RUNS ?? 60);
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;

const roundings = ['DOWN', 'HALF_UP', 'UP'] as const;
type Rounding = (typeof roundings)[number];

/** An integer in [min, max], often at either end (where overflow lives). */
const edgy = (min: number, max: number) => fc.oneof({ arbitrary: fc.constant(max), weight: 2 }, fc.constant(min), fc.integer({ min, max }));

const scenario = fc
  .record({
    // At most MAX_EARN_POINTS per earnPerAmount: the steepest rate (1 per minor unit) needs earnPerAmount ≤ MAX_EARN_POINTS.
    earnPerAmount: fc.oneof(edgy(1, MAX_EARN_POINTS), edgy(1, MAX_RATE_TERM)),
    earnPointsShare: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
    earnRounding: fc.constantFrom(...roundings),
    redeemPoints: edgy(1, MAX_RATE_TERM),
    redeemShare: fc.double({ min: 0, max: 1, noNaN: true }),
    /** Rules past the bounds, which must be refused whole. */
    overRate: fc.boolean(),
    tierPermille: edgy(0, MAX_MULTIPLIER_PERMILLE),
    bonus: fc.oneof(fc.record({ multiplierPermille: edgy(1001, MAX_MULTIPLIER_PERMILLE) }), fc.record({ points: edgy(1, MAX_POINTS) })),
    held: edgy(0, MAX_POINTS),
    redeemShareOfHeld: fc.double({ min: 0, max: 1, noNaN: true }),
    total: fc.oneof(edgy(0, MAX_AMOUNT), fc.integer({ min: 0, max: 10_000 })),
    /** Most payments are whole steps (the rest must be refused as PointsNotWholeStepError). */
    wholeSteps: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, fc.constant(false)),
  })
  .map((drawn) => {
    const earnPoints = Math.min(MAX_EARN_POINTS, drawn.earnPerAmount, Math.floor(drawn.earnPerAmount * drawn.earnPointsShare));
    const redeemValue = Math.min(
      MAX_RATE_TERM,
      drawn.redeemPoints * MAX_REDEEM_VALUE_PER_POINT,
      Math.floor(drawn.redeemPoints * MAX_REDEEM_VALUE_PER_POINT * drawn.redeemShare),
    );
    const redeem = Math.floor(drawn.held * drawn.redeemShareOfHeld);
    const stepPoints = redeemValue === 0 ? 1 : drawn.redeemPoints / gcd(drawn.redeemPoints, redeemValue);
    return { ...drawn, earnPoints, redeemValue, redeem: drawn.wholeSteps ? redeem - (redeem % stepPoints) : redeem };
  });

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** Steepest rate, ×100 tier, ×100 bonus, the largest total: more points than one order may earn. */
const everythingAtItsMaximum: Scenario = {
  earnPerAmount: MAX_EARN_POINTS,
  earnPointsShare: 1,
  earnPoints: MAX_EARN_POINTS,
  earnRounding: 'UP',
  redeemPoints: 1,
  redeemShare: 1,
  redeemValue: MAX_REDEEM_VALUE_PER_POINT,
  overRate: true,
  tierPermille: MAX_MULTIPLIER_PERMILLE,
  bonus: { multiplierPermille: MAX_MULTIPLIER_PERMILLE },
  held: MAX_POINTS,
  redeemShareOfHeld: 1,
  redeem: MAX_POINTS,
  total: MAX_AMOUNT,
  wholeSteps: true,
};

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function divRounded(numerator: bigint, denominator: bigint, mode: Rounding): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n || mode === 'DOWN') return quotient;
  return mode === 'UP' || remainder * 2n >= denominator ? quotient + 1n : quotient;
}

/** The reference: what the order must earn, in BigInt, or why it must be refused. */
function expected(
  run: Scenario,
  balanceBefore: number,
  issuedBefore: number,
): { refused: 'RedemptionExceedsTotalError' | 'PointsNotWholeStepError' | 'InvalidInputError' } | { payment: bigint; earned: bigint } {
  if (run.redeem > 0) {
    // Points pay in whole steps only (the fewest points worth a whole minor unit), never past the order.
    if (run.redeemValue === 0) return { refused: 'RedemptionExceedsTotalError' };
    const divisor = gcd(run.redeemPoints, run.redeemValue);
    const [stepPoints, stepValue] = [run.redeemPoints / divisor, run.redeemValue / divisor];
    if (run.redeem % stepPoints !== 0) return { refused: 'PointsNotWholeStepError' };
    if (BigInt(run.redeem / stepPoints) * BigInt(stepValue) > BigInt(run.total)) return { refused: 'RedemptionExceedsTotalError' };
  }
  const payment = (BigInt(run.redeem) * BigInt(run.redeemValue)) / BigInt(run.redeemPoints);
  const paid = BigInt(run.total) - payment;
  const base = divRounded(paid * BigInt(run.earnPoints) * BigInt(run.tierPermille), BigInt(run.earnPerAmount) * 1000n, run.earnRounding);
  const bonus = 'points' in run.bonus ? BigInt(run.bonus.points) : (base * BigInt(run.bonus.multiplierPermille - 1000)) / 1000n;
  const earned = base + bonus;
  // One order, the member's balance, and the program's points-issued account (every run earns into it) are each bounded.
  const past = (amount: bigint) => amount > BigInt(MAX_BALANCE);
  if (past(earned) || past(BigInt(balanceBefore - run.redeem) + earned) || past(BigInt(issuedBefore) + earned))
    return { refused: 'InvalidInputError' };
  return { payment, earned };
}

describe('overflow: random rules and totals up to their maxima', () => {
  let app: TestApp;
  let admin: string;
  let tierId: string;
  let offerId: string;
  let runNo = 0;
  /** Points the program has issued so far: its points-issued account is bounded like any other. */
  let issued = 0;
  const outcomes: Record<string, number> = {};

  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.token({ role: 'admin' });
    const tiers = await setUpTiers(app, {}, [{ name: 'Everyone', threshold: 0, earnMultiplierPermille: 1000 }]);
    tierId = tiers.Everyone!.id;
    offerId = (await createOffer(app, { name: 'Bonus', effect: { bonusPoints: { multiplierPermille: 2000 } } })).id;
  });
  afterAll(() => app.close());

  const send = (query: string, input: Record<string, unknown>) => sendAs(app, query, input, admin);
  const balanceOf = async (memberId: string) =>
    (await app.graphql(`query($id: ID!) { member(id: $id) { pointsBalance } }`, { id: memberId }, admin)).data!.member
      .pointsBalance as number;

  it('answers a typed error that wrote nothing, or exact integers; the audit stays sound', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (run) => {
        runNo++;
        const rules = {
          earnPoints: run.earnPoints,
          earnPerAmount: run.earnPerAmount,
          earnRounding: run.earnRounding,
          redeemPoints: run.redeemPoints,
          redeemValue: run.redeemValue,
        };
        if (run.overRate) {
          const before = (await app.graphql(RULES, {}, admin)).data!.program.rules;
          const perAmount = Math.min(run.earnPerAmount, MAX_EARN_POINTS - 1);
          const refused = await send(UPDATE_RULES, { ...rules, earnPoints: perAmount + 1, earnPerAmount: perAmount });
          expect(refused.__typename).toBe('InvalidInputError');
          expect((await app.graphql(RULES, {}, admin)).data!.program.rules).toEqual(before);
        }
        expect((await send(UPDATE_RULES, rules)).__typename).toBe('ProgramRulesPayload');
        expect((await send(UPDATE_TIER, { id: tierId, earnMultiplierPermille: run.tierPermille })).__typename).toBe('TierPayload');
        expect((await send(UPDATE_OFFER, { id: offerId, effect: { bonusPoints: run.bonus } })).__typename).toBe('OfferPayload');

        const { globalId } = await enroll(app, { email: `overflow-${runNo}@example.com` });
        // An order of nothing puts the member in the tier (threshold 0) and earns nothing.
        const first = await send(RECORD_CHECKOUT, {
          memberId: globalId,
          orderId: `o-${runNo}-0`,
          currency: 'EUR',
          total: 0,
          idempotencyKey: key(),
        });
        expect(first.__typename).toBe('RecordOrderPayload');
        issued += first.pointsEarned;
        if (run.held > 0)
          expect((await send(ADJUST, { memberId: globalId, points: run.held, reason: 'setup', idempotencyKey: key() })).__typename).toBe(
            'PointsPayload',
          );

        // What the member holds now (the first order may have earned a fixed bonus).
        const before = await balanceOf(globalId);
        const input = {
          memberId: globalId,
          orderId: `o-${runNo}`,
          currency: 'EUR',
          total: run.total,
          redeemPoints: run.redeem,
          idempotencyKey: key(),
        };
        const result = await send(RECORD_CHECKOUT, input);
        const want = expected(run, before, issued);
        outcomes[result.__typename] = (outcomes[result.__typename] ?? 0) + 1;
        if ('refused' in want) {
          expect(result.__typename, JSON.stringify({ run, result })).toBe(want.refused);
          expect(await balanceOf(globalId)).toBe(before);
          // The order id was not taken: nothing of the order was written.
          expect((await send(RECORD_CHECKOUT, { ...input, total: 0, redeemPoints: 0, idempotencyKey: key() })).__typename).toBe(
            'RecordOrderPayload',
          );
          return;
        }
        expect(result.__typename, JSON.stringify({ run, result })).toBe('RecordOrderPayload');
        for (const value of [result.pointsEarned, result.pointsBalance, result.pointsPayment.amount, result.amountPaid.amount])
          expect(Number.isSafeInteger(value)).toBe(true);
        expect(BigInt(result.pointsEarned)).toBe(want.earned);
        expect(BigInt(result.pointsPayment.amount)).toBe(want.payment);
        expect(BigInt(result.pointsBalance)).toBe(BigInt(before - run.redeem) + want.earned);
        expect(await balanceOf(globalId)).toBe(result.pointsBalance);
        issued += result.pointsEarned;
        const replay = await send(RECORD_CHECKOUT, input);
        expect({ ...replay, replayed: false }).toEqual(result);
        expect(replay.replayed).toBe(true);
      }),
      {
        numRuns: RUNS,
        seed: SEED,
        examples: [[everythingAtItsMaximum], [{ ...everythingAtItsMaximum, tierPermille: 1000, bonus: { points: MAX_POINTS } }]],
      },
    );
    // Every kind of answer was reached, so the property is not passing on one branch only.
    expect(Object.keys(outcomes), JSON.stringify(outcomes)).toEqual(expect.arrayContaining(['InvalidInputError', 'RecordOrderPayload']));
    await expectLedgerSound(app);
    const liability = await app.graphql(LIABILITY, {}, admin);
    expect(liability.errors).toBeUndefined();
    expect(Number.isSafeInteger(liability.data!.program.liability.points)).toBe(true);
  }, 90_000);
});
