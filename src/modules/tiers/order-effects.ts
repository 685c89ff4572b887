import type { Database } from '../../platform/db/database';
import type { Statement } from '../ledger/writer';
import { upgradeOnOrder, type Tier, type TierSettings } from './domain';
import { listTiers, loadTierSettings, memberTierState, qualifyingMetric, tierChangeStatements } from './repository';

export interface TierContext {
  settings: TierSettings;
  tiers: Tier[];
  current: Tier | null;
  /** The member's qualifying metric at the `now` it was loaded for (null when loaded without one). */
  metric: number | null;
}

/** The settings each program had when last read here, per database: the guess for the next read. */
const lastSettings = new WeakMap<Database, Map<string, TierSettings>>();

const sameWindow = (a: TierSettings, b: TierSettings) => a.metric === b.metric && a.window === b.window && a.windowMonths === b.windowMonths;

/**
 * The member's tier standing, or null when the program has no tiers; with `now`, also the member's
 * qualifying metric at `now`. Everything is read in one round trip: the metric needs the settings'
 * window, so it is read with the settings last seen for the program and read again only if the
 * settings read alongside it differ (rare: an admin changed them).
 */
export async function loadTierContext(db: Database, programId: string, memberId: string, now?: Date): Promise<TierContext | null> {
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
  const metric = !now ? null : guess && guessedMetric !== null && sameWindow(guess, settings) ? guessedMetric : await qualifyingMetric(db, programId, memberId, settings, now);
  return { settings, tiers, current: tiers.find((tier) => tier.id === state?.tierId) ?? null, metric };
}

/**
 * The upgrade an order causes at once, if it lifts the member's qualifying metric over a higher
 * tier's threshold: statements for the order's own batch, and the new tier.
 */
export async function upgradeForOrder(
  db: Database,
  context: TierContext,
  order: { programId: string; memberId: string; now: Date; spend: number; pointsEarned: number },
): Promise<{ statements: Statement[]; upgradedTo: Tier | null }> {
  const before = context.metric ?? (await qualifyingMetric(db, order.programId, order.memberId, context.settings, order.now));
  const after = before + (context.settings.metric === 'spend' ? order.spend : order.pointsEarned);
  const upgradedTo = upgradeOnOrder(context.current, context.tiers, after);
  if (!upgradedTo) return { statements: [], upgradedTo: null };
  return {
    upgradedTo,
    statements: tierChangeStatements(db, { programId: order.programId, memberId: order.memberId, from: context.current, to: upgradedTo, reason: 'upgrade', metricValue: after, at: order.now }),
  };
}
