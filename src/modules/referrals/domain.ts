import { z } from 'zod';
import { capPeriods, referralRewardKinds, type CapPeriod, type ReferralRung, type ReferralSettingsRow } from '../../../schema';
import { DAY_MS } from '../../platform/time';
import { whole } from '../../platform/validation';
import { MAX_POINTS } from '../../platform/bounds';

export type ReferralSettings = Omit<ReferralSettingsRow, 'programId' | 'updatedAt'>;

/** Until an admin configures referrals: conversions are tracked, no reward, a 14-day holding period. */
export const defaultReferralSettings: ReferralSettings = {
  shareBaseUrl: null,
  minimumOrderAmount: 0,
  holdingDays: 14,
  rewardKind: 'points',
  rungs: [],
  capPerPeriod: null,
  capPeriod: 'month',
};

/** The person behind an address: case, surrounding space and a `+tag` in the local part do not count. */
export function emailIdentity(email: string): string {
  const [local = '', domain = ''] = email.trim().toLowerCase().split('@');
  return `${local.split('+')[0]}@${domain}`;
}

/** The rung (1-based) a referrer stands on with `conversions` converted referrals, or null below the first. */
export function rungFor(rungs: ReferralRung[], conversions: number): { number: number; rung: ReferralRung } | null {
  const sorted = [...rungs].sort((a, b) => a.fromConversions - b.fromConversions);
  const index = sorted.findLastIndex((rung) => conversions >= rung.fromConversions);
  return index < 0 ? null : { number: index + 1, rung: sorted[index]! };
}

/** The next rung above `conversions`, if any. */
export function nextRung(rungs: ReferralRung[], conversions: number): ReferralRung | null {
  return [...rungs].sort((a, b) => a.fromConversions - b.fromConversions).find((rung) => rung.fromConversions > conversions) ?? null;
}

/** The calendar period (UTC) a conversion at `at` counts in, for the per-referrer cap. */
export function periodKey(period: CapPeriod, at: Date): string {
  const iso = at.toISOString();
  switch (period) {
    case 'day':
      return iso.slice(0, 10);
    case 'month':
      return iso.slice(0, 7);
    case 'year':
      return iso.slice(0, 4);
    case 'week': {
      // Weeks start on Monday; 1970-01-01 was a Thursday, so day 4 of the epoch starts week 1.
      const week = Math.floor((Math.floor(at.getTime() / DAY_MS) + 3) / 7);
      return `week-${week}`;
    }
  }
}

/** The link a member shares: the program's base URL with `ref=<code>`. */
export function shareLink(baseUrl: string | null, code: string): string | null {
  if (!baseUrl) return null;
  const url = new URL(baseUrl);
  url.searchParams.set('ref', code);
  return url.toString();
}


const rungSchema = z.object({
  fromConversions: whole(1, 1_000_000),
  points: whole(1, MAX_POINTS).nullish().transform((points) => points ?? null),
  discountBasisPoints: whole(1, 10_000).nullish().transform((basisPoints) => basisPoints ?? null),
});

export const referralSettingsSchema = z
  .object({
    shareBaseUrl: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
      .max(500)
      .nullish()
      .transform((url) => url ?? null),
    minimumOrderAmount: whole(0, 100_000_000_000).nullish().transform((amount) => amount ?? 0),
    holdingDays: whole(0, 365).nullish().transform((days) => days ?? 14),
    rewardKind: z.enum(referralRewardKinds).nullish().transform((kind) => kind ?? 'points'),
    rungs: z.array(rungSchema).max(20).nullish().transform((rungs) => rungs ?? []),
    capPerPeriod: whole(1, 1_000_000).nullish().transform((cap) => cap ?? null),
    capPeriod: z.enum(capPeriods).nullish().transform((period) => period ?? 'month'),
  })
  .superRefine((settings, context) => {
    const field = settings.rewardKind === 'points' ? 'points' : 'discountBasisPoints';
    settings.rungs.forEach((rung, index) => {
      if (rung[field] === null) context.addIssue({ code: 'custom', path: ['rungs', String(index), field], message: `a ${settings.rewardKind.toUpperCase()} ladder needs ${field} on every rung` });
    });
    if (new Set(settings.rungs.map((rung) => rung.fromConversions)).size !== settings.rungs.length) {
      context.addIssue({ code: 'custom', path: ['rungs'], message: 'each rung needs its own fromConversions' });
    }
  });
