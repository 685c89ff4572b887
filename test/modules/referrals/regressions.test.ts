import { afterEach, describe, expect, it } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { emailFingerprint } from '../../../src/modules/referrals/fingerprints';
import { createTestApp, TEST_NOW, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { closeSoundly, memberLedger, transfersOf } from '../../support/ledger';
import { ERASE, UPDATE } from '../../support/operations';
import { recordOrder, refundOrder } from '../../support/offers';
import { RUN_JOB, runJobAt } from '../../support/tiers';
import {
  configureReferrals,
  enrollReferee,
  enrollReferred,
  enrollReferrer,
  referralOf,
  referralProfile,
  referralStats,
  type ReferralMember,
} from '../../support/referrals';

/**
 * Regressions found in review of referrals (README "Referrals"), through GraphQL only:
 * - members who enrolled before email fingerprints existed still make their address "not new";
 * - the fraud rules are checked again at conversion, for a referee who gave an email only after
 *   enrolling (the referrer's own identity, or an address the program had seen before);
 * - a full refund after the settle job confirmed a reward takes it back at once, also when the job's
 *   confirmation and the refund's follow-up meet in the referrer's serializer.
 */

const inDays = (start: string, days: number) => new Date(new Date(start).getTime() + days * 86_400_000).toISOString();
const inMinutes = (start: string, minutes: number) => new Date(new Date(start).getTime() + minutes * 60_000).toISOString();
const balance = async (app: TestApp, member: { globalId: string }) => (await memberLedger(app, member.globalId)).pointsBalance;
const clawbacks = async (app: TestApp, member: { globalId: string }) =>
  (await transfersOf(app, member.globalId)).filter((transfer) => transfer.kind === 'REFERRAL_CLAWBACK').map((transfer) => transfer.amount);

let app: TestApp | undefined;
afterEach(async () => {
  if (app) await closeSoundly(app);
  app = undefined;
});

async function referralApp(options: { networkLatency?: boolean } = {}) {
  const created = await createTestApp(options);
  await configureReferrals(created, { minimumOrderAmount: 1000, holdingDays: 14, rungs: [{ fromConversions: 1, points: 500 }] });
  return created;
}

/** Enrolls with a referral code and an external id only (no email), as a storefront. */
async function enrollWithoutEmail(app: TestApp, code: string, externalId: string): Promise<ReferralMember> {
  const result = await enrollReferred(app, { externalId, referralCode: code });
  expect(result.__typename, JSON.stringify(result)).toBe('MemberPayload');
  const globalId: string = result.member.id;
  return { globalId, memberId: decodeGlobalID(globalId).id, code: (await referralProfile(app, globalId)).referralCode };
}

async function setEmail(app: TestApp, member: { globalId: string }, email: string) {
  const response = await app.graphql(UPDATE, { input: { id: member.globalId, email } }, await app.token({ role: 'admin' }));
  expect(response.data?.updateMember.__typename, JSON.stringify(response)).toBe('MemberPayload');
}

async function erase(app: TestApp, globalId: string) {
  const response = await app.graphql(ERASE, { input: { id: globalId } }, await app.token({ role: 'admin' }));
  expect(response.data?.eraseMember.__typename, JSON.stringify(response)).toBe('MemberPayload');
}

/**
 * Makes a member look as if it enrolled before fingerprints existed: its fingerprint row is deleted
 * (the one direct database write these tests make).
 */
async function forgetFingerprint(app: TestApp, email: string) {
  const deleted = await app.client.execute({
    sql: 'delete from email_fingerprints where program_id = ? and hash = ?',
    args: ['acme', emailFingerprint(app.config.fingerprints, 'acme', email).hash],
  });
  expect(deleted.rowsAffected, `fingerprint of ${email}`).toBe(1);
}

describe('members enrolled before email fingerprints existed', () => {
  it('their email identity is NOT_NEW_TO_PROGRAM for a referee; a brand-new address is still PENDING', async () => {
    app = await referralApp();
    await enroll(app, { email: 'oldtimer@example.com' });
    await enroll(app, { email: 'veteran+shop@example.com' });
    await forgetFingerprint(app, 'oldtimer@example.com');
    await forgetFingerprint(app, 'veteran+shop@example.com');
    const referrer = await enrollReferrer(app, 'ada@example.com');

    const oldTimer = await enrollReferee(app, referrer.code, 'OldTimer+ref@example.com');
    // A stored address with a +tag is the same person as the bare one.
    const veteran = await enrollReferee(app, referrer.code, 'Veteran@Example.com');
    const newcomer = await enrollReferee(app, referrer.code, 'brand-new@example.com');
    expect(await referralOf(app, referrer.globalId, oldTimer.globalId)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'NOT_NEW_TO_PROGRAM',
      rewardPoints: 0,
    });
    expect(await referralOf(app, referrer.globalId, veteran.globalId)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'NOT_NEW_TO_PROGRAM',
      rewardPoints: 0,
    });
    // The new member's own row (written in the same batch) does not count against it.
    expect(await referralOf(app, referrer.globalId, newcomer.globalId)).toMatchObject({ status: 'PENDING', rejectionReason: null });

    // Their orders convert nothing; the newcomer's does.
    for (const referee of [oldTimer, veteran, newcomer]) await recordOrder(app, { memberId: referee.globalId, total: 2000 });
    expect(await referralOf(app, referrer.globalId, oldTimer.globalId)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'NOT_NEW_TO_PROGRAM',
      convertedAt: null,
    });
    expect(await referralOf(app, referrer.globalId, newcomer.globalId)).toMatchObject({ status: 'CONVERTED', rewardPoints: 500 });
  });
});

describe('a referee who gives an email only after enrolling', () => {
  it("with the referrer's own email identity: the first qualifying order rejects the referral (SELF_REFERRAL), no reward", async () => {
    app = await referralApp();
    const referrer = await enrollReferrer(app, 'ada@example.com');
    const referee = await enrollWithoutEmail(app, referrer.code, 'pos-4711');
    expect(await referralOf(app, referrer.globalId, referee.globalId)).toMatchObject({ status: 'PENDING', rejectionReason: null });

    await setEmail(app, referee, 'ada+alt@example.com');
    const order = await recordOrder(app, { memberId: referee.globalId, total: 2000 });
    expect(order).toMatchObject({ __typename: 'RecordOrderPayload', pointsEarned: 20 });
    expect(await referralOf(app, referrer.globalId, referee.globalId)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'SELF_REFERRAL',
      rewardPoints: 0,
      convertedAt: null,
      confirmAfter: null,
    });
    expect((await referralProfile(app, referrer.globalId)).referralRung).toMatchObject({ conversions: 0 });

    await runJobAt(app, 'SETTLE_REFERRALS', inDays(TEST_NOW, 30));
    expect(await referralOf(app, referrer.globalId, referee.globalId)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'SELF_REFERRAL',
    });
    expect(await balance(app, referrer)).toBe(0);
    expect(await referralStats(app)).toMatchObject({ converted: 0, rejected: 1, rewardsIssued: 0, pointsIssued: 0 });
  });

  it('with an address an erased member had before the referral: the first qualifying order rejects it (NOT_NEW_TO_PROGRAM)', async () => {
    app = await referralApp();
    const referrer = await enrollReferrer(app, 'host@example.com');
    const gone = await enroll(app, { email: 'gone@example.com' });
    await erase(app, gone.globalId);

    app.clock.set(inMinutes(TEST_NOW, 5));
    const referee = await enrollWithoutEmail(app, referrer.code, 'pos-4712');
    // A referee who later gives an address nobody had: converts as usual.
    const fresh = await enrollWithoutEmail(app, referrer.code, 'pos-4713');
    app.clock.set(inMinutes(TEST_NOW, 10));
    await setEmail(app, referee, 'Gone+again@example.com');
    await setEmail(app, fresh, 'fresh@example.com');
    expect(await referralOf(app, referrer.globalId, referee.globalId)).toMatchObject({ status: 'PENDING' });

    await recordOrder(app, { memberId: referee.globalId, total: 2000 });
    await recordOrder(app, { memberId: fresh.globalId, total: 2000 });
    expect(await referralOf(app, referrer.globalId, referee.globalId)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'NOT_NEW_TO_PROGRAM',
      rewardPoints: 0,
      convertedAt: null,
    });
    expect(await referralOf(app, referrer.globalId, fresh.globalId)).toMatchObject({ status: 'CONVERTED', rewardPoints: 500, rung: 1 });
    expect((await referralProfile(app, referrer.globalId)).referralRung).toMatchObject({ conversions: 1 });

    await runJobAt(app, 'SETTLE_REFERRALS', inDays(TEST_NOW, 30));
    expect(await balance(app, referrer)).toBe(500);
  });
});

describe('a full refund after the settle job confirmed the reward', () => {
  it('rejects the referral (ORDER_REFUNDED) and claws the reward back at once, without another job run', async () => {
    app = await referralApp();
    const referrer = await enrollReferrer(app, 'confirmed@example.com');
    const friend = await enrollReferee(app, referrer.code, 'confirmed-friend@example.com');
    await recordOrder(app, { memberId: friend.globalId, orderId: 'confirmed-order', total: 1500 });
    const converted = await referralOf(app, referrer.globalId, friend.globalId);
    expect(converted).toMatchObject({ status: 'CONVERTED', rewardPoints: 500 });

    await runJobAt(app, 'SETTLE_REFERRALS', converted.confirmAfter);
    expect(await referralOf(app, referrer.globalId, friend.globalId)).toMatchObject({ status: 'CONFIRMED' });
    expect(await balance(app, referrer)).toBe(500);

    app.clock.set(inMinutes(converted.confirmAfter, 1));
    expect(await refundOrder(app, { orderId: 'confirmed-order', amount: 1500 })).toMatchObject({
      __typename: 'RefundOrderPayload',
      offersReleased: true,
    });
    expect(await referralOf(app, referrer.globalId, friend.globalId)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'ORDER_REFUNDED',
      pointsClawedBack: 500,
    });
    expect(await balance(app, referrer)).toBe(0);
    expect(await clawbacks(app, referrer)).toEqual([500]);
  });

  it("also when the job confirms it while the refund is under way: the refund's follow-up takes the reward back itself", async () => {
    app = await referralApp({ networkLatency: true });
    const admin = await app.token({ role: 'admin' });
    const turns = async (count: number) => {
      for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
    };
    const outcomes: string[] = [];
    // Each round: one settle run over many rewards that fall due together, and their orders refunded
    // in full, each `lag` event-loop turns after the run starts (a negative lag: before it), so that
    // the job's confirmations and the refunds' follow-ups meet in every order. Among them: a
    // follow-up reads CONVERTED, the job then confirms the referral (the very move the follow-up
    // asks for, so the follow-up gets the job's answer), and the follow-up must read the referral
    // again to take the reward back.
    const lags = Array.from({ length: 36 }, (_, index) => index - 16);
    for (let round = 0; round < 3; round++) {
      const convertedAt = inMinutes(TEST_NOW, round);
      app.clock.set(convertedAt);
      const pairs: Array<{ lag: number; referrer: ReferralMember; friend: ReferralMember; orderId: string }> = [];
      for (const lag of lags) {
        const referrer = await enrollReferrer(app, `met-${round}-${lag}@example.com`);
        const friend = await enrollReferee(app, referrer.code, `met-friend-${round}-${lag}@example.com`);
        const orderId = `met-${round}-${lag}`;
        await recordOrder(app, { memberId: friend.globalId, orderId, total: 1500 });
        pairs.push({ lag, referrer, friend, orderId });
      }

      const due = inDays(convertedAt, 14);
      app.clock.set(due);
      const first = Math.min(...lags);
      const run = turns(-first).then(() => app!.graphql(RUN_JOB, { input: { job: 'SETTLE_REFERRALS', now: due } }, admin));
      const refunds = pairs.map(({ lag, orderId }) => turns(lag - first).then(() => refundOrder(app!, { orderId, amount: 1500 })));
      const [ran, ...refunded] = await Promise.all([run, ...refunds]);
      expect(ran.data?.runJob, JSON.stringify(ran)).toMatchObject({ __typename: 'RunJobPayload', run: { error: null } });
      for (const result of refunded) expect(result).toMatchObject({ __typename: 'RefundOrderPayload', offersReleased: true });

      // No later run: what the two left is final.
      for (const { lag, referrer, friend } of pairs) {
        const referral = await referralOf(app, referrer.globalId, friend.globalId);
        outcomes.push(
          `round ${round}, refund ${lag} turns after the run: ${referral.status}/${referral.rejectionReason}, referrer keeps ${await balance(app, referrer)}`,
        );
      }
    }
    expect(outcomes).toEqual(outcomes.map((outcome) => outcome.replace(/: .*$/, ': REJECTED/ORDER_REFUNDED, referrer keeps 0')));
  }, 60_000);
});
