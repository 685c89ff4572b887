import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_NOW, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { closeSoundly, memberLedger } from '../../support/ledger';
import { ERASE, UPDATE } from '../../support/operations';
import { recordOrder } from '../../support/offers';
import { runJobAt } from '../../support/tiers';
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
 * What keeps fraud out: a referee who is the referrer (same email after normalisation), a referee
 * who is not new to the program (even after erasure), and the cap on conversions per referrer per
 * calendar period (UTC). Each rejection records its reason, visible in member.referrals.
 */

const inDays = (start: string, days: number) => new Date(new Date(start).getTime() + days * 86_400_000).toISOString();

async function erase(app: TestApp, globalId: string) {
  const response = await app.graphql(ERASE, { input: { id: globalId } }, await app.token({ role: 'admin' }));
  expect(response.data?.eraseMember.__typename, JSON.stringify(response)).toBe('MemberPayload');
}

describe('self-referral and returning customers', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    await configureReferrals(app, { minimumOrderAmount: 1000, holdingDays: 14, rungs: [{ fromConversions: 1, points: 500 }] });
  });
  afterAll(() => closeSoundly(app));

  it.each([
    ['case, spaces and a +tag on the referee', 'ada@example.com', '  Ada+promo@Example.com '],
    ['a +tag on the referrer', 'grace+shop@example.com', 'GRACE@example.com'],
    ['different +tags on both', 'linus+a@example.com', 'Linus+b@EXAMPLE.COM'],
  ])(
    "the referrer's own email (%s) is SELF_REFERRAL: the member is enrolled, the referral rejected and never rewarded",
    async (_name, referrerEmail, refereeEmail) => {
      const referrer = await enrollReferrer(app, referrerEmail);
      const self = await enrollReferee(app, referrer.code, refereeEmail);
      expect(await referralOf(app, referrer.globalId, self.globalId)).toMatchObject({
        status: 'REJECTED',
        rejectionReason: 'SELF_REFERRAL',
        rewardPoints: 0,
      });
      // The reason is also what the referrer itself reads.
      expect(
        (await referralProfile(app, referrer.globalId, await app.token({ role: 'member', subject: referrer.memberId }))).referrals,
      ).toMatchObject([{ status: 'REJECTED', rejectionReason: 'SELF_REFERRAL' }]);
      const order = await recordOrder(app, { memberId: self.globalId, total: 5000 });
      expect(order).toMatchObject({ __typename: 'RecordOrderPayload', pointsEarned: 50 });
      expect(await referralOf(app, referrer.globalId, self.globalId)).toMatchObject({
        status: 'REJECTED',
        rejectionReason: 'SELF_REFERRAL',
        rewardPoints: 0,
        convertedAt: null,
      });
      expect((await referralProfile(app, referrer.globalId)).referralRung).toMatchObject({ conversions: 0 });
    },
  );

  it('a different person (other local part or domain) is not a self-referral', async () => {
    const referrer = await enrollReferrer(app, 'hedy@example.com');
    const otherDomain = await enrollReferee(app, referrer.code, 'hedy@example.org');
    const otherLocal = await enrollReferee(app, referrer.code, 'hedy.l@example.com');
    expect(await referralOf(app, referrer.globalId, otherDomain.globalId)).toMatchObject({ status: 'PENDING', rejectionReason: null });
    expect(await referralOf(app, referrer.globalId, otherLocal.globalId)).toMatchObject({ status: 'PENDING', rejectionReason: null });
  });

  it("an erased member's email coming back with a code is NOT_NEW_TO_PROGRAM, also with another case or +tag", async () => {
    const referrer = await enrollReferrer(app, 'inviter@example.com');
    const carol = await enroll(app, { email: 'carol@example.com' });
    const erin = await enroll(app, { email: 'Erin@Example.com' });
    await erase(app, carol.globalId);
    await erase(app, erin.globalId);

    const carolAgain = await enrollReferee(app, referrer.code, 'carol@example.com');
    const erinAgain = await enrollReferee(app, referrer.code, ' erin+fresh@example.COM');
    for (const back of [carolAgain, erinAgain]) {
      expect(await referralOf(app, referrer.globalId, back.globalId)).toMatchObject({
        status: 'REJECTED',
        rejectionReason: 'NOT_NEW_TO_PROGRAM',
      });
      await recordOrder(app, { memberId: back.globalId, total: 5000 });
      expect(await referralOf(app, referrer.globalId, back.globalId)).toMatchObject({
        status: 'REJECTED',
        rejectionReason: 'NOT_NEW_TO_PROGRAM',
        rewardPoints: 0,
      });
    }
  });

  it('an email identity of a current member, or one a member had before changing it, is NOT_NEW_TO_PROGRAM', async () => {
    const referrer = await enrollReferrer(app, 'host@example.com');
    await enroll(app, { email: 'dave@example.com' });
    const frank = await enroll(app, { email: 'frank@example.com' });
    const updated = await app.graphql(
      UPDATE,
      { input: { id: frank.globalId, email: 'frank.new@example.com' } },
      await app.token({ role: 'admin' }),
    );
    expect(updated.data?.updateMember.__typename, JSON.stringify(updated)).toBe('MemberPayload');

    const daveAlias = await enrollReferee(app, referrer.code, 'dave+second@example.com');
    const frankOld = await enrollReferee(app, referrer.code, 'frank@example.com');
    const newcomer = await enrollReferee(app, referrer.code, 'newcomer@example.com');
    expect(await referralOf(app, referrer.globalId, daveAlias.globalId)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'NOT_NEW_TO_PROGRAM',
    });
    expect(await referralOf(app, referrer.globalId, frankOld.globalId)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'NOT_NEW_TO_PROGRAM',
    });
    expect(await referralOf(app, referrer.globalId, newcomer.globalId)).toMatchObject({ status: 'PENDING', rejectionReason: null });
  });

  it('an email known to another program is still new to this one', async () => {
    const referrer = await enrollReferrer(app, 'acme-host@example.com');
    const globex = await app.graphql(
      `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { __typename } }`,
      { input: { email: 'both@example.com' } },
      await app.token({ role: 'admin', programId: 'globex' }),
    );
    expect(globex.data?.enrollMember.__typename, JSON.stringify(globex)).toBe('MemberPayload');
    const referee = await enrollReferee(app, referrer.code, 'both@example.com');
    expect(await referralOf(app, referrer.globalId, referee.globalId)).toMatchObject({ status: 'PENDING', rejectionReason: null });
  });

  it("the referrer's own email, which is also known to the program, is SELF_REFERRAL (the more specific reason)", async () => {
    const referrer = await enrollReferrer(app, 'margaret@example.com');
    await erase(app, (await enroll(app, { email: 'margaret+old@example.com' })).globalId);
    const self = await enrollReferee(app, referrer.code, 'margaret+new@example.com');
    expect(await referralOf(app, referrer.globalId, self.globalId)).toMatchObject({ status: 'REJECTED', rejectionReason: 'SELF_REFERRAL' });
  });

  it('rejected referrals are counted as joined and rejected, never converted or rewarded', async () => {
    await runJobAt(app, 'SETTLE_REFERRALS', inDays(TEST_NOW, 30));
    const stats = await referralStats(app);
    // Referrals so far: 3 self-referrals, 2 other people, 2 erased-and-back, 2 not new + 1 newcomer, 1 new to acme, 1 self.
    expect(stats).toMatchObject({ joined: 12, converted: 0, rejected: 8, rewardsIssued: 0, pointsIssued: 0 });
  });
});

/** A referee's first qualifying order at `at`; returns the recorded order. */
async function orderAt(app: TestApp, referee: ReferralMember, at: string, total = 2000) {
  app.clock.set(at);
  const order = await recordOrder(app, { memberId: referee.globalId, total });
  expect(order.__typename, JSON.stringify(order)).toBe('RecordOrderPayload');
  return order;
}

describe('cap per referrer per MONTH', () => {
  let app: TestApp;
  let referrer: ReferralMember;
  let other: ReferralMember;
  const friends: ReferralMember[] = [];
  beforeAll(async () => {
    app = await createTestApp();
    await configureReferrals(app, {
      minimumOrderAmount: 1000,
      holdingDays: 14,
      rungs: [{ fromConversions: 1, points: 500 }],
      capPerPeriod: 2,
      capPeriod: 'MONTH',
    });
    referrer = await enrollReferrer(app, 'capped@example.com');
    other = await enrollReferrer(app, 'uncapped@example.com');
    for (let index = 1; index <= 5; index++) friends.push(await enrollReferee(app, referrer.code, `capped-friend-${index}@example.com`));
  });
  afterAll(() => closeSoundly(app));

  it("two conversions in November; a third referee's first order is recorded but rejects its referral (CAP_REACHED)", async () => {
    await orderAt(app, friends[0]!, '2026-11-02T09:00:00.000Z');
    await orderAt(app, friends[1]!, '2026-11-10T09:00:00.000Z');
    // Below the minimum: no conversion, so no rejection either.
    await orderAt(app, friends[2]!, '2026-11-15T09:00:00.000Z', 999);
    expect(await referralOf(app, referrer.globalId, friends[2]!.globalId)).toMatchObject({ status: 'PENDING' });

    const third = await orderAt(app, friends[2]!, '2026-11-20T09:00:00.000Z', 4000);
    expect(third).toMatchObject({ pointsEarned: 40 });
    expect((await memberLedger(app, friends[2]!.globalId)).pointsBalance).toBe(9 + 40);
    expect(await referralOf(app, referrer.globalId, friends[2]!.globalId)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'CAP_REACHED',
      rewardPoints: 0,
    });
    // The last instant of November is still November.
    await orderAt(app, friends[3]!, '2026-11-30T23:59:59.999Z');
    expect(await referralOf(app, referrer.globalId, friends[3]!.globalId)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'CAP_REACHED',
    });
    expect((await referralProfile(app, referrer.globalId)).referralRung).toMatchObject({ conversions: 2 });
  });

  it("the cap is per referrer: another referrer's referee converts in the same month", async () => {
    const friend = await enrollReferee(app, other.code, 'uncapped-friend@example.com');
    await orderAt(app, friend, '2026-11-30T23:59:59.999Z');
    expect(await referralOf(app, other.globalId, friend.globalId)).toMatchObject({ status: 'CONVERTED', rewardPoints: 500 });
  });

  it('in December (calendar month, UTC) it converts again; a referral rejected in November stays rejected', async () => {
    await orderAt(app, friends[4]!, '2026-12-01T00:00:00.000Z');
    expect(await referralOf(app, referrer.globalId, friends[4]!.globalId)).toMatchObject({ status: 'CONVERTED', rewardPoints: 500 });
    await orderAt(app, friends[2]!, '2026-12-02T00:00:00.000Z');
    expect(await referralOf(app, referrer.globalId, friends[2]!.globalId)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'CAP_REACHED',
    });

    const listed = await referralsOf(app, referrer.globalId);
    expect(listed.map((referral) => [referral.referee.email, referral.status, referral.rejectionReason])).toEqual([
      ['capped-friend-5@example.com', 'CONVERTED', null],
      ['capped-friend-4@example.com', 'REJECTED', 'CAP_REACHED'],
      ['capped-friend-3@example.com', 'REJECTED', 'CAP_REACHED'],
      ['capped-friend-2@example.com', 'CONVERTED', null],
      ['capped-friend-1@example.com', 'CONVERTED', null],
    ]);
    await runJobAt(app, 'SETTLE_REFERRALS', '2027-01-01T00:00:00.000Z');
    expect((await memberLedger(app, referrer.globalId)).pointsBalance).toBe(3 * 500);
    expect(await referralStats(app)).toMatchObject({ joined: 6, converted: 4, rejected: 2, rewardsIssued: 4, pointsIssued: 2000 });
  });
});

describe.each([
  // [period, first conversion, last instant of that period, first instant of the next one]
  ['DAY', '2026-11-23T10:00:00.000Z', '2026-11-23T23:59:59.999Z', '2026-11-24T00:00:00.000Z'],
  // 2026-11-23 is a Monday; weeks start on Monday, so 2026-11-30T00:00Z is a new week (7 rolling days would not be over).
  ['WEEK', '2026-11-23T10:00:00.000Z', '2026-11-29T23:59:59.999Z', '2026-11-30T00:00:00.000Z'],
  ['YEAR', '2026-11-23T10:00:00.000Z', '2026-12-31T23:59:59.999Z', '2027-01-01T00:00:00.000Z'],
])('cap of 1 per %s (calendar, UTC)', (period, first, lastOfPeriod, nextPeriod) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp();
    await configureReferrals(app, {
      minimumOrderAmount: 1000,
      holdingDays: 14,
      rungs: [{ fromConversions: 1, points: 500 }],
      capPerPeriod: 1,
      capPeriod: period,
    });
  });
  afterEach(() => closeSoundly(app));

  it('a second conversion in the same period is CAP_REACHED up to its last instant; the next period converts again', async () => {
    const referrer = await enrollReferrer(app, 'periodic@example.com');
    const [one, two, three] = [
      await enrollReferee(app, referrer.code, 'periodic-1@example.com'),
      await enrollReferee(app, referrer.code, 'periodic-2@example.com'),
      await enrollReferee(app, referrer.code, 'periodic-3@example.com'),
    ];
    await orderAt(app, one, first);
    await orderAt(app, two, lastOfPeriod);
    await orderAt(app, three, nextPeriod);
    expect(await referralOf(app, referrer.globalId, one.globalId)).toMatchObject({ status: 'CONVERTED' });
    expect(await referralOf(app, referrer.globalId, two.globalId)).toMatchObject({ status: 'REJECTED', rejectionReason: 'CAP_REACHED' });
    expect(await referralOf(app, referrer.globalId, three.globalId)).toMatchObject({ status: 'CONVERTED', rewardPoints: 500 });
  });
});
