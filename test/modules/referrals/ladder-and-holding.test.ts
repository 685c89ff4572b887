import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runScheduledJobs } from '../../../src/jobs/runner';
import { createTestApp, TEST_NOW, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { closeSoundly, memberLedger, mutate, REDEEM, transfersOf } from '../../support/ledger';
import { createOffer, line, quote, recordOrder, refundOrder, UPDATE_OFFER } from '../../support/offers';
import { configureTiers, createTier, runJob, runJobAt, tierOf } from '../../support/tiers';
import {
  configureReferrals,
  enrollReferee,
  enrollReferrer,
  referralOf,
  referralProfile,
  referralsOf,
  referralStats,
  type ReferralMember,
} from '../../support/referrals';

/**
 * The referrer's side: the POINTS ladder (points per conversion by its number), the DISCOUNT ladder
 * (a standing discount at checkout, after offers and the tier discount), the holding period that
 * the settle-referrals job ends, and what refunds do to held and issued rewards.
 */

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());
const inDays = (start: string, days: number) => new Date(new Date(start).getTime() + days * 86_400_000).toISOString();
const balance = async (app: TestApp, member: { globalId: string }) => (await memberLedger(app, member.globalId)).pointsBalance;

describe('POINTS ladder', () => {
  let app: TestApp;
  let referrer: ReferralMember;
  beforeAll(async () => {
    app = await createTestApp();
    // Rungs given out of order: the ladder sorts them.
    const settings = await configureReferrals(app, {
      minimumOrderAmount: 1000,
      holdingDays: 14,
      rungs: [
        { fromConversions: 6, points: 1000 },
        { fromConversions: 1, points: 500 },
        { fromConversions: 3, points: 750 },
      ],
    });
    expect(settings.rungs).toEqual([
      { fromConversions: 1, points: 500, discountBasisPoints: null },
      { fromConversions: 3, points: 750, discountBasisPoints: null },
      { fromConversions: 6, points: 1000, discountBasisPoints: null },
    ]);
    referrer = await enrollReferrer(app, 'ladder@example.com');
  });
  afterAll(() => closeSoundly(app));

  it("conversions 1–2 earn 500, 3–5 750, 6 and on 1000, by the conversion's number; referralRung follows", async () => {
    expect((await referralProfile(app, referrer.globalId)).referralRung).toEqual({
      rewardKind: 'POINTS',
      conversions: 0,
      number: 0,
      rung: null,
      next: { fromConversions: 1 },
    });
    const expected = [
      { points: 500, rung: 1, next: 3 },
      { points: 500, rung: 1, next: 3 },
      { points: 750, rung: 2, next: 6 },
      { points: 750, rung: 2, next: 6 },
      { points: 750, rung: 2, next: 6 },
      { points: 1000, rung: 3, next: null },
      { points: 1000, rung: 3, next: null },
    ];
    // A referee who never reaches the minimum does not count.
    const idle = await enrollReferee(app, referrer.code, 'idle@example.com');
    await recordOrder(app, { memberId: idle.globalId, total: 999 });
    for (const [index, step] of expected.entries()) {
      const referee = await enrollReferee(app, referrer.code, `climber-${index + 1}@example.com`);
      await recordOrder(app, { memberId: referee.globalId, total: 1000 + index });
      expect(await referralOf(app, referrer.globalId, referee.globalId), `conversion ${index + 1}`).toMatchObject({
        status: 'CONVERTED',
        rewardPoints: step.points,
        rung: step.rung,
      });
      const { referralRung } = await referralProfile(app, referrer.globalId);
      expect(referralRung, `after conversion ${index + 1}`).toMatchObject({
        conversions: index + 1,
        number: step.rung,
        next: step.next === null ? null : { fromConversions: step.next },
      });
    }
    expect((await referralProfile(app, referrer.globalId)).referralRung).toEqual({
      rewardKind: 'POINTS',
      conversions: 7,
      number: 3,
      rung: { fromConversions: 6, points: 1000, discountBasisPoints: null },
      next: null,
    });
    expect(await referralOf(app, referrer.globalId, idle.globalId)).toMatchObject({ status: 'PENDING', rewardPoints: 0 });
    expect(await balance(app, referrer)).toBe(0);

    // Once held for 14 days, the job issues each reward as it was: 2 × 500 + 3 × 750 + 2 × 1000.
    await runJobAt(app, 'SETTLE_REFERRALS', inDays(TEST_NOW, 14));
    expect(await balance(app, referrer)).toBe(5250);
    const rewards = (await transfersOf(app, referrer.globalId)).filter((transfer) => transfer.kind === 'REFERRAL_REWARD');
    expect(rewards.map((transfer) => transfer.amount).sort((a, b) => a - b)).toEqual([500, 500, 750, 750, 750, 1000, 1000]);
    expect((await referralsOf(app, referrer.globalId)).filter((referral) => referral.status === 'CONFIRMED')).toHaveLength(7);
    expect(await referralStats(app)).toMatchObject({ joined: 8, converted: 7, rewardsIssued: 7, pointsIssued: 5250 });
  });
});

describe('DISCOUNT ladder: a standing discount for the referrer', () => {
  let app: TestApp;
  let referrer: ReferralMember;
  let tier: { id: string; name: string };
  const archive: string[] = [];
  beforeAll(async () => {
    app = await createTestApp();
    await configureReferrals(app, {
      rewardKind: 'DISCOUNT',
      minimumOrderAmount: 1000,
      holdingDays: 7,
      rungs: [
        { fromConversions: 1, discountBasisPoints: 500 },
        { fromConversions: 3, discountBasisPoints: 1000 },
      ],
    });
    await configureTiers(app, { metric: 'SPEND', window: 'ROLLING_MONTHS', windowMonths: 12, downgradeGraceDays: 0 });
    tier = await createTier(app, { name: 'Regular', threshold: 15_000, discountBasisPoints: 1000 });
    referrer = await enrollReferrer(app, 'discounter@example.com');
  });
  afterEach(async () => {
    const admin = await app.token({ role: 'admin' });
    for (const id of archive.splice(0)) {
      const response = await app.graphql(UPDATE_OFFER, { input: { id, status: 'ARCHIVED' } }, admin);
      expect(response.data?.updateOffer.__typename, JSON.stringify(response)).toBe('OfferPayload');
    }
  });
  afterAll(() => closeSoundly(app));

  const referralApplied = (discount: number) => ({
    offer: null,
    tier: null,
    effect: 'REFERRAL_DISCOUNT',
    code: null,
    discount,
    gift: null,
    bonusPoints: 0,
    stamps: 0,
    freeUnits: 0,
  });
  const tierApplied = (discount: number) => ({
    offer: null,
    tier: { id: tier.id, name: 'Regular' },
    effect: 'TIER_DISCOUNT',
    code: null,
    discount,
    gift: null,
    bonusPoints: 0,
    stamps: 0,
    freeUnits: 0,
  });

  it('counts CONFIRMED conversions only: no discount while the reward is held, 5 % once it is issued; no points', async () => {
    const friend = await enrollReferee(app, referrer.code, 'discount-friend@example.com');
    await recordOrder(app, { memberId: friend.globalId, total: 2000 });
    expect(await referralOf(app, referrer.globalId, friend.globalId)).toMatchObject({ status: 'CONVERTED', rewardPoints: 0 });
    expect((await referralProfile(app, referrer.globalId)).referralRung).toEqual({
      rewardKind: 'DISCOUNT',
      conversions: 0,
      number: 0,
      rung: null,
      next: { fromConversions: 1 },
    });
    const held = await quote(app, { memberId: referrer.globalId, total: 10_000, lines: [line('BEANS', 1, 10_000)] });
    expect(held.discount.amount).toBe(0);
    expect(held.appliedOffers).toEqual([]);

    await runJobAt(app, 'SETTLE_REFERRALS', inDays(TEST_NOW, 7));
    app.clock.set(TEST_NOW);
    expect(await referralOf(app, referrer.globalId, friend.globalId)).toMatchObject({ status: 'CONFIRMED', rewardPoints: 0 });
    expect(await balance(app, referrer)).toBe(0);
    expect((await transfersOf(app, referrer.globalId)).filter((transfer) => transfer.kind === 'REFERRAL_REWARD')).toEqual([]);
    expect((await referralProfile(app, referrer.globalId)).referralRung).toEqual({
      rewardKind: 'DISCOUNT',
      conversions: 1,
      number: 1,
      rung: { fromConversions: 1, points: null, discountBasisPoints: 500 },
      next: { fromConversions: 3 },
    });

    const quoted = await quote(app, { memberId: referrer.globalId, total: 10_000, lines: [line('BEANS', 1, 10_000)] });
    expect(quoted.discount.amount).toBe(500);
    expect(quoted.appliedOffers).toEqual([referralApplied(500)]);
    // The referee gets nothing of the referrer's discount, nor does a stranger.
    expect((await quote(app, { memberId: friend.globalId, total: 10_000, lines: [line('BEANS', 1, 10_000)] })).appliedOffers).toEqual([]);
    const stranger = await enroll(app, { email: 'discount-stranger@example.com' });
    expect((await quote(app, { memberId: stranger.globalId, total: 10_000, lines: [line('BEANS', 1, 10_000)] })).appliedOffers).toEqual([]);
  });

  it('checkout applies it after the offers and after the tier discount, in the quote and the recorded order', async () => {
    // The qualifying order makes the referrer Regular (10 %); it already has the referral 5 %.
    const qualifying = await recordOrder(app, { memberId: referrer.globalId, total: 20_000, lines: [line('BEANS', 1, 20_000)] });
    expect(qualifying.appliedOffers).toEqual([referralApplied(1000)]);
    expect(await tierOf(app, referrer.globalId)).toBe('Regular');

    // Tier 10 % of 10000 = 1000, then the referral's 5 % of the 9000 left = 450.
    const tierThenReferral = await quote(app, { memberId: referrer.globalId, total: 10_000, lines: [line('BEANS', 1, 10_000)] });
    expect(tierThenReferral.appliedOffers).toEqual([tierApplied(1000), referralApplied(450)]);
    expect(tierThenReferral.discount.amount).toBe(1450);

    // An offer of 10.00 first: 9000 left, tier 900, then 5 % of 8100 = 405.
    const offer = await createOffer(app, { name: 'Ten euros off', effect: { amountOff: { amount: 1000 } } });
    archive.push(offer.id);
    const cart = { memberId: referrer.globalId, total: 10_000, lines: [line('BEANS', 1, 10_000)] };
    const quoted = await quote(app, cart);
    expect(quoted.appliedOffers).toEqual([
      {
        offer: { id: offer.id, name: 'Ten euros off' },
        tier: null,
        effect: 'AMOUNT_OFF',
        code: null,
        discount: 1000,
        gift: null,
        bonusPoints: 0,
        stamps: 0,
        freeUnits: 0,
      },
      tierApplied(900),
      referralApplied(405),
    ]);
    expect(quoted.discount.amount).toBe(2305);
    const recorded = await recordOrder(app, cart);
    expect(recorded.appliedOffers).toEqual(quoted.appliedOffers);
    expect(recorded.totalAfterDiscount.amount).toBe(7695);
  });

  it('an exclusive offer stops it (EXCLUDED_BY_EXCLUSIVE_OFFER), like the tier discount', async () => {
    const exclusive = await createOffer(app, { name: 'Exclusive', exclusive: true, effect: { amountOff: { amount: 100 } } });
    archive.push(exclusive.id);
    const quoted = await quote(app, { memberId: referrer.globalId, total: 10_000, lines: [line('BEANS', 1, 10_000)] });
    expect(quoted.discount.amount).toBe(100);
    expect(quoted.appliedOffers.map((applied: any) => applied.effect)).toEqual(['AMOUNT_OFF']);
    expect(quoted.notApplied).toEqual([
      { offerId: null, tierId: tier.id, code: null, reason: 'EXCLUDED_BY_EXCLUSIVE_OFFER', threshold: null },
      { offerId: null, tierId: null, code: null, reason: 'EXCLUDED_BY_EXCLUSIVE_OFFER', threshold: null },
    ]);
  });

  it('climbs to 10 % at 3 confirmed conversions (converted ones do not count yet)', async () => {
    const friends = [
      await enrollReferee(app, referrer.code, 'discount-friend-2@example.com'),
      await enrollReferee(app, referrer.code, 'discount-friend-3@example.com'),
    ];
    for (const friend of friends) await recordOrder(app, { memberId: friend.globalId, total: 1500 });
    expect((await referralProfile(app, referrer.globalId)).referralRung).toMatchObject({ conversions: 1, number: 1 });
    // Still 5 %: tier 1000, then 5 % of 9000.
    expect((await quote(app, { memberId: referrer.globalId, total: 10_000, lines: [line('BEANS', 1, 10_000)] })).appliedOffers).toEqual([
      tierApplied(1000),
      referralApplied(450),
    ]);

    await runJobAt(app, 'SETTLE_REFERRALS', inDays(TEST_NOW, 7));
    app.clock.set(TEST_NOW);
    expect((await referralProfile(app, referrer.globalId)).referralRung).toEqual({
      rewardKind: 'DISCOUNT',
      conversions: 3,
      number: 2,
      rung: { fromConversions: 3, points: null, discountBasisPoints: 1000 },
      next: null,
    });
    // Tier 1000, then 10 % of 9000 = 900.
    expect((await quote(app, { memberId: referrer.globalId, total: 10_000, lines: [line('BEANS', 1, 10_000)] })).appliedOffers).toEqual([
      tierApplied(1000),
      referralApplied(900),
    ]);
    // Only the points of its own two orders (19000 paid → 190; 7695 → 76): a DISCOUNT ladder issues no points.
    expect(await balance(app, referrer)).toBe(190 + 76);
  });
});

describe('holding period and refunds', () => {
  let app: TestApp;
  let referrer: ReferralMember;
  let referee: ReferralMember;
  beforeEach(async () => {
    app = await createTestApp();
    await configureReferrals(app, { minimumOrderAmount: 2000, holdingDays: 14, rungs: [{ fromConversions: 1, points: 500 }] });
    referrer = await enrollReferrer(app, 'holder@example.com');
    referee = await enrollReferee(app, referrer.code, 'returner@example.com');
  });
  afterEach(() => closeSoundly(app));

  const DUE = '2026-12-07T10:00:00.000Z';
  const status = () => referralOf(app, referrer.globalId, referee.globalId);

  it('stays CONVERTED until the job runs at or after confirmAfter; then CONFIRMED and credited once; re-running changes nothing', async () => {
    await recordOrder(app, { memberId: referee.globalId, orderId: 'held-order', total: 3000 });
    expect(iso((await status()).confirmAfter)).toBe(DUE);
    expect((await runJobAt(app, 'SETTLE_REFERRALS', '2026-11-30T10:00:00.000Z')).processed).toBe(0);
    expect((await runJobAt(app, 'SETTLE_REFERRALS', '2026-12-07T09:59:59.999Z')).processed).toBe(0);
    expect(await status()).toMatchObject({ status: 'CONVERTED', confirmedAt: null });
    expect(await balance(app, referrer)).toBe(0);

    expect((await runJobAt(app, 'SETTLE_REFERRALS', DUE)).processed).toBe(1);
    const confirmed = await status();
    expect(confirmed).toMatchObject({ status: 'CONFIRMED', rewardPoints: 500, pointsClawedBack: 0 });
    expect(iso(confirmed.confirmedAt)).toBe(DUE);
    expect(await balance(app, referrer)).toBe(500);
    const rewards = (await transfersOf(app, referrer.globalId)).filter((transfer) => transfer.kind === 'REFERRAL_REWARD');
    expect(rewards.map((transfer) => transfer.amount)).toEqual([500]);

    // The same instant again, and later ones: nothing more.
    expect((await runJob(app, 'SETTLE_REFERRALS', DUE)).processed).toBe(0);
    expect((await runJobAt(app, 'SETTLE_REFERRALS', '2026-12-20T00:00:00.000Z')).processed).toBe(0);
    expect(await status()).toEqual(confirmed);
    expect(await balance(app, referrer)).toBe(500);
    expect((await transfersOf(app, referrer.globalId)).filter((transfer) => transfer.kind === 'REFERRAL_REWARD')).toHaveLength(1);
    expect(await referralStats(app)).toMatchObject({ converted: 1, rewardsIssued: 1, pointsIssued: 500 });
  });

  it('the hourly cron (5 * * * *) settles due rewards as the job does', async () => {
    await recordOrder(app, { memberId: referee.globalId, total: 3000 });
    app.clock.set('2026-12-07T09:05:00.000Z');
    await runScheduledJobs(app.deps, '5 * * * *', new Date('2026-12-07T09:05:00.000Z'));
    expect(await status()).toMatchObject({ status: 'CONVERTED' });
    app.clock.set('2026-12-07T10:05:00.000Z');
    const runs = await runScheduledJobs(app.deps, '5 * * * *', new Date('2026-12-07T10:05:00.000Z'));
    expect(runs.filter((run) => run.job === 'settle-referrals').map((run) => [run.programId, run.processed, run.error])).toEqual([
      ['acme', 1, null],
      ['globex', 0, null],
    ]);
    expect(await status()).toMatchObject({ status: 'CONFIRMED' });
    expect(await balance(app, referrer)).toBe(500);
  });

  it('with holdingDays 0 the job confirms at the instant of the conversion', async () => {
    await configureReferrals(app, { minimumOrderAmount: 2000, holdingDays: 0, rungs: [{ fromConversions: 1, points: 500 }] });
    await recordOrder(app, { memberId: referee.globalId, total: 2500 });
    expect(iso((await status()).confirmAfter)).toBe(TEST_NOW);
    expect((await runJob(app, 'SETTLE_REFERRALS', TEST_NOW)).processed).toBe(1);
    expect(await status()).toMatchObject({ status: 'CONFIRMED' });
    expect(await balance(app, referrer)).toBe(500);
  });

  it('a full refund within the holding period rejects it (ORDER_REFUNDED) and no points are ever issued', async () => {
    const order = await recordOrder(app, { memberId: referee.globalId, orderId: 'returned-early', total: 3000 });
    app.clock.set('2026-12-01T12:00:00.000Z');
    const refunded = await refundOrder(app, { orderId: 'returned-early', amount: 3000 });
    expect(refunded).toMatchObject({ __typename: 'RefundOrderPayload', offersReleased: true, pointsClawedBack: order.pointsEarned });
    expect(await status()).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'ORDER_REFUNDED',
      rewardPoints: 500,
      pointsClawedBack: 0,
      confirmedAt: null,
    });

    expect((await runJobAt(app, 'SETTLE_REFERRALS', DUE)).processed).toBe(0);
    expect((await runJobAt(app, 'SETTLE_REFERRALS', '2027-01-01T00:00:00.000Z')).processed).toBe(0);
    expect(await status()).toMatchObject({ status: 'REJECTED', rejectionReason: 'ORDER_REFUNDED' });
    expect(await balance(app, referrer)).toBe(0);
    expect((await transfersOf(app, referrer.globalId)).filter((transfer) => transfer.kind.startsWith('REFERRAL'))).toEqual([]);
    expect(await referralStats(app)).toMatchObject({ converted: 0, rejected: 1, rewardsIssued: 0, pointsIssued: 0 });
    expect((await referralProfile(app, referrer.globalId)).referralRung).toMatchObject({ conversions: 0, number: 0 });
  });

  it('a partial refund changes nothing, before or after confirmation; the refund that completes a full refund does', async () => {
    await recordOrder(app, { memberId: referee.globalId, orderId: 'returned-in-parts', total: 3000 });
    expect(await refundOrder(app, { orderId: 'returned-in-parts', amount: 1500 })).toMatchObject({
      __typename: 'RefundOrderPayload',
      offersReleased: false,
    });
    expect(await status()).toMatchObject({ status: 'CONVERTED', rewardPoints: 500 });
    await runJobAt(app, 'SETTLE_REFERRALS', DUE);
    expect(await status()).toMatchObject({ status: 'CONFIRMED', rewardPoints: 500, pointsClawedBack: 0 });
    expect(await refundOrder(app, { orderId: 'returned-in-parts', amount: 1499 })).toMatchObject({
      __typename: 'RefundOrderPayload',
      offersReleased: false,
    });
    expect(await status()).toMatchObject({ status: 'CONFIRMED', pointsClawedBack: 0 });
    expect(await balance(app, referrer)).toBe(500);

    expect(await refundOrder(app, { orderId: 'returned-in-parts', amount: 1 })).toMatchObject({
      __typename: 'RefundOrderPayload',
      offersReleased: true,
    });
    expect(await status()).toMatchObject({ status: 'REJECTED', rejectionReason: 'ORDER_REFUNDED', pointsClawedBack: 500 });
    expect(await balance(app, referrer)).toBe(0);
  });

  it('a full refund after confirmation rejects it and claws the points back through the ledger (REFERRAL_CLAWBACK)', async () => {
    await recordOrder(app, { memberId: referee.globalId, orderId: 'returned-late', total: 3000 });
    await runJobAt(app, 'SETTLE_REFERRALS', DUE);
    expect(await balance(app, referrer)).toBe(500);
    app.clock.set('2026-12-10T10:00:00.000Z');
    expect(await refundOrder(app, { orderId: 'returned-late', amount: 3000 })).toMatchObject({
      __typename: 'RefundOrderPayload',
      offersReleased: true,
    });
    expect(await status()).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'ORDER_REFUNDED',
      rewardPoints: 500,
      pointsClawedBack: 500,
    });
    expect(await balance(app, referrer)).toBe(0);
    const movements = (await transfersOf(app, referrer.globalId)).filter((transfer) => transfer.kind.startsWith('REFERRAL'));
    expect(movements.map((transfer) => [transfer.kind, transfer.amount])).toEqual([
      ['REFERRAL_CLAWBACK', 500],
      ['REFERRAL_REWARD', 500],
    ]);
    // The job has nothing left to do about it, and the stats net it out.
    expect((await runJobAt(app, 'SETTLE_REFERRALS', '2026-12-10T11:00:00.000Z')).processed).toBe(0);
    expect(await balance(app, referrer)).toBe(0);
    expect(await referralStats(app)).toMatchObject({ converted: 0, rejected: 1, pointsIssued: 0 });
  });

  /** The referee's order is confirmed, the referrer spends 400 of the 500, then the order is fully refunded. */
  async function spendThenRefund() {
    await recordOrder(app, { memberId: referee.globalId, orderId: 'spent-then-returned', total: 3000 });
    await runJobAt(app, 'SETTLE_REFERRALS', DUE);
    expect(await balance(app, referrer)).toBe(500);
    const redeemed = await mutate(app, REDEEM, { memberId: referrer.globalId, points: 400, reason: 'A mug' });
    expect(redeemed).toMatchObject({ __typename: 'PointsPayload', pointsBalance: 100 });
    app.clock.set('2026-12-10T10:00:00.000Z');
    expect(await refundOrder(app, { orderId: 'spent-then-returned', amount: 3000 })).toMatchObject({
      __typename: 'RefundOrderPayload',
      offersReleased: true,
    });
  }

  it('a referrer who spent the reward loses only what is left of it, never going negative', async () => {
    await spendThenRefund();
    expect(await status()).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'ORDER_REFUNDED',
      rewardPoints: 500,
      pointsClawedBack: 100,
    });
    expect(await balance(app, referrer)).toBe(0);
    const clawbacks = (await transfersOf(app, referrer.globalId)).filter((transfer) => transfer.kind === 'REFERRAL_CLAWBACK');
    expect(clawbacks.map((transfer) => transfer.amount)).toEqual([100]);
    // Nothing more is taken later.
    expect((await runJobAt(app, 'SETTLE_REFERRALS', '2026-12-11T00:00:00.000Z')).processed).toBe(0);
    expect(await balance(app, referrer)).toBe(0);
  });

  it('referralStats.pointsIssued counts the points issued minus those clawed back, also when the clawback was partial', async () => {
    await spendThenRefund();
    // Issued 500, clawed back 100: 400 stayed with the referrer (and the ledger says so).
    expect(
      (await transfersOf(app, referrer.globalId))
        .filter((transfer) => transfer.kind.startsWith('REFERRAL'))
        .map((transfer) => [transfer.kind, transfer.amount]),
    ).toEqual([
      ['REFERRAL_CLAWBACK', 100],
      ['REFERRAL_REWARD', 500],
    ]);
    expect((await referralStats(app)).pointsIssued).toBe(400);
  });

  it('refunding another order of the referee, even fully, leaves the referral as it is', async () => {
    await recordOrder(app, { memberId: referee.globalId, orderId: 'converting', total: 3000 });
    await recordOrder(app, { memberId: referee.globalId, orderId: 'second', total: 4000 });
    await refundOrder(app, { orderId: 'second', amount: 4000 });
    expect(await status()).toMatchObject({ status: 'CONVERTED', rewardPoints: 500 });
    await runJobAt(app, 'SETTLE_REFERRALS', DUE);
    expect(await status()).toMatchObject({ status: 'CONFIRMED' });
    expect(await balance(app, referrer)).toBe(500);
  });

  it('a refund of an order that did not reach the minimum leaves the referral PENDING, and a later qualifying order converts it', async () => {
    await recordOrder(app, { memberId: referee.globalId, orderId: 'too-small', total: 1000 });
    await refundOrder(app, { orderId: 'too-small', amount: 1000 });
    expect(await status()).toMatchObject({ status: 'PENDING' });
    await recordOrder(app, { memberId: referee.globalId, orderId: 'big-enough', total: 2000 });
    expect(await status()).toMatchObject({ status: 'CONVERTED', rewardPoints: 500 });
  });
});
