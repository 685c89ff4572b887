import { eq } from 'drizzle-orm';
import { memberTiers } from '../../../schema';
import type { Command } from '../../platform/serializer/commands';
import { writeBatch } from '../../platform/db/database';
import { planRecalculation, tierFor } from './domain';
import { loadTierContext } from './order-effects';
import { memberTierState, qualifyingMetric, tierChangeStatements } from './repository';

export interface RecalculateTierInput {
  programId: string;
  memberId: string;
  /** ISO instant the recalculation is for (the job's `now`). */
  asOf: string;
}

export interface RecalculateTierResult {
  change: 'upgrade' | 'downgrade' | null;
  tierId: string | null;
  metricValue: number;
}

/**
 * Recalculates one member's tier as of `asOf`: upgrades at once, downgrades after the grace period.
 * Running it twice for the same instant changes nothing the second time.
 */
export const recalculateTierCommand: Command<RecalculateTierInput, RecalculateTierResult> = async (
  { db },
  { programId, memberId, asOf },
) => {
  const now = new Date(asOf);
  const context = await loadTierContext(db, programId, memberId, now);
  if (!context) return { change: null, tierId: null, metricValue: 0 };
  const [state, metricValue] = await Promise.all([
    memberTierState(db, programId, memberId),
    qualifyingMetric(db, programId, memberId, context.settings, now),
  ]);
  const change = planRecalculation(context.current, state, tierFor(context.tiers, metricValue), now, context.settings.downgradeGraceDays);

  if (change.kind !== 'none') {
    await writeBatch(
      db,
      tierChangeStatements(db, { programId, memberId, from: context.current, to: change.to, reason: change.kind, metricValue, at: now }),
    );
    return { change: change.kind, tierId: change.to?.id ?? null, metricValue };
  }
  if (state && state.downgradeDueSince?.getTime() !== change.downgradeDueSince?.getTime()) {
    await db.update(memberTiers).set({ downgradeDueSince: change.downgradeDueSince }).where(eq(memberTiers.memberId, memberId));
  }
  return { change: null, tierId: context.current?.id ?? null, metricValue };
};

export const tierCommands = { 'tiers.recalculate': recalculateTierCommand };
