import { and, count, eq, inArray } from 'drizzle-orm';
import { memberTiers, tierHistory, tiers, tierSettings } from '../../../schema';
import type { Clock } from '../../platform/clock';
import { columnTarget, constraintViolation } from '../../platform/db/constraint-errors';
import type { Database } from '../../platform/db/database';
import { keyset, type KeysetPage } from '../../platform/db/keyset';
import { newId } from '../../platform/ids';
import { nextTierAbove, qualifyingWindow, type Tier, type TierSettings } from './domain';
import { DuplicateTierError, TierInUseError, TierNotFoundError } from './errors';
import { listTiers, loadTierSettings } from './repository';
import { loadTierContext } from './order-effects';

export type NewTier = Pick<Tier, 'name' | 'threshold' | 'earnMultiplierPermille' | 'discountBasisPoints' | 'memberOnlyOffers'>;

function asDuplicateTier(error: unknown) {
  const violation = constraintViolation(error);
  if (violation?.kind !== 'unique') return error;
  return new DuplicateTierError(violation.targets.includes(columnTarget(tiers.name)) ? 'name' : 'threshold');
}

export type TiersService = ReturnType<typeof createTiersService>;

/** Tier configuration (admin) and each member's standing. */
export function createTiersService({ db, clock }: { db: Database; clock: Clock }) {
  async function requireTier(programId: string, tierId: string) {
    const [tier] = await db
      .select()
      .from(tiers)
      .where(and(eq(tiers.programId, programId), eq(tiers.id, tierId)));
    if (!tier) throw new TierNotFoundError(tierId);
    return tier;
  }

  return {
    settings: (programId: string) => loadTierSettings(db, programId),
    list: (programId: string) => listTiers(db, programId),
    async byIds(programId: string, ids: readonly string[]) {
      const all = await listTiers(db, programId);
      return ids.map((id) => all.find((tier) => tier.id === id) ?? null);
    },

    async configure(programId: string, settings: TierSettings) {
      const row = { programId, ...settings, updatedAt: clock.now() };
      await db.insert(tierSettings).values(row).onConflictDoUpdate({ target: tierSettings.programId, set: row });
      return settings;
    },

    async create(programId: string, tier: NewTier) {
      const row = { id: newId(), programId, ...tier, createdAt: clock.now() };
      await db
        .insert(tiers)
        .values(row)
        .catch((error: unknown) => Promise.reject(asDuplicateTier(error)));
      return row;
    },

    async update(programId: string, tierId: string, patch: Partial<NewTier>) {
      await requireTier(programId, tierId);
      if (Object.keys(patch).length > 0) {
        await db
          .update(tiers)
          .set(patch)
          .where(eq(tiers.id, tierId))
          .catch((error: unknown) => Promise.reject(asDuplicateTier(error)));
      }
      return requireTier(programId, tierId);
    },

    async remove(programId: string, tierId: string) {
      const tier = await requireTier(programId, tierId);
      const [held] = await db.select({ members: count() }).from(memberTiers).where(eq(memberTiers.tierId, tierId));
      if (held && held.members > 0) throw new TierInUseError(tierId, held.members);
      await db.delete(tiers).where(eq(tiers.id, tierId));
      return tier;
    },

    /** The tiers many members hold, in one query each for states and tiers (behind `Member.tier`). */
    async memberTiers(programId: string, memberIds: readonly string[]) {
      const [states, all] = await Promise.all([
        db
          .select()
          .from(memberTiers)
          .where(and(eq(memberTiers.programId, programId), inArray(memberTiers.memberId, [...memberIds]))),
        listTiers(db, programId),
      ]);
      const tierOf = new Map(states.map((state) => [state.memberId, all.find((tier) => tier.id === state.tierId) ?? null]));
      return memberIds.map((memberId) => tierOf.get(memberId) ?? null);
    },

    /** The metric so far in the current window, the next tier and what is missing to reach it. */
    async progress(programId: string, memberId: string) {
      const now = clock.now();
      const context = await loadTierContext(db, programId, memberId, now, now);
      if (!context) return null;
      const { settings, tiers: all, current, metric } = context;
      const value = metric!;
      const next = nextTierAbove(all, current);
      const { start, end } = qualifyingWindow(settings, now);
      return {
        metric: settings.metric,
        value,
        windowStart: start,
        windowEnd: end,
        current,
        next,
        missing: next ? Math.max(0, next.threshold - value) : 0,
      };
    },

    /** Tier changes, newest first. */
    history(programId: string, memberId: string, page: KeysetPage) {
      const { conditions, orderBy, limit } = keyset(tierHistory.id, page, true);
      return db
        .select()
        .from(tierHistory)
        .where(and(eq(tierHistory.programId, programId), eq(tierHistory.memberId, memberId), ...conditions))
        .orderBy(orderBy)
        .limit(limit);
    },
  };
}
