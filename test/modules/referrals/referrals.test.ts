import { decodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, STOCK_PARTNER_ID, TEST_NOW, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { closeSoundly, memberLedger } from '../../support/ledger';
import { ERASE, ENROLL, MEMBERS } from '../../support/operations';
import { createCode, createOffer, quote, recordOrder, refundOrder } from '../../support/offers';
import { runJobAt } from '../../support/tiers';
import {
  CONFIGURE_REFERRALS,
  REFERRAL_PROFILE,
  REFERRAL_STATS,
  TRACK_VISIT,
  configureReferrals,
  enrollReferee,
  enrollReferred,
  enrollReferrer,
  readReferralSettings,
  referralOf,
  referralProfile,
  referralsOf,
  referralStats,
} from '../../support/referrals';

/**
 * Referrals through GraphQL: every member's code and share link, enrolling with a code, what
 * converts a referral, the referee's welcome offer, the queries and stats, who may read and change
 * what, and what configureReferrals refuses. The holding period and ladder, fraud rules and
 * concurrency have their own files.
 */

const CODE = /^[2346789ABCDEFGHJKMNPQRTUVWXYZ]{8}$/;
const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());
const inDays = (start: string, days: number) => new Date(new Date(start).getTime() + days * 86_400_000).toISOString();

let emails = 0;
/** A fresh email identity (never seen by the program). */
const fresh = (name: string) => `${name}-${++emails}@example.com`;

async function admin(app: TestApp, programId = 'acme') {
  return app.token({ role: 'admin', programId });
}

async function membersMatching(app: TestApp, search: string) {
  const response = await app.graphql(MEMBERS, { first: 50, search }, await admin(app));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return (response.data!.members.edges as Array<{ node: { email: string } }>).map((edge) => edge.node.email);
}

describe('referral codes and share links', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => closeSoundly(app));

  it('every member has its own 8-character code from 2346789ABCDEFGHJKMNPQRTUVWXYZ, the same on every read', async () => {
    const members = [];
    for (let index = 0; index < 25; index++) members.push(await enroll(app, { email: fresh('code') }));
    const codes = [];
    for (const member of members) {
      const { referralCode } = await referralProfile(app, member.globalId);
      expect(referralCode).toMatch(CODE);
      codes.push(referralCode);
    }
    expect(new Set(codes).size).toBe(25);
    for (const [index, member] of members.entries()) expect((await referralProfile(app, member.globalId)).referralCode).toBe(codes[index]);
    // Members enrolled through an externalId only have one too.
    const byExternalId = await enroll(app, { externalId: 'pos-4711' });
    expect((await referralProfile(app, byExternalId.globalId)).referralCode).toMatch(CODE);
  });

  it('referralLink is null until the program has a shareBaseUrl, then shareBaseUrl?ref=CODE; null again when it is removed', async () => {
    const member = await enroll(app, { email: fresh('link') });
    const before = await referralProfile(app, member.globalId);
    expect(before.referralLink).toBeNull();
    expect(await readReferralSettings(app)).toEqual({
      shareBaseUrl: null,
      minimumOrderAmount: 0,
      holdingDays: 14,
      rewardKind: 'POINTS',
      rungs: [],
      capPerPeriod: null,
      capPeriod: 'MONTH',
    });

    await configureReferrals(app, { shareBaseUrl: 'https://acme.example/join' });
    const after = await referralProfile(app, member.globalId);
    expect(after.referralCode).toBe(before.referralCode);
    expect(after.referralLink).toBe(`https://acme.example/join?ref=${before.referralCode}`);

    await configureReferrals(app, { shareBaseUrl: 'http://shop.acme.example/friends/' });
    expect((await referralProfile(app, member.globalId)).referralLink).toBe(`http://shop.acme.example/friends/?ref=${before.referralCode}`);

    // configureReferrals replaces the settings: without shareBaseUrl there is no link.
    await configureReferrals(app, { minimumOrderAmount: 100 });
    expect((await referralProfile(app, member.globalId)).referralLink).toBeNull();
  });
});

describe('enrolling with a referral code', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    await configureReferrals(app, { minimumOrderAmount: 2000, holdingDays: 14, rungs: [{ fromConversions: 1, points: 500 }] });
  });
  afterAll(() => closeSoundly(app));

  it('takes the code in any case and with surrounding spaces; the referee is attributed to the referrer, PENDING', async () => {
    const referrer = await enrollReferrer(app, fresh('referrer'));
    const lower = await enrollReferee(app, referrer.code.toLowerCase(), fresh('lower'));
    const spaced = await enrollReferee(app, `  ${referrer.code.slice(0, 4).toLowerCase()}${referrer.code.slice(4)} `, fresh('spaced'));
    const listed = await referralsOf(app, referrer.globalId);
    expect(listed.map((referral) => referral.referee.id)).toEqual([spaced.globalId, lower.globalId]);
    for (const referral of listed) {
      expect(referral).toMatchObject({
        status: 'PENDING',
        rejectionReason: null,
        rung: null,
        rewardPoints: 0,
        pointsClawedBack: 0,
        convertedAt: null,
        confirmAfter: null,
        confirmedAt: null,
      });
      expect(iso(referral.joinedAt)).toBe(TEST_NOW);
    }
    // The referee has a code of its own, and no referrals yet.
    expect(lower.code).toMatch(CODE);
    expect(lower.code).not.toBe(referrer.code);
    expect((await referralProfile(app, lower.globalId)).referrals).toEqual([]);
  });

  it('an unknown code is ReferralCodeNotFoundError and writes nothing: no member, and the email is still new to the program', async () => {
    const email = fresh('unknown');
    const statsBefore = await referralStats(app);
    const result = await enrollReferred(app, { email, referralCode: 'ZZZZ2222' });
    expect(result).toMatchObject({ __typename: 'ReferralCodeNotFoundError', code: 'REFERRAL_CODE_NOT_FOUND', referralCode: 'ZZZZ2222' });
    expect(result.message).toContain('ZZZZ2222');
    expect(await membersMatching(app, email)).toEqual([]);
    expect(await referralStats(app)).toEqual(statsBefore);

    // Enrolling the same email with a real code now: a new member, a PENDING (not NOT_NEW_TO_PROGRAM) referral.
    const referrer = await enrollReferrer(app, fresh('real-referrer'));
    const referee = await enrollReferee(app, referrer.code, email);
    expect(await referralOf(app, referrer.globalId, referee.globalId)).toMatchObject({ status: 'PENDING', rejectionReason: null });
  });

  it("an erased member's code is ReferralCodeNotFoundError, and nothing is written", async () => {
    const referrer = await enrollReferrer(app, fresh('erased-referrer'));
    const erased = await app.graphql(ERASE, { input: { id: referrer.globalId } }, await admin(app));
    expect(erased.data?.eraseMember.__typename, JSON.stringify(erased)).toBe('MemberPayload');
    const email = fresh('late-friend');
    const result = await enrollReferred(app, { email, referralCode: referrer.code });
    expect(result.__typename).toBe('ReferralCodeNotFoundError');
    expect(await membersMatching(app, email)).toEqual([]);
    expect(await referralsOf(app, referrer.globalId)).toEqual([]);
  });

  it('a referee is attributed once: enrolling the same customer again with another code changes nothing', async () => {
    const first = await enrollReferrer(app, fresh('first'));
    const second = await enrollReferrer(app, fresh('second'));
    const email = fresh('twice');
    const referee = await enrollReferee(app, first.code, email);
    const again = await enrollReferred(app, { email, referralCode: second.code });
    expect(again.__typename).toBe('DuplicateMemberError');
    expect(await referralsOf(app, second.globalId)).toEqual([]);
    expect((await referralsOf(app, first.globalId)).map((referral) => referral.referee.id)).toEqual([referee.globalId]);
  });

  it('a code of another program is not found there', async () => {
    const referrer = await enrollReferrer(app, fresh('acme-only'));
    const email = fresh('globex-customer');
    const response = await app.graphql(
      ENROLL,
      { input: { email, referralCode: referrer.code } },
      await app.token({ role: 'storefront', programId: 'globex' }),
    );
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    expect(response.data!.enrollMember.__typename).toBe('ReferralCodeNotFoundError');
    expect(await referralsOf(app, referrer.globalId)).toEqual([]);
  });
});

describe('conversion', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    await configureReferrals(app, { minimumOrderAmount: 2000, holdingDays: 3, rungs: [{ fromConversions: 1, points: 500 }] });
  });
  afterAll(() => closeSoundly(app));

  it('orders below the minimum leave the referral PENDING; the first order of at least the minimum converts it', async () => {
    const referrer = await enrollReferrer(app, fresh('converter'));
    const referee = await enrollReferee(app, referrer.code, fresh('buyer'));
    const small = await recordOrder(app, { memberId: referee.globalId, total: 1999 });
    expect(small).toMatchObject({ __typename: 'RecordOrderPayload', pointsEarned: 19 });
    expect(await referralOf(app, referrer.globalId, referee.globalId)).toMatchObject({
      status: 'PENDING',
      rung: null,
      rewardPoints: 0,
      convertedAt: null,
    });

    app.clock.set('2026-11-25T08:30:00.000Z');
    try {
      const qualifying = await recordOrder(app, { memberId: referee.globalId, total: 2000 });
      expect(qualifying).toMatchObject({ __typename: 'RecordOrderPayload', pointsEarned: 20 });
      const converted = await referralOf(app, referrer.globalId, referee.globalId);
      expect(converted).toMatchObject({ status: 'CONVERTED', rejectionReason: null, rung: 1, rewardPoints: 500, confirmedAt: null });
      expect(iso(converted.convertedAt)).toBe('2026-11-25T08:30:00.000Z');
      expect(iso(converted.confirmAfter)).toBe(inDays('2026-11-25T08:30:00.000Z', 3));

      // A later, bigger order changes nothing: the referral converted once.
      app.clock.set('2026-11-26T12:00:00.000Z');
      await recordOrder(app, { memberId: referee.globalId, total: 9000 });
      expect(await referralOf(app, referrer.globalId, referee.globalId)).toEqual(converted);
      expect((await referralProfile(app, referrer.globalId)).referralRung).toMatchObject({ conversions: 1, number: 1 });
      // The reward waits for the holding period: nothing credited yet.
      expect((await memberLedger(app, referrer.globalId)).pointsBalance).toBe(0);
    } finally {
      app.clock.set(TEST_NOW);
    }
  });

  it('the minimum counts what is paid after discounts', async () => {
    const referrer = await enrollReferrer(app, fresh('discounted'));
    const referee = await enrollReferee(app, referrer.code, fresh('discounted-buyer'));
    // A code-only 10 % offer: 2100 − 210 = 1890 is below the minimum of 2000.
    const offer = await createOffer(app, { name: 'Ten with code', codeRequired: true, effect: { percentOff: { basisPoints: 1000 } } });
    expect((await createCode(app, { offerId: offer.id, code: 'TENOFF' })).__typename).toBe('PromoCodePayload');
    const discounted = await recordOrder(app, { memberId: referee.globalId, total: 2100, codes: ['TENOFF'] });
    expect(discounted.totalAfterDiscount.amount).toBe(1890);
    expect(await referralOf(app, referrer.globalId, referee.globalId)).toMatchObject({ status: 'PENDING' });
    const full = await recordOrder(app, { memberId: referee.globalId, total: 2100 });
    expect(full.totalAfterDiscount.amount).toBe(2100);
    expect(await referralOf(app, referrer.globalId, referee.globalId)).toMatchObject({ status: 'CONVERTED', rewardPoints: 500 });
  });

  it('a member who joined without a code has no referral, and their orders convert nothing', async () => {
    const referrer = await enrollReferrer(app, fresh('lonely'));
    const stranger = await enroll(app, { email: fresh('stranger') });
    await recordOrder(app, { memberId: stranger.globalId, total: 5000 });
    expect(await referralsOf(app, referrer.globalId)).toEqual([]);
    expect((await referralProfile(app, referrer.globalId)).referralRung).toMatchObject({ conversions: 0, number: 0 });
  });
});

describe('the referee side: referredOnly offers', () => {
  let app: TestApp;
  let welcome: { id: string };
  let loyal: { id: string };
  let referrer: { globalId: string; code: string };
  beforeAll(async () => {
    app = await createTestApp();
    await configureReferrals(app, { minimumOrderAmount: 2000, holdingDays: 14, rungs: [{ fromConversions: 1, points: 500 }] });
    referrer = await enrollReferrer(app, 'welcomer@example.com');
    welcome = await createOffer(app, {
      name: 'Welcome, friend',
      conditions: { referredOnly: true, orderNumber: 1 },
      effect: { percentOff: { basisPoints: 1000 } },
    });
    loyal = await createOffer(app, {
      name: 'Friends only, always',
      codeRequired: true,
      conditions: { referredOnly: true },
      effect: { amountOff: { amount: 100 } },
    });
    expect((await createCode(app, { offerId: loyal.id, code: 'FRIENDS' })).__typename).toBe('PromoCodePayload');
  });
  afterAll(() => closeSoundly(app));

  const about = (result: Record<string, any>, offerId: string) => ({
    applied: (result.appliedOffers as Array<Record<string, any>>)
      .filter((entry) => entry.offer?.id === offerId)
      .map((entry) => entry.discount),
    refused: (result.notApplied as Array<Record<string, any>>).filter((entry) => entry.offerId === offerId).map((entry) => entry.reason),
  });

  it('a referee gets the welcome discount on the first order, in the quote and the recorded order; the minimum counts after it', async () => {
    const referee = await enrollReferee(app, referrer.code, fresh('welcomed'));
    const quoted = await quote(app, { memberId: referee.globalId, total: 2100 });
    expect(about(quoted, welcome.id)).toEqual({ applied: [210], refused: [] });
    const recorded = await recordOrder(app, { memberId: referee.globalId, total: 2100 });
    expect(about(recorded, welcome.id)).toEqual({ applied: [210], refused: [] });
    expect(recorded.totalAfterDiscount.amount).toBe(1890);
    // 1890 after the welcome discount is below 2000: still PENDING.
    expect(await referralOf(app, referrer.globalId, referee.globalId)).toMatchObject({ status: 'PENDING' });

    const second = await recordOrder(app, { memberId: referee.globalId, total: 2000 });
    expect(about(second, welcome.id)).toEqual({ applied: [], refused: ['ORDER_NUMBER_NOT_MATCHED'] });
    expect(await referralOf(app, referrer.globalId, referee.globalId)).toMatchObject({ status: 'CONVERTED', rewardPoints: 500 });
  });

  it('a referee whose discounted first order still reaches the minimum converts on it', async () => {
    const referee = await enrollReferee(app, referrer.code, fresh('big-first'));
    const recorded = await recordOrder(app, { memberId: referee.globalId, total: 3000 });
    expect(about(recorded, welcome.id)).toEqual({ applied: [300], refused: [] });
    expect(await referralOf(app, referrer.globalId, referee.globalId)).toMatchObject({ status: 'CONVERTED' });
  });

  it('a member who joined without a code gets NOT_REFERRED; a guest MEMBERS_ONLY', async () => {
    const stranger = await enroll(app, { email: fresh('unreferred') });
    expect(about(await quote(app, { memberId: stranger.globalId, total: 3000 }), welcome.id)).toEqual({
      applied: [],
      refused: ['NOT_REFERRED'],
    });
    expect(about(await quote(app, { memberId: stranger.globalId, total: 3000, codes: ['FRIENDS'] }), loyal.id)).toEqual({
      applied: [],
      refused: ['NOT_REFERRED'],
    });
    const recorded = await recordOrder(app, { memberId: stranger.globalId, total: 3000 });
    expect(about(recorded, welcome.id)).toEqual({ applied: [], refused: ['NOT_REFERRED'] });
    expect(about(await quote(app, { total: 3000 }), welcome.id)).toEqual({ applied: [], refused: ['MEMBERS_ONLY'] });
  });

  it('a referee whose referral was rejected (self-referral, not new) gets NOT_REFERRED', async () => {
    const self = await enrollReferee(app, referrer.code, 'Welcomer+again@Example.com');
    expect(await referralOf(app, referrer.globalId, self.globalId)).toMatchObject({ status: 'REJECTED', rejectionReason: 'SELF_REFERRAL' });
    expect(about(await quote(app, { memberId: self.globalId, total: 3000 }), welcome.id)).toEqual({
      applied: [],
      refused: ['NOT_REFERRED'],
    });

    const gone = await enroll(app, { email: 'returning@example.com' });
    const erased = await app.graphql(ERASE, { input: { id: gone.globalId } }, await admin(app));
    expect(erased.data?.eraseMember.__typename).toBe('MemberPayload');
    const back = await enrollReferee(app, referrer.code, 'returning@example.com');
    expect(await referralOf(app, referrer.globalId, back.globalId)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'NOT_NEW_TO_PROGRAM',
    });
    expect(about(await quote(app, { memberId: back.globalId, total: 3000 }), welcome.id)).toEqual({
      applied: [],
      refused: ['NOT_REFERRED'],
    });
  });

  it('a referee whose referral was rejected after a refund is no longer referred (NOT_REFERRED)', async () => {
    const referee = await enrollReferee(app, referrer.code, fresh('refunder'));
    const first = await recordOrder(app, { memberId: referee.globalId, total: 5000 });
    expect(await referralOf(app, referrer.globalId, referee.globalId)).toMatchObject({ status: 'CONVERTED' });
    expect(about(await quote(app, { memberId: referee.globalId, total: 3000, codes: ['FRIENDS'] }), loyal.id)).toEqual({
      applied: [100],
      refused: [],
    });
    expect(await refundOrder(app, { orderId: first.orderId, amount: first.totalAfterDiscount.amount })).toMatchObject({
      __typename: 'RefundOrderPayload',
      offersReleased: true,
    });
    expect(await referralOf(app, referrer.globalId, referee.globalId)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'ORDER_REFUNDED',
    });
    expect(about(await quote(app, { memberId: referee.globalId, total: 3000, codes: ['FRIENDS'] }), loyal.id)).toEqual({
      applied: [],
      refused: ['NOT_REFERRED'],
    });
  });
});

describe('queries: referrals, rung and program stats', () => {
  let app: TestApp;
  let ann: { globalId: string; memberId: string; code: string };
  let ben: { globalId: string; memberId: string; code: string };
  const refs: Record<string, { globalId: string; memberId: string; code: string }> = {};
  beforeAll(async () => {
    app = await createTestApp();
    await configureReferrals(app, {
      minimumOrderAmount: 1000,
      holdingDays: 14,
      rungs: [
        { fromConversions: 1, points: 500 },
        { fromConversions: 2, points: 800 },
      ],
    });
    ann = await enrollReferrer(app, 'ann@example.com');
    ben = await enrollReferrer(app, 'ben@example.com');
    refs.a1 = await enrollReferee(app, ann.code, 'a1@example.com');
    refs.a2 = await enrollReferee(app, ann.code, 'a2@example.com');
    refs.a3 = await enrollReferee(app, ann.code, 'ANN+alt@example.com');
    refs.a4 = await enrollReferee(app, ann.code, 'a4@example.com');
    refs.b1 = await enrollReferee(app, ben.code, 'b1@example.com');
    await enroll(app, { email: 'known@example.com' });
    refs.b2 = await enrollReferee(app, ben.code, 'known+new@example.com');
    await recordOrder(app, { memberId: refs.a1!.globalId, total: 1500 });
    await recordOrder(app, { memberId: refs.a4!.globalId, total: 1000 });
    await recordOrder(app, { memberId: refs.a2!.globalId, total: 999 });
    await recordOrder(app, { memberId: refs.b1!.globalId, total: 4000 });
  });
  afterAll(() => closeSoundly(app));

  it("member.referrals lists the member's referrals newest first, with status and rejection reason", async () => {
    const listed = await referralsOf(app, ann.globalId);
    expect(listed.map((referral) => [referral.referee.email, referral.status, referral.rejectionReason, referral.rewardPoints])).toEqual([
      ['a4@example.com', 'CONVERTED', null, 800],
      ['ann+alt@example.com', 'REJECTED', 'SELF_REFERRAL', 0],
      ['a2@example.com', 'PENDING', null, 0],
      ['a1@example.com', 'CONVERTED', null, 500],
    ]);
    expect(
      (await referralsOf(app, ben.globalId)).map((referral) => [referral.referee.email, referral.status, referral.rejectionReason]),
    ).toEqual([
      ['known+new@example.com', 'REJECTED', 'NOT_NEW_TO_PROGRAM'],
      ['b1@example.com', 'CONVERTED', null],
    ]);
    // A referee's own list is about its own referrals only.
    expect(await referralsOf(app, refs.a1!.globalId)).toEqual([]);
  });

  it('member.referrals pages newest first', async () => {
    const PAGE = `query($id: ID!, $first: Int, $after: String) { member(id: $id) { referrals(first: $first, after: $after) {
      edges { cursor node { referee { email } } } pageInfo { hasNextPage endCursor } } } }`;
    const token = await admin(app);
    const first = await app.graphql(PAGE, { id: ann.globalId, first: 3 }, token);
    expect(first.errors, JSON.stringify(first.errors)).toBeUndefined();
    const one = first.data!.member.referrals;
    expect(one.edges.map((edge: any) => edge.node.referee.email)).toEqual(['a4@example.com', 'ann+alt@example.com', 'a2@example.com']);
    expect(one.pageInfo.hasNextPage).toBe(true);
    const second = await app.graphql(PAGE, { id: ann.globalId, first: 3, after: one.pageInfo.endCursor }, token);
    expect(second.errors, JSON.stringify(second.errors)).toBeUndefined();
    expect(second.data!.member.referrals.edges.map((edge: any) => edge.node.referee.email)).toEqual(['a1@example.com']);
    expect(second.data!.member.referrals.pageInfo.hasNextPage).toBe(false);
  });

  it('member.referralRung: rung, conversions and the next rung', async () => {
    expect((await referralProfile(app, ann.globalId)).referralRung).toEqual({
      rewardKind: 'POINTS',
      conversions: 2,
      number: 2,
      rung: { fromConversions: 2, points: 800, discountBasisPoints: null },
      next: null,
    });
    expect((await referralProfile(app, ben.globalId)).referralRung).toEqual({
      rewardKind: 'POINTS',
      conversions: 1,
      number: 1,
      rung: { fromConversions: 1, points: 500, discountBasisPoints: null },
      next: { fromConversions: 2 },
    });
    expect((await referralProfile(app, refs.a2!.globalId)).referralRung).toEqual({
      rewardKind: 'POINTS',
      conversions: 0,
      number: 0,
      rung: null,
      next: { fromConversions: 1 },
    });
  });

  it('referralStats counts visits (trackReferralVisit), joins, conversions, rejections and issued rewards', async () => {
    const storefront = await app.token({ role: 'storefront' });
    const track = async (code: string, token = storefront) => {
      const response = await app.graphql(TRACK_VISIT, { input: { code } }, token);
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      return response.data!.trackReferralVisit.known as boolean;
    };
    expect(await referralStats(app)).toEqual({
      invited: 0,
      joined: 6,
      converted: 3,
      rejected: 2,
      conversionRate: 0.5,
      rewardsIssued: 0,
      pointsIssued: 0,
    });
    expect(await track(ann.code)).toBe(true);
    expect(await track(ann.code.toLowerCase())).toBe(true);
    expect(await track(` ${ben.code} `, await admin(app))).toBe(true);
    expect(await track('QQQQ2222')).toBe(false);
    expect(await referralStats(app)).toMatchObject({ invited: 3 });

    await runJobAt(app, 'SETTLE_REFERRALS', inDays(TEST_NOW, 14));
    expect(await referralStats(app)).toEqual({
      invited: 3,
      joined: 6,
      converted: 3,
      rejected: 2,
      conversionRate: 0.5,
      rewardsIssued: 3,
      pointsIssued: 500 + 800 + 500,
    });
    expect((await memberLedger(app, ann.globalId)).pointsBalance).toBe(1300);
    expect((await memberLedger(app, ben.globalId)).pointsBalance).toBe(500);
    // globex has nothing of it.
    const globex = await app.graphql(REFERRAL_STATS, {}, await admin(app, 'globex'));
    expect(globex.data?.program.referralStats).toEqual({
      invited: 0,
      joined: 0,
      converted: 0,
      rejected: 0,
      conversionRate: 0,
      rewardsIssued: 0,
      pointsIssued: 0,
    });
  });

  it('referee is for admins and storefronts: a member token reading its own referrals gets FORBIDDEN for it, the rest is visible', async () => {
    const storefront = await app.graphql(
      `query($id: ID!) { member(id: $id) { referrals(first: 10) { edges { node { status referee { email } } } } } }`,
      { id: ben.globalId },
      await app.token({ role: 'storefront' }),
    );
    expect(storefront.errors, JSON.stringify(storefront.errors)).toBeUndefined();
    expect(storefront.data!.member.referrals.edges.map((edge: any) => edge.node)).toEqual([
      { status: 'REJECTED', referee: { email: 'known+new@example.com' } },
      { status: 'CONFIRMED', referee: { email: 'b1@example.com' } },
    ]);

    const own = await app.graphql(
      `query($id: ID!) { member(id: $id) { referrals(first: 10) { edges { node { status rejectionReason referee { email } } } } } }`,
      { id: ben.globalId },
      await app.token({ role: 'member', subject: ben.memberId }),
    );
    expect(own.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(JSON.stringify(own.data)).not.toContain('@example.com');
    expect(own.data?.member?.referrals?.edges?.map((edge: any) => edge.node)).toEqual([
      { status: 'REJECTED', rejectionReason: 'NOT_NEW_TO_PROGRAM', referee: null },
      { status: 'CONFIRMED', rejectionReason: null, referee: null },
    ]);
  });
});

describe('authorization', () => {
  let app: TestApp;
  let ada: { globalId: string; memberId: string; code: string };
  let bob: { globalId: string; memberId: string; code: string };
  const settings = {
    shareBaseUrl: 'https://acme.example/join',
    minimumOrderAmount: 1500,
    holdingDays: 10,
    rewardKind: 'POINTS',
    rungs: [{ fromConversions: 1, points: 300 }],
    capPerPeriod: 5,
    capPeriod: 'WEEK',
  };
  beforeAll(async () => {
    app = await createTestApp();
    await configureReferrals(app, settings);
    ada = await enrollReferrer(app, 'ada@example.com');
    bob = await enrollReferrer(app, 'bob@example.com');
    await enrollReferee(app, ada.code, 'ada-friend@example.com');
  });
  afterAll(() => closeSoundly(app));

  const expected = { ...settings, rungs: [{ fromConversions: 1, points: 300, discountBasisPoints: null }] };

  it('configureReferrals is for admins only; anyone else changes nothing', async () => {
    const input = { ...settings, minimumOrderAmount: 1, holdingDays: 0 };
    for (const [role, code] of [
      ['storefront', 'FORBIDDEN'],
      ['member', 'FORBIDDEN'],
      ['partner', 'FORBIDDEN'],
    ] as const) {
      const token = await app.token({
        role,
        subject: role === 'member' ? ada.memberId : `test-${role}`,
        ...(role === 'partner' ? { partnerId: STOCK_PARTNER_ID } : {}),
      });
      const response = await app.graphql(CONFIGURE_REFERRALS, { input }, token);
      expect(response.errors?.[0]?.extensions?.code, role).toBe(code);
      expect(response.data?.configureReferrals ?? null, role).toBeNull();
    }
    const anonymous = await app.graphql(CONFIGURE_REFERRALS, { input });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await readReferralSettings(app)).toEqual(expected);

    // globex's admin configures globex, not acme.
    const globex = await app.graphql(CONFIGURE_REFERRALS, { input }, await admin(app, 'globex'));
    expect(globex.data?.configureReferrals.__typename, JSON.stringify(globex)).toBe('ReferralSettingsPayload');
    expect(await readReferralSettings(app)).toEqual(expected);
    expect(await readReferralSettings(app, await admin(app, 'globex'))).toMatchObject({ minimumOrderAmount: 1, holdingDays: 0 });
  });

  it("a member reads its own code, link, referrals and rung, but not another member's", async () => {
    const adaToken = await app.token({ role: 'member', subject: ada.memberId });
    const own = await referralProfile(app, ada.globalId, adaToken);
    expect(own).toMatchObject({
      referralCode: ada.code,
      referralLink: `https://acme.example/join?ref=${ada.code}`,
      referrals: [{ status: 'PENDING' }],
      referralRung: { conversions: 0 },
    });

    const other = await app.graphql(REFERRAL_PROFILE, { id: bob.globalId }, adaToken);
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(other.data?.member ?? null).toBeNull();
    expect(JSON.stringify(other)).not.toContain(bob.code);
  });

  it('referralStats is for admins only; trackReferralVisit for admins and storefronts', async () => {
    for (const role of ['storefront', 'member'] as const) {
      const token = await app.token({ role, subject: role === 'member' ? ada.memberId : 'test-storefront' });
      const response = await app.graphql(REFERRAL_STATS, {}, token);
      expect(response.errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
      expect(JSON.stringify(response.data ?? null)).not.toContain('joined');
    }
    const tracked = await app.graphql(
      TRACK_VISIT,
      { input: { code: ada.code } },
      await app.token({ role: 'member', subject: ada.memberId }),
    );
    expect(tracked.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await referralStats(app)).toMatchObject({ invited: 0, joined: 1 });
  });

  it("a globex token sees nothing of acme: not its members' codes, referrals or stats, and acme's codes are unknown there", async () => {
    for (const role of ['admin', 'storefront'] as const) {
      const token = await app.token({ role, programId: 'globex' });
      const profile = await app.graphql(REFERRAL_PROFILE, { id: ada.globalId }, token);
      expect(profile.data?.member ?? null, role).toBeNull();
      expect(JSON.stringify(profile), role).not.toContain(ada.code);
      const tracked = await app.graphql(TRACK_VISIT, { input: { code: ada.code } }, token);
      expect(tracked.errors, JSON.stringify(tracked.errors)).toBeUndefined();
      expect(tracked.data!.trackReferralVisit.known, role).toBe(false);
    }
    const stats = await app.graphql(REFERRAL_STATS, {}, await admin(app, 'globex'));
    expect(stats.data?.program.referralStats).toEqual({
      invited: 0,
      joined: 0,
      converted: 0,
      rejected: 0,
      conversionRate: 0,
      rewardsIssued: 0,
      pointsIssued: 0,
    });
    expect(await referralStats(app)).toMatchObject({ invited: 0, joined: 1 });
    // A globex member token cannot read acme's member either.
    const globexMember = await app.graphql(
      `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { ... on MemberPayload { member { id } } } }`,
      { input: { email: 'g@example.com' } },
      await admin(app, 'globex'),
    );
    const globexMemberId = decodeGlobalID(globexMember.data!.enrollMember.member.id).id;
    const asGlobexMember = await app.graphql(
      REFERRAL_PROFILE,
      { id: ada.globalId },
      await app.token({ role: 'member', programId: 'globex', subject: globexMemberId }),
    );
    expect(asGlobexMember.data?.member ?? null).toBeNull();
    expect(JSON.stringify(asGlobexMember)).not.toContain(ada.code);
  });
});

describe('configureReferrals: bad input', () => {
  let app: TestApp;
  const valid = {
    shareBaseUrl: 'https://acme.example/join',
    minimumOrderAmount: 2000,
    holdingDays: 14,
    rungs: [
      { fromConversions: 1, points: 500 },
      { fromConversions: 3, points: 750 },
    ],
    capPerPeriod: 3,
    capPeriod: 'MONTH',
  };
  let saved: Record<string, unknown>;
  beforeAll(async () => {
    app = await createTestApp();
    await configureReferrals(app, valid);
    saved = await readReferralSettings(app);
  });
  afterAll(() => closeSoundly(app));

  async function refused(input: Record<string, unknown>) {
    const response = await app.graphql(CONFIGURE_REFERRALS, { input }, await admin(app));
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const result = response.data!.configureReferrals;
    expect(result.__typename, JSON.stringify(result)).toBe('InvalidInputError');
    expect(await readReferralSettings(app)).toEqual(saved);
    return (result.issues as Array<{ path: string[]; message: string }>).map((issue) => issue.path);
  }

  it.each([
    ['an ftp URL', 'ftp://acme.example/join'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['not a URL', 'acme.example/join'],
  ])('shareBaseUrl: %s', async (_name, shareBaseUrl) => {
    expect(await refused({ ...valid, shareBaseUrl })).toEqual([['input', 'shareBaseUrl']]);
  });

  it('a POINTS ladder rung without points (POINTS explicit or by default)', async () => {
    expect(await refused({ ...valid, rungs: [{ fromConversions: 1, points: 500 }, { fromConversions: 3 }] })).toEqual([
      ['input', 'rungs', '1', 'points'],
    ]);
    expect(await refused({ ...valid, rewardKind: 'POINTS', rungs: [{ fromConversions: 1, discountBasisPoints: 500 }] })).toEqual([
      ['input', 'rungs', '0', 'points'],
    ]);
  });

  it('a DISCOUNT ladder rung without discountBasisPoints', async () => {
    expect(await refused({ ...valid, rewardKind: 'DISCOUNT', rungs: [{ fromConversions: 1, points: 500 }] })).toEqual([
      ['input', 'rungs', '0', 'discountBasisPoints'],
    ]);
  });

  it('two rungs with the same fromConversions', async () => {
    expect(
      await refused({
        ...valid,
        rungs: [
          { fromConversions: 2, points: 500 },
          { fromConversions: 2, points: 750 },
        ],
      }),
    ).toEqual([['input', 'rungs']]);
  });

  it('a negative minimum, a holding period out of range, a zero cap, a rung from 0 conversions', async () => {
    expect(await refused({ ...valid, minimumOrderAmount: -1 })).toEqual([['input', 'minimumOrderAmount']]);
    expect(await refused({ ...valid, holdingDays: -1 })).toEqual([['input', 'holdingDays']]);
    expect(await refused({ ...valid, holdingDays: 366 })).toEqual([['input', 'holdingDays']]);
    expect(await refused({ ...valid, capPerPeriod: 0 })).toEqual([['input', 'capPerPeriod']]);
    expect(await refused({ ...valid, rungs: [{ fromConversions: 0, points: 10 }] })).toEqual([['input', 'rungs', '0', 'fromConversions']]);
  });

  it('several mistakes at once are all reported, with their paths', async () => {
    const paths = await refused({
      ...valid,
      shareBaseUrl: 'ftp://x.example',
      minimumOrderAmount: -5,
      rungs: [{ fromConversions: 1 }, { fromConversions: 1, points: 5 }],
    });
    expect(paths).toEqual(
      expect.arrayContaining([
        ['input', 'shareBaseUrl'],
        ['input', 'minimumOrderAmount'],
      ]),
    );
  });

  it('the settings are unchanged by all of it, and a valid input still replaces them', async () => {
    expect(await readReferralSettings(app)).toEqual({
      ...valid,
      rewardKind: 'POINTS',
      rungs: valid.rungs.map((rung) => ({ ...rung, discountBasisPoints: null })),
    });
    expect(await configureReferrals(app, { rewardKind: 'DISCOUNT', rungs: [{ fromConversions: 1, discountBasisPoints: 250 }] })).toEqual({
      shareBaseUrl: null,
      minimumOrderAmount: 0,
      holdingDays: 14,
      rewardKind: 'DISCOUNT',
      rungs: [{ fromConversions: 1, points: null, discountBasisPoints: 250 }],
      capPerPeriod: null,
      capPeriod: 'MONTH',
    });
  });
});
