import { describe, expect, it } from 'vitest';
import { enroll } from '../../support/members';
import { appWithOffers, AVAILABLE_OFFERS, CREATE_OFFER, UPDATE_OFFER, quote, recordOrder, refundOrder } from '../../support/offers';
import { limitPeriodStart } from '../../../src/modules/offers/domain/limits';

/** The birthdayMonth condition and per-member limits per period (calendar or rolling), at their boundaries. TEST_NOW is Monday 2026-11-23 10:00 UTC. */

const { app, offer } = appWithOffers({ effect: { amountOff: { amount: 100 } } });
let members = 0;
const member = async (birthday?: string) =>
  (await enroll(app(), { email: `periods-${++members}@example.com`, ...(birthday ? { birthday } : {}) })).globalId;
const reasonFor = async (memberId: string | null, offerId: string) => {
  const result = await quote(app(), { ...(memberId ? { memberId } : {}), total: 1000 });
  return result.appliedOffers.some((applied: { offer: { id: string } | null }) => applied.offer?.id === offerId)
    ? 'APPLIED'
    : result.notApplied.find((entry: { offerId: string }) => entry.offerId === offerId)?.reason;
};

describe('birthdayMonth', () => {
  it('holds from the first to the last instant of the birthday month (UTC), for members with that birthday only', async () => {
    const birthday = await offer({ name: 'Birthday month', conditions: { birthdayMonth: true } });
    const november = await member('1990-11-25');
    const leapling = await member('1988-02-29');
    const unknown = await member();
    expect(await reasonFor(november, birthday.id)).toBe('APPLIED');
    expect(await reasonFor(unknown, birthday.id)).toBe('NOT_BIRTHDAY_MONTH');
    expect(await reasonFor(leapling, birthday.id)).toBe('NOT_BIRTHDAY_MONTH');
    expect(await reasonFor(null, birthday.id)).toBe('MEMBERS_ONLY');
    for (const [at, expected] of [
      ['2026-11-01T00:00:00.000Z', 'APPLIED'],
      ['2026-11-30T23:59:59.999Z', 'APPLIED'],
      ['2026-10-31T23:59:59.999Z', 'NOT_BIRTHDAY_MONTH'],
      ['2026-12-01T00:00:00.000Z', 'NOT_BIRTHDAY_MONTH'],
    ] as const) {
      app().clock.set(at);
      expect(await reasonFor(november, birthday.id), at).toBe(expected);
    }
    app().clock.set('2027-02-15T12:00:00.000Z'); // not a leap year: 29 February birthdays are in February
    expect(await reasonFor(leapling, birthday.id)).toBe('APPLIED');
  });
});

describe('per-member limit per period', () => {
  it('"once a year on your birthday": once per calendar year, again from 1 January', async () => {
    const gift = await offer({
      name: 'Birthday treat',
      perMemberLimit: 1,
      perMemberLimitPeriod: 'YEAR',
      conditions: { birthdayMonth: true },
    });
    expect(gift).toMatchObject({ perMemberLimit: 1 });
    const shopper = await member('1990-11-25');
    expect(await recordOrder(app(), { memberId: shopper, total: 1000 })).toMatchObject({ discount: { amount: 100 } });
    app().clock.set('2026-11-30T23:59:59.999Z');
    expect(await reasonFor(shopper, gift.id)).toBe('MEMBER_LIMIT_REACHED');
    app().clock.set('2027-11-01T00:00:00.000Z');
    expect(await reasonFor(shopper, gift.id)).toBe('APPLIED');
  });

  it('calendar periods: a day from midnight, a week from Monday, a month from the 1st (UTC)', async () => {
    const daily = await offer({ name: 'Daily', perMemberLimit: 1, perMemberLimitPeriod: 'DAY' });
    const weekly = await offer({ name: 'Weekly', perMemberLimit: 2, perMemberLimitPeriod: 'WEEK', perMemberLimitWindow: 'CALENDAR' });
    const monthly = await offer({ name: 'Monthly', perMemberLimit: 3, perMemberLimitPeriod: 'MONTH' });
    const shopper = await member();
    await recordOrder(app(), { memberId: shopper, total: 1000 });
    expect(await reasonFor(shopper, daily.id)).toBe('MEMBER_LIMIT_REACHED');
    app().clock.set('2026-11-24T00:00:00.000Z');
    expect(await reasonFor(shopper, daily.id)).toBe('APPLIED');
    await recordOrder(app(), { memberId: shopper, total: 1000 });
    expect(await reasonFor(shopper, weekly.id)).toBe('MEMBER_LIMIT_REACHED');
    app().clock.set('2026-11-29T23:59:59.999Z'); // Sunday: the same ISO week
    expect(await reasonFor(shopper, weekly.id)).toBe('MEMBER_LIMIT_REACHED');
    app().clock.set('2026-11-30T00:00:00.000Z'); // Monday
    expect(await reasonFor(shopper, weekly.id)).toBe('APPLIED');
    await recordOrder(app(), { memberId: shopper, total: 1000 });
    expect(await reasonFor(shopper, monthly.id)).toBe('MEMBER_LIMIT_REACHED');
    app().clock.set('2026-12-01T00:00:00.000Z');
    expect(await reasonFor(shopper, monthly.id)).toBe('APPLIED');
  });

  it('rolling periods end now: a redemption counts until the same instant a period later', async () => {
    const rolling = await offer({ name: 'Rolling day', perMemberLimit: 1, perMemberLimitPeriod: 'DAY', perMemberLimitWindow: 'ROLLING' });
    const rollingMonth = await offer({
      name: 'Rolling month',
      perMemberLimit: 1,
      perMemberLimitPeriod: 'MONTH',
      perMemberLimitWindow: 'ROLLING',
    });
    const shopper = await member();
    await recordOrder(app(), { memberId: shopper, total: 1000 });
    app().clock.set('2026-11-24T09:59:59.999Z');
    expect(await reasonFor(shopper, rolling.id)).toBe('MEMBER_LIMIT_REACHED');
    app().clock.set('2026-11-24T10:00:00.001Z');
    expect(await reasonFor(shopper, rolling.id)).toBe('APPLIED');
    app().clock.set('2026-12-23T09:59:59.999Z');
    expect(await reasonFor(shopper, rollingMonth.id)).toBe('MEMBER_LIMIT_REACHED');
    app().clock.set('2026-12-23T10:00:00.001Z');
    expect(await reasonFor(shopper, rollingMonth.id)).toBe('APPLIED');
  });

  it('a full refund gives the use back; availableOffers follows the period', async () => {
    const daily = await offer({ name: 'Daily treat', perMemberLimit: 1, perMemberLimitPeriod: 'DAY' });
    const shopper = await member();
    const listed = async () => {
      const response = await app().graphql(AVAILABLE_OFFERS, { id: shopper }, await app().token({ role: 'admin' }));
      return (response.data!.member.availableOffers as Array<{ offer: { id: string } }>).some((entry) => entry.offer.id === daily.id);
    };
    const order = await recordOrder(app(), { memberId: shopper, total: 1000 });
    expect(await listed()).toBe(false);
    await refundOrder(app(), { orderId: order.orderId, amount: 900 });
    expect(await listed()).toBe(true);
    app().clock.set('2026-11-24T00:00:00.000Z');
    await recordOrder(app(), { memberId: shopper, total: 1000 });
    expect(await listed()).toBe(false);
  });

  it('refuses a period without a limit, on create and update, changing nothing', async () => {
    const admin = await app().token({ role: 'admin' });
    const refused = await app().graphql(
      CREATE_OFFER,
      { input: { name: 'Broken', perMemberLimitPeriod: 'DAY', effect: { amountOff: { amount: 1 } } } },
      admin,
    );
    expect(refused.data!.createOffer).toMatchObject({
      __typename: 'InvalidInputError',
      issues: [{ path: ['input', 'perMemberLimitPeriod'] }],
    });
    const limited = await offer({ name: 'Limited', perMemberLimit: 1, perMemberLimitPeriod: 'WEEK', status: 'PAUSED' });
    const cleared = await app().graphql(UPDATE_OFFER, { input: { id: limited.id, perMemberLimit: null } }, admin);
    expect(cleared.data!.updateOffer).toMatchObject({
      __typename: 'InvalidInputError',
      issues: [{ path: ['input', 'perMemberLimitPeriod'] }],
    });
    const both = await app().graphql(UPDATE_OFFER, { input: { id: limited.id, perMemberLimit: null, perMemberLimitPeriod: null } }, admin);
    expect(both.data!.updateOffer).toMatchObject({ __typename: 'OfferPayload', offer: { perMemberLimit: null } });
  });
});

describe('limitPeriodStart', () => {
  const at = new Date('2028-03-01T05:00:00.000Z'); // a Wednesday after 29 February
  it.each([
    ['day', 'calendar', '2028-03-01T00:00:00.000Z'],
    ['week', 'calendar', '2028-02-28T00:00:00.000Z'],
    ['month', 'calendar', '2028-03-01T00:00:00.000Z'],
    ['year', 'calendar', '2028-01-01T00:00:00.000Z'],
    ['day', 'rolling', '2028-02-29T05:00:00.000Z'],
    ['week', 'rolling', '2028-02-23T05:00:00.000Z'],
    ['month', 'rolling', '2028-02-01T05:00:00.000Z'],
    ['year', 'rolling', '2027-03-01T05:00:00.000Z'],
  ] as const)('%s %s starts at %s', (period, window, start) => {
    expect(limitPeriodStart(period, window, at).toISOString()).toBe(start);
  });
  it('a calendar week starts on Monday, also when today is Sunday or Monday', () => {
    expect(limitPeriodStart('week', 'calendar', new Date('2026-11-29T23:00:00Z')).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(limitPeriodStart('week', 'calendar', new Date('2026-11-30T00:00:00Z')).toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });
});
