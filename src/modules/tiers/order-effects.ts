import type { Database, Statement } from '../../platform/db/database';
import { upgradeOnOrder, type Tier, type TierSettings } from './domain';
import { listTiers, tierNowAndAt, loadTierSettings, qualifyingMetric, tierChangeStatements } from './repository';

export interface TierContext {
  settings: TierSettings;
  tiers: Tier[];
  /** The tier the member holds now (an upgrade starts from it). */
  current: Tier | null;
  /** The tier they held when the order was placed: its discount and multiplier price the order. */
  held: Tier | null;
}

/** The member's tier standing now and at `at`, or null when the program has no tiers. */
export async function loadTierContext(db: Database, programId: string, memberId: string, at: Date): Promise<TierContext | null> {
  const settings = await loadTierSettings(db, programId);
  if (!settings) return null;
  const tiers = await listTiers(db, programId);
  if (tiers.length === 0) return null;
  return { settings, tiers, ...(await tierNowAndAt(db, programId, memberId, tiers, at)) };
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
  const before = await qualifyingMetric(db, order.programId, order.memberId, context.settings, order.now);
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
