import type { Database, Statement } from '../../platform/db/database';
import { upgradeOnOrder, type Tier, type TierSettings } from './domain';
import { listTiers, loadTierSettings, memberTierState, qualifyingMetric, tierChangeStatements, tierNowAndAt } from './repository';

export interface TierContext {
  settings: TierSettings;
  tiers: Tier[];
  /** The tier the member holds now (an upgrade starts from it). */
  current: Tier | null;
  /** The tier they held when the order was placed: its discount and multiplier price the order. */
  held: Tier | null;
  /** The member's qualifying metric at the `now` it was loaded for (null when loaded without one). */
  metric: number | null;
}

/** The settings each program had when last read here, per database: the guess for the next read. */
const lastSettings = new WeakMap<Database, Map<string, TierSettings>>();

const sameMetric = (a: TierSettings, b: TierSettings) =>
  a.metric === b.metric && a.window === b.window && a.windowMonths === b.windowMonths && a.pendingPointsCount === b.pendingPointsCount;

/**
 * The member's tier standing now and at `at` (an order's placedAt), or null when the program has no
 * tiers; with `now`, also the member's qualifying metric at `now`. Everything is read in one round
 * trip: the metric needs the settings' window, so it is read with the settings last seen for the
 * program and read again only if the settings read alongside it differ (rare: an admin changed them).
 */
export async function loadTierContext(
  db: Database,
  programId: string,
  memberId: string,
  at: Date,
  now?: Date,
): Promise<TierContext | null> {
  const seen = lastSettings.get(db) ?? lastSettings.set(db, new Map()).get(db)!;
  const guess = now && seen.get(programId);
  const [settings, tiers, state, guessedMetric] = await Promise.all([
    loadTierSettings(db, programId),
    listTiers(db, programId),
    memberTierState(db, programId, memberId),
    guess && now ? qualifyingMetric(db, programId, memberId, guess, now) : null,
  ]);
  if (settings) seen.set(programId, settings);
  if (!settings || tiers.length === 0) return null;
  const [standing, metric] = await Promise.all([
    tierNowAndAt(db, programId, memberId, tiers, at, state),
    !now
      ? null
      : guess && guessedMetric !== null && sameMetric(guess, settings)
        ? guessedMetric
        : qualifyingMetric(db, programId, memberId, settings, now),
  ]);
  return { settings, tiers, ...standing, metric };
}

/**
 * The upgrade an order causes at once, if it lifts the member's qualifying metric over a higher
 * tier's threshold: statements for the order's own batch, and the new tier.
 */
export async function upgradeForOrder(
  db: Database,
  context: TierContext,
  order: { programId: string; memberId: string; now: Date; spend: number; pointsEarned: number; vestsAt: Date | null },
): Promise<{ statements: Statement[]; upgradedTo: Tier | null }> {
  // With pendingPointsCount at_vesting, an order still in its return window does not count yet.
  if (context.settings.pendingPointsCount === 'at_vesting' && order.vestsAt && order.vestsAt > order.now)
    return { statements: [], upgradedTo: null };
  const before = context.metric ?? (await qualifyingMetric(db, order.programId, order.memberId, context.settings, order.now));
  const after = before + (context.settings.metric === 'spend' ? order.spend : order.pointsEarned);
  const upgradedTo = upgradeOnOrder(context.current, context.tiers, after);
  if (!upgradedTo) return { statements: [], upgradedTo: null };
  return {
    upgradedTo,
    statements: tierChangeStatements(db, {
      programId: order.programId,
      memberId: order.memberId,
      from: context.current,
      to: upgradedTo,
      reason: 'upgrade',
      metricValue: after,
      at: order.now,
    }),
  };
}
