import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobAt } from '../../support/tiers';
import { createTestApp, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { closeSoundly } from '../../support/ledger';
import { recordOrder, refundOrder } from '../../support/offers';
import { configureReferrals, enrollReferred, referralProfile, referralStats } from '../../support/referrals';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => closeSoundly(app));

describe('referrals smoke', () => {
  it('converts on the first qualifying order, holds the reward, confirms it, and claws it back after a refund', async () => {
    await configureReferrals(app, {
      shareBaseUrl: 'https://acme.example/join',
      minimumOrderAmount: 2000,
      holdingDays: 14,
      rungs: [{ fromConversions: 1, points: 500 }],
    });
    const referrer = await enroll(app, { email: 'ref@example.com' });
    const { referralCode, referralLink } = await referralProfile(app, referrer.globalId);
    expect(referralCode).toMatch(/^[2346789ABCDEFGHJKMNPQRTUVWXYZ]{8}$/);
    expect(referralLink).toBe(`https://acme.example/join?ref=${referralCode}`);
    const friend = await enrollReferred(app, { email: 'friend@example.com', referralCode: referralCode.toLowerCase() });
    expect(friend.__typename).toBe('MemberPayload');
    expect((await referralProfile(app, referrer.globalId)).referrals).toMatchObject([{ status: 'PENDING' }]);
    await recordOrder(app, { memberId: friend.member.id, orderId: 'small', total: 1000 });
    expect((await referralProfile(app, referrer.globalId)).referrals).toMatchObject([{ status: 'PENDING' }]);
    await recordOrder(app, { memberId: friend.member.id, orderId: 'first-big', total: 3000 });
    expect((await referralProfile(app, referrer.globalId)).referrals).toMatchObject([{ status: 'CONVERTED', rewardPoints: 500, rung: 1 }]);
    await runJobAt(app, 'SETTLE_REFERRALS', '2026-12-07T09:59:59Z');
    expect((await referralProfile(app, referrer.globalId)).referrals).toMatchObject([{ status: 'CONVERTED' }]);
    await runJobAt(app, 'SETTLE_REFERRALS', '2026-12-07T10:00:00Z');
    const confirmed = await referralProfile(app, referrer.globalId);
    expect(confirmed.referrals).toMatchObject([{ status: 'CONFIRMED' }]);
    expect(await referralStats(app)).toMatchObject({ joined: 1, converted: 1, rewardsIssued: 1, pointsIssued: 500 });
    expect(await refundOrder(app, { orderId: 'first-big', amount: 3000 })).toMatchObject({ offersReleased: true });
    expect((await referralProfile(app, referrer.globalId)).referrals).toMatchObject([
      { status: 'REJECTED', rejectionReason: 'ORDER_REFUNDED', pointsClawedBack: 500 },
    ]);
  });
});
