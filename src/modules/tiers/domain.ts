import { z } from 'zod';
import { pendingCounts, tierMetrics, tierWindows } from '../../../schema/values';
import type { MemberTierRow, TierRow, TierSettingsRow } from '../../../schema';
import { addMonthsUtc, DAY_MS, startOfUtcYear } from '../../platform/time';
import { MAX_MULTIPLIER_PERMILLE } from '../../platform/bounds';
import { text } from '../../platform/validation';

export type TierSettings = Omit<TierSettingsRow, 'programId' | 'updatedAt'>;
export type Tier = TierRow;

/** The period whose activity counts: (now − N months, now], or [1 Jan UTC of now's year, now]. */
export function qualifyingWindow(settings: TierSettings, now: Date): { start: Date; end: Date; startInclusive: boolean } {
  if (settings.window === 'calendar_year') return { start: startOfUtcYear(now), end: now, startInclusive: true };
  return { start: addMonthsUtc(now, -settings.windowMonths), end: now, startInclusive: false };
}

/**
 * Which orders count toward the metric at `now`: the window, ending `vestingDays` earlier with
 * `pendingPointsCount: at_vesting`. Shared by `qualifyingMetric` and the set-based recalculation.
 */
export function countedOrders(settings: TierSettings, now: Date, vestingDays: number): ReturnType<typeof qualifyingWindow> {
  const { start, end: windowEnd, startInclusive } = qualifyingWindow(settings, now);
  const vestedBy = new Date(now.getTime() - vestingDays * DAY_MS);
  return { start, end: vestedBy < windowEnd ? vestedBy : windowEnd, startInclusive };
}

/** Tiers from lowest to highest threshold. */
export const byThreshold = (a: Tier, b: Tier) => a.threshold - b.threshold;

/** The highest tier whose threshold the metric reaches, or null below the lowest. */
export function tierFor(tiers: Tier[], metric: number): Tier | null {
  return (
    [...tiers]
      .sort(byThreshold)
      .filter((tier) => metric >= tier.threshold)
      .at(-1) ?? null
  );
}

export function nextTierAbove(tiers: Tier[], current: Tier | null): Tier | null {
  return [...tiers].sort(byThreshold).find((tier) => tier.threshold > (current?.threshold ?? -1)) ?? null;
}

const rank = (tier: Tier | null) => tier?.threshold ?? -1;

export type TierChange =
  | { kind: 'none'; downgradeDueSince: Date | null }
  | { kind: 'upgrade' | 'downgrade'; to: Tier | null; downgradeDueSince: null };

/**
 * What recalculation does to a member: an upgrade at once; a downgrade only once it has been due
 * for the grace period (the first recalculation that finds it due starts the clock); a member who
 * qualifies again keeps the tier and the clock stops. A recalculation as of an instant before the
 * member's last tier change (a late or resumed run) leaves that newer decision alone.
 */
export function planRecalculation(
  current: Tier | null,
  state: Pick<MemberTierRow, 'downgradeDueSince' | 'since'> | null,
  qualifying: Tier | null,
  now: Date,
  graceDays: number,
): TierChange {
  if (state && state.since.getTime() > now.getTime()) return { kind: 'none', downgradeDueSince: state.downgradeDueSince };
  if (rank(qualifying) > rank(current)) return { kind: 'upgrade', to: qualifying, downgradeDueSince: null };
  if (rank(qualifying) === rank(current)) return { kind: 'none', downgradeDueSince: null };
  const dueSince = state?.downgradeDueSince ?? now;
  if (now.getTime() - dueSince.getTime() >= graceDays * DAY_MS) return { kind: 'downgrade', to: qualifying, downgradeDueSince: null };
  return { kind: 'none', downgradeDueSince: dueSince };
}

/** An order that makes the member qualify for a higher tier upgrades them at once. */
export function upgradeOnOrder(current: Tier | null, tiers: Tier[], metricAfterOrder: number): Tier | null {
  const qualifying = tierFor(tiers, metricAfterOrder);
  return rank(qualifying) > rank(current) ? qualifying : null;
}

export const tierSettingsSchema = z.object({
  metric: z.enum(tierMetrics),
  window: z.enum(tierWindows),
  windowMonths: z
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(120, 'must be at most 120')
    .nullish()
    .transform((months) => months ?? 12),
  downgradeGraceDays: z
    .number()
    .int()
    .min(0, 'must not be negative')
    .max(3650)
    .nullish()
    .transform((days) => days ?? 0),
  pendingPointsCount: z
    .enum(pendingCounts)
    .nullish()
    .transform((count) => count ?? 'at_once'),
});

const tierFields = {
  name: text(100),
  threshold: z.number().int().min(0, 'must not be negative').max(1_000_000_000_000),
  earnMultiplierPermille: z.number().int().min(0).max(MAX_MULTIPLIER_PERMILLE, 'at most ×100'),
  discountBasisPoints: z.number().int().min(0).max(10_000, 'at most 100 %'),
  memberOnlyOffers: z.boolean(),
};

export const newTierSchema = z.object({
  ...tierFields,
  earnMultiplierPermille: tierFields.earnMultiplierPermille.nullish().transform((value) => value ?? 1000),
  discountBasisPoints: tierFields.discountBasisPoints.nullish().transform((value) => value ?? 0),
  memberOnlyOffers: tierFields.memberOnlyOffers.nullish().transform((value) => value ?? false),
});

export const tierUpdateSchema = z.object({
  name: tierFields.name.optional(),
  threshold: tierFields.threshold.optional(),
  earnMultiplierPermille: tierFields.earnMultiplierPermille.optional(),
  discountBasisPoints: tierFields.discountBasisPoints.optional(),
  memberOnlyOffers: tierFields.memberOnlyOffers.optional(),
});
