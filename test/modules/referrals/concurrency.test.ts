import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/test-app';
import { closeSoundly, key, memberLedger, transfersOf } from '../../support/ledger';
import { recordOrder, refundOrder } from '../../support/offers';
import { RUN_JOB, runJobAt } from '../../support/tiers';
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
 * Referral rewards under orders recorded at the same instant. With `networkLatency` every
 * statement yields the event loop, so concurrent commands read the same referral and counters
 * before any of them writes, as they would against Turso; `withoutSerializer` also drops the
 * per-member ordering, leaving only the database guards.
 */

const DUE = '2026-12-07T10:00:00.000Z';
const modes = [
  ['through the per-member serializer', false],
  ['without the serializer: the database guards alone', true],
] as const;

let app: TestApp | undefined;
afterEach(async () => {
  if (app) await closeSoundly(app);
  app = undefined;
});

async function referees(app: TestApp, referrer: ReferralMember, count: number, prefix: string) {
  const made: ReferralMember[] = [];
  for (let index = 0; index < count; index++) made.push(await enrollReferee(app, referrer.code, `${prefix}-${index}@example.com`));
  return made;
}

const rewardTransfers = async (app: TestApp, member: ReferralMember) =>
  (await transfersOf(app, member.globalId)).filter((transfer) => transfer.kind === 'REFERRAL_REWARD');

describe.each(modes)('concurrent first orders of one referee, %s', (_name, withoutSerializer) => {
  it('convert the referral exactly once: one reward, counted once, credited once', async () => {
    app = await createTestApp({ networkLatency: true, withoutSerializer });
    await configureReferrals(app, {
      minimumOrderAmount: 2000,
      holdingDays: 14,
      rungs: [
        { fromConversions: 1, points: 500 },
        { fromConversions: 2, points: 900 },
      ],
      capPerPeriod: 2,
    });
    const referrer = await enrollReferrer(app, 'one-referrer@example.com');
    const [referee] = await referees(app, referrer, 1, 'eager');
    const token = await app.token({ role: 'storefront' });

    const orderIds = [1, 2, 3, 4, 5].map((index) => `eager-${index}`);
    const results = await Promise.all(
      orderIds.map((orderId) => recordOrder(app!, { memberId: referee!.globalId, orderId, total: 3000 }, token)),
    );
    expect(results.map((result) => result.__typename)).toEqual(Array(5).fill('RecordOrderPayload'));
    expect((await memberLedger(app, referee!.globalId)).pointsBalance).toBe(5 * 30);

    const listed = await referralsOf(app, referrer.globalId);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ status: 'CONVERTED', rung: 1, rewardPoints: 500 });
    expect((await referralProfile(app, referrer.globalId)).referralRung).toMatchObject({ conversions: 1, number: 1 });
    expect(await referralStats(app)).toMatchObject({ joined: 1, converted: 1 });

    // The period counter was bumped once: with a cap of 2, one more referee converts (as conversion 2), the next is capped.
    const [second, third] = await referees(app, referrer, 2, 'later');
    await recordOrder(app, { memberId: second!.globalId, total: 3000 });
    await recordOrder(app, { memberId: third!.globalId, total: 3000 });
    expect(await referralOf(app, referrer.globalId, second!.globalId)).toMatchObject({ status: 'CONVERTED', rewardPoints: 900, rung: 2 });
    expect(await referralOf(app, referrer.globalId, third!.globalId)).toMatchObject({ status: 'REJECTED', rejectionReason: 'CAP_REACHED' });

    await runJobAt(app, 'SETTLE_REFERRALS', DUE);
    expect((await memberLedger(app, referrer.globalId)).pointsBalance).toBe(500 + 900);
    expect((await rewardTransfers(app, referrer)).map((transfer) => transfer.amount).sort((a, b) => a - b)).toEqual([500, 900]);

    // Exactly one of the five orders converted it: refunding them one by one, one refund (and only one) rejects it.
    let flips = 0;
    for (const orderId of orderIds) {
      const before = (await referralOf(app, referrer.globalId, referee!.globalId)).status;
      await refundOrder(app, { orderId, amount: 3000 });
      const after = await referralOf(app, referrer.globalId, referee!.globalId);
      if (before !== after.status) {
        flips++;
        expect(after).toMatchObject({ status: 'REJECTED', rejectionReason: 'ORDER_REFUNDED', pointsClawedBack: 500 });
      }
    }
    expect(flips).toBe(1);
    expect((await memberLedger(app, referrer.globalId)).pointsBalance).toBe(900);
  });
});

describe.each(modes)('concurrent first orders of different referees of one referrer, %s', (_name, withoutSerializer) => {
  it('with capPerPeriod 2: exactly 2 conversions, the others CAP_REACHED, every order recorded', async () => {
    app = await createTestApp({ networkLatency: true, withoutSerializer });
    await configureReferrals(app, {
      minimumOrderAmount: 2000,
      holdingDays: 14,
      rungs: [{ fromConversions: 1, points: 500 }],
      capPerPeriod: 2,
      capPeriod: 'MONTH',
    });
    const referrer = await enrollReferrer(app, 'popular@example.com');
    const friends = await referees(app, referrer, 6, 'rush');
    const token = await app.token({ role: 'storefront' });

    const results = await Promise.all(
      friends.map((friend, index) => recordOrder(app!, { memberId: friend.globalId, orderId: `rush-${index}`, total: 2500 }, token)),
    );
    expect(results.map((result) => result.__typename)).toEqual(Array(6).fill('RecordOrderPayload'));
    for (const friend of friends) expect((await memberLedger(app, friend.globalId)).pointsBalance).toBe(25);

    const listed = await referralsOf(app, referrer.globalId);
    expect(listed.filter((referral) => referral.status === 'CONVERTED')).toHaveLength(2);
    const capped = listed.filter((referral) => referral.status === 'REJECTED');
    expect(capped).toHaveLength(4);
    for (const referral of capped) expect(referral).toMatchObject({ rejectionReason: 'CAP_REACHED', rewardPoints: 0 });
    expect((await referralProfile(app, referrer.globalId)).referralRung).toMatchObject({ conversions: 2 });

    await runJobAt(app, 'SETTLE_REFERRALS', DUE);
    expect((await memberLedger(app, referrer.globalId)).pointsBalance).toBe(1000);
    expect(await referralStats(app)).toMatchObject({ joined: 6, converted: 2, rejected: 4, rewardsIssued: 2, pointsIssued: 1000 });
  });

  it('each of them takes its own conversion number on the ladder (1–2: 500, 3–5: 750, 6: 1000)', async () => {
    app = await createTestApp({ networkLatency: true, withoutSerializer });
    await configureReferrals(app, {
      minimumOrderAmount: 2000,
      holdingDays: 14,
      rungs: [
        { fromConversions: 1, points: 500 },
        { fromConversions: 3, points: 750 },
        { fromConversions: 6, points: 1000 },
      ],
    });
    const referrer = await enrollReferrer(app, 'climber@example.com');
    const friends = await referees(app, referrer, 6, 'crowd');
    const token = await app.token({ role: 'storefront' });
    const results = await Promise.all(
      friends.map((friend, index) => recordOrder(app!, { memberId: friend.globalId, orderId: `crowd-${index}`, total: 2500 }, token)),
    );
    expect(results.map((result) => result.__typename)).toEqual(Array(6).fill('RecordOrderPayload'));

    const listed = await referralsOf(app, referrer.globalId);
    expect(listed.map((referral) => referral.status)).toEqual(Array(6).fill('CONVERTED'));
    // The same six conversions one after another would give 2 × 500 + 3 × 750 + 1000 = 4250.
    expect(listed.map((referral) => referral.rewardPoints).sort((a, b) => a - b)).toEqual([500, 500, 750, 750, 750, 1000]);
    expect(listed.map((referral) => referral.rung).sort()).toEqual([1, 1, 2, 2, 2, 3]);
    expect((await referralProfile(app, referrer.globalId)).referralRung).toMatchObject({ conversions: 6, number: 3 });
  });
});

describe.each(modes)('settling at the same instant, %s', (_name, withoutSerializer) => {
  it('two settle-referrals runs at once credit each reward once', async () => {
    app = await createTestApp({ networkLatency: true, withoutSerializer });
    await configureReferrals(app, { minimumOrderAmount: 1000, holdingDays: 14, rungs: [{ fromConversions: 1, points: 500 }] });
    const referrer = await enrollReferrer(app, 'settled@example.com');
    const friends = await referees(app, referrer, 3, 'settle');
    for (const friend of friends) await recordOrder(app, { memberId: friend.globalId, total: 1500 });

    app.clock.set(DUE);
    const admin = await app.token({ role: 'admin' });
    const runs = await Promise.all([1, 2].map(() => app!.graphql(RUN_JOB, { input: { job: 'SETTLE_REFERRALS', now: DUE } }, admin)));
    for (const run of runs)
      expect(run.data?.runJob, JSON.stringify(run)).toMatchObject({ __typename: 'RunJobPayload', run: { error: null } });
    expect((await referralsOf(app, referrer.globalId)).map((referral) => referral.status)).toEqual(Array(3).fill('CONFIRMED'));
    expect((await memberLedger(app, referrer.globalId)).pointsBalance).toBe(1500);
    expect(await rewardTransfers(app, referrer)).toHaveLength(3);
  });

  it('a refund after confirmation and a settle run at the same instant claw the reward back once', async () => {
    app = await createTestApp({ networkLatency: true, withoutSerializer });
    await configureReferrals(app, { minimumOrderAmount: 1000, holdingDays: 14, rungs: [{ fromConversions: 1, points: 500 }] });
    const referrer = await enrollReferrer(app, 'clawed@example.com');
    const [friend] = await referees(app, referrer, 1, 'clawed-friend');
    await recordOrder(app, { memberId: friend!.globalId, orderId: 'clawed-order', total: 1500 });
    await runJobAt(app, 'SETTLE_REFERRALS', DUE);
    expect((await memberLedger(app, referrer.globalId)).pointsBalance).toBe(500);

    const later = '2026-12-08T10:00:00.000Z';
    app.clock.set(later);
    const admin = await app.token({ role: 'admin' });
    const [refund, run] = await Promise.all([
      refundOrder(app, { orderId: 'clawed-order', amount: 1500, idempotencyKey: key('refund') }),
      app.graphql(RUN_JOB, { input: { job: 'SETTLE_REFERRALS', now: later } }, admin),
    ]);
    expect(refund.__typename).toBe('RefundOrderPayload');
    expect(run.data?.runJob.__typename, JSON.stringify(run)).toBe('RunJobPayload');
    // Whatever the job did not do, the next run does; and nothing twice.
    await runJobAt(app, 'SETTLE_REFERRALS', '2026-12-08T11:00:00.000Z');
    expect(await referralOf(app, referrer.globalId, friend!.globalId)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'ORDER_REFUNDED',
      pointsClawedBack: 500,
    });
    expect((await memberLedger(app, referrer.globalId)).pointsBalance).toBe(0);
    expect(
      (await transfersOf(app, referrer.globalId))
        .filter((transfer) => transfer.kind === 'REFERRAL_CLAWBACK')
        .map((transfer) => transfer.amount),
    ).toEqual([500]);
  });
});

describe('concurrent enrollments of one person', () => {
  it('two sign-ups of the same email identity at once (other +tags) with a code: only the first is new, the other NOT_NEW_TO_PROGRAM', async () => {
    app = await createTestApp({ networkLatency: true });
    await configureReferrals(app, { minimumOrderAmount: 1000, holdingDays: 14, rungs: [{ fromConversions: 1, points: 500 }] });
    const referrer = await enrollReferrer(app, 'targeted@example.com');
    const token = await app.token({ role: 'storefront' });
    const ENROLL_WITH_CODE = `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { __typename ... on MemberPayload { member { id } } } }`;
    const results = await Promise.all(
      ['twin+one@example.com', 'twin+two@example.com', 'Twin+three@example.com'].map((email) =>
        app!.graphql(ENROLL_WITH_CODE, { input: { email, referralCode: referrer.code } }, token),
      ),
    );
    for (const result of results) expect(result.data?.enrollMember.__typename, JSON.stringify(result)).toBe('MemberPayload');
    const listed = await referralsOf(app, referrer.globalId);
    expect(listed).toHaveLength(3);
    expect(listed.filter((referral) => referral.status === 'PENDING')).toHaveLength(1);
    expect(listed.filter((referral) => referral.status === 'REJECTED').map((referral) => referral.rejectionReason)).toEqual([
      'NOT_NEW_TO_PROGRAM',
      'NOT_NEW_TO_PROGRAM',
    ]);
  });
});

describe.each(modes)('a full refund racing the settle job at the end of the holding period, %s', (_name, withoutSerializer) => {
  it("whichever comes first, the refunded order's reward ends REJECTED (ORDER_REFUNDED) and the referrer keeps none of it", async () => {
    app = await createTestApp({ networkLatency: true, withoutSerializer });
    await configureReferrals(app, { minimumOrderAmount: 1000, holdingDays: 14, rungs: [{ fromConversions: 1, points: 500 }] });
    const admin = await app.token({ role: 'admin' });
    const outcomes: string[] = [];
    // The job starts `head` event-loop turns after the refund, so that the two interleave differently each time
    // (without the serializer, commands arriving together start together: fewer offsets say as much).
    for (let head = 0; head < 60; head += withoutSerializer ? 6 : 1) {
      const convertedAt = Date.parse('2026-11-23T10:00:00.000Z') + head * 60_000;
      app.clock.set(new Date(convertedAt).toISOString());
      const referrer = await enrollReferrer(app, `raced-${head}@example.com`);
      const friend = await enrollReferee(app, referrer.code, `raced-friend-${head}@example.com`);
      await recordOrder(app, { memberId: friend.globalId, orderId: `raced-${head}`, total: 1500 });

      const due = new Date(convertedAt + 14 * 86_400_000).toISOString();
      app.clock.set(due);
      const refund = refundOrder(app, { orderId: `raced-${head}`, amount: 1500 });
      for (let turn = 0; turn < head; turn++) await new Promise((resolve) => setImmediate(resolve));
      const run = app.graphql(RUN_JOB, { input: { job: 'SETTLE_REFERRALS', now: due } }, admin);
      const [refunded, ran] = await Promise.all([refund, run]);
      expect(refunded).toMatchObject({ __typename: 'RefundOrderPayload', offersReleased: true });
      expect(ran.data?.runJob.__typename, JSON.stringify(ran)).toBe('RunJobPayload');
      // Whatever is left to settle, a later run settles.
      await runJobAt(app, 'SETTLE_REFERRALS', new Date(Date.parse(due) + 60_000).toISOString());

      const referral = await referralOf(app, referrer.globalId, friend.globalId);
      const kept = (await memberLedger(app, referrer.globalId)).pointsBalance;
      outcomes.push(`job ${head} turns later: ${referral.status}/${referral.rejectionReason}, referrer keeps ${kept}`);
    }
    expect(outcomes).toEqual(outcomes.map((outcome) => outcome.replace(/: .*$/, ': REJECTED/ORDER_REFUNDED, referrer keeps 0')));
  }, 40_000);
});
