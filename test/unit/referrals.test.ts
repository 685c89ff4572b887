import { describe, expect, it } from 'vitest';
import {
  canConvert,
  type ConversionFacts,
  conversionFraud,
  defaultReferralSettings,
  emailIdentity,
  enrollmentFraud,
  nextRung,
  periodKey,
  planConversion,
  rungFor,
} from '../../src/modules/referrals/domain';

const at = new Date('2026-06-15T10:00:00Z');
const rungs = [
  { fromConversions: 3, points: 300, discountBasisPoints: null },
  { fromConversions: 1, points: 100, discountBasisPoints: null },
];
const settings = { ...defaultReferralSettings, rungs, holdingDays: 14 };
const facts = (overrides: Partial<ConversionFacts> = {}): ConversionFacts => ({
  settings,
  at,
  fraud: null,
  conversionsInPeriod: 0,
  conversionsCounting: 0,
  lastConversionSeq: 0,
  ...overrides,
});

describe('referral rules', () => {
  it('treats case, spaces and a +tag as the same person', () => {
    expect(emailIdentity(' Ann+promo@Example.com ')).toBe('ann@example.com');
  });

  it('rejects a self-referral before a known address, and lets a new person through', () => {
    expect(enrollmentFraud({ selfReferral: true, seenBefore: true })).toBe('self_referral');
    expect(enrollmentFraud({ selfReferral: false, seenBefore: true })).toBe('not_new_to_program');
    expect(enrollmentFraud({ selfReferral: false, seenBefore: false })).toBeNull();
  });

  it('checks an email given after enrolling at conversion: only a fingerprint older than the referral counts', () => {
    const referralCreatedAt = new Date('2026-06-01T00:00:00Z');
    const base = { refereeEmail: 'bo@example.com', referrerEmail: 'ann@example.com', fingerprintedAt: null, referralCreatedAt };
    expect(conversionFraud(base)).toBeNull();
    expect(conversionFraud({ ...base, refereeEmail: null })).toBeNull();
    expect(conversionFraud({ ...base, refereeEmail: 'ANN+x@example.com' })).toBe('self_referral');
    expect(conversionFraud({ ...base, fingerprintedAt: new Date('2026-05-31T00:00:00Z') })).toBe('not_new_to_program');
    expect(conversionFraud({ ...base, fingerprintedAt: new Date('2026-06-02T00:00:00Z') })).toBeNull();
  });

  it('converts only a pending referral on an order of at least the minimum', () => {
    const minimum = { minimumOrderAmount: 1000 };
    expect(canConvert({ status: 'pending' }, minimum, 1000)).toBe(true);
    expect(canConvert({ status: 'pending' }, minimum, 999)).toBe(false);
    expect(canConvert({ status: 'rejected' }, minimum, 5000)).toBe(false);
    expect(canConvert(null, minimum, 5000)).toBe(false);
  });

  it('plans a conversion on the rung it reaches, held for the holding period, numbered after the last', () => {
    expect(planConversion(facts())).toEqual({
      kind: 'convert',
      period: '2026-06',
      rung: 1,
      rewardPoints: 100,
      confirmAfter: new Date('2026-06-29T10:00:00Z'),
      conversionSeq: 1,
    });
    expect(planConversion(facts({ conversionsCounting: 2, lastConversionSeq: 7 }))).toMatchObject({
      rung: 2,
      rewardPoints: 300,
      conversionSeq: 8,
    });
  });

  it('gives no points on a discount ladder and no rung below the first', () => {
    expect(planConversion(facts({ settings: { ...settings, rewardKind: 'discount' } }))).toMatchObject({ rewardPoints: 0, rung: 1 });
    expect(
      planConversion(facts({ settings: { ...settings, rungs: [{ fromConversions: 2, points: 5, discountBasisPoints: null }] } })),
    ).toMatchObject({
      rung: null,
      rewardPoints: 0,
    });
  });

  it('rejects for fraud first, then for the cap of the period', () => {
    const capped = { ...settings, capPerPeriod: 2 };
    expect(planConversion(facts({ fraud: 'self_referral', settings: capped, conversionsInPeriod: 5 }))).toEqual({
      kind: 'reject',
      reason: 'self_referral',
    });
    expect(planConversion(facts({ settings: capped, conversionsInPeriod: 2 }))).toEqual({ kind: 'reject', reason: 'cap_reached' });
    expect(planConversion(facts({ settings: capped, conversionsInPeriod: 1 })).kind).toBe('convert');
  });

  it('finds rungs and the calendar periods of the cap (weeks start on Monday)', () => {
    expect(rungFor(rungs, 0)).toBeNull();
    expect(rungFor(rungs, 4)?.number).toBe(2);
    expect(nextRung(rungs, 1)?.fromConversions).toBe(3);
    expect(periodKey('day', at)).toBe('2026-06-15');
    expect(periodKey('year', at)).toBe('2026');
    // 2026-06-15 is a Monday: it starts a new week; the Sunday before belongs to the previous one.
    expect(periodKey('week', at)).not.toBe(periodKey('week', new Date('2026-06-14T23:59:59Z')));
    expect(periodKey('week', at)).toBe(periodKey('week', new Date('2026-06-21T23:59:59Z')));
  });
});

describe('LIKE escaping', () => {
  it('escapes the wildcards and the escape character, nothing else', async () => {
    const { escapeLike } = await import('../../src/platform/like');
    expect(escapeLike('50%_off\\now')).toBe('50\\%\\_off\\\\now');
    expect(escapeLike('plain@example.com')).toBe('plain@example.com');
  });
});
