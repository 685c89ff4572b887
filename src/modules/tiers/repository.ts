import { and, asc, desc, eq, inArray, lte, sql, type Column, type SQL } from 'drizzle-orm';
import { memberTiers, tierHistory, tiers, tierSettings } from '../../../schema';
import type { Database, Statement } from '../../platform/db/database';
import { newId } from '../../platform/ids';
import { eventStatement } from '../../platform/outbox';
import { countedOrders, type Tier, type TierSettings } from './domain';
import { memberOrdersTotal } from '../orders';
import { loadRules } from '../rules';

export async function loadTierSettings(db: Database, programId: string): Promise<TierSettings | null> {
  const [row] = await db.select().from(tierSettings).where(eq(tierSettings.programId, programId));
  if (!row) return null;
  const { programId: _programId, updatedAt: _updatedAt, ...settings } = row;
  return settings;
}

export function listTiers(db: Database, programId: string): Promise<Tier[]> {
  return db.select().from(tiers).where(eq(tiers.programId, programId)).orderBy(asc(tiers.threshold));
}

export async function memberTierState(db: Database, programId: string, memberId: string) {
  const [row] = await db
    .select()
    .from(memberTiers)
    .where(and(eq(memberTiers.programId, programId), eq(memberTiers.memberId, memberId)));
  return row ?? null;
}

/**
 * Net spend (total − discount − refunded) or net points earned on the member's orders within the
 * window. With `pendingPointsCount: at_vesting`, an order counts only once its points vested (the
 * program's pointsVestingDays after it was placed).
 */
export async function qualifyingMetric(
  db: Database,
  programId: string,
  memberId: string,
  settings: TierSettings,
  now: Date,
): Promise<number> {
  const vestingDays = settings.pendingPointsCount === 'at_vesting' ? (await loadRules(db, programId)).pointsVestingDays : 0;
  return memberOrdersTotal(db, programId, memberId, settings.metric, countedOrders(settings, now, vestingDays));
}

/** Writes a tier change and its history row; part of the caller's batch. */
export function tierChangeStatements(
  db: Database,
  change: {
    programId: string;
    memberId: string;
    from: Tier | null;
    to: Tier | null;
    reason: 'upgrade' | 'downgrade';
    metricValue: number;
    at: Date;
  },
): Statement[] {
  const state = {
    memberId: change.memberId,
    programId: change.programId,
    tierId: change.to?.id ?? null,
    since: change.at,
    downgradeDueSince: null,
  };
  return [
    db.insert(memberTiers).values(state).onConflictDoUpdate({ target: memberTiers.memberId, set: state }),
    eventStatement(db, change.programId, change.at, {
      type: change.reason === 'upgrade' ? 'tier.upgraded' : 'tier.downgraded',
      memberId: change.memberId,
      data: {
        memberId: change.memberId,
        fromTierId: change.from?.id ?? null,
        toTierId: change.to?.id ?? null,
        metricValue: change.metricValue,
      },
    }),
    db.insert(tierHistory).values({
      id: newId(),
      programId: change.programId,
      memberId: change.memberId,
      fromTierId: change.from?.id ?? null,
      toTierId: change.to?.id ?? null,
      reason: change.reason,
      metricValue: change.metricValue,
      at: change.at,
    }),
  ];
}

/** The member's tier, for the earn multiplier and for checkout. */
export async function currentTier(db: Database, programId: string, memberId: string, all: Tier[]): Promise<Tier | null> {
  const state = await memberTierState(db, programId, memberId);
  return all.find((tier) => tier.id === state?.tierId) ?? null;
}

/**
 * The member's tier now and the one they held at `at` (a backdated order): the same unless the
 * tier changed since, then the latest change up to `at` in the tier history. `known`: the member's
 * tier state, when the caller read it already.
 */
export async function tierNowAndAt(
  db: Database,
  programId: string,
  memberId: string,
  all: Tier[],
  at: Date,
  known?: Awaited<ReturnType<typeof memberTierState>>,
) {
  const state = known === undefined ? await memberTierState(db, programId, memberId) : known;
  const byId = (id: string | null | undefined) => all.find((tier) => tier.id === id) ?? null;
  if (!state || state.since <= at) return { current: byId(state?.tierId), held: byId(state?.tierId) };
  const [change] = await db
    .select({ toTierId: tierHistory.toTierId })
    .from(tierHistory)
    .where(and(eq(tierHistory.programId, programId), eq(tierHistory.memberId, memberId), lte(tierHistory.at, at)))
    .orderBy(desc(tierHistory.at))
    .limit(1);
  return { current: byId(state.tierId), held: byId(change?.toTierId) };
}

/** An erased member holds no tier any more (its history stays, anonymous like the member). */
export function forgetMemberTier(db: Database, memberId: string): Statement {
  return db.delete(memberTiers).where(eq(memberTiers.memberId, memberId));
}

/** Which of `tierIds` are tiers of the program (for other modules that refer to tiers). */
export async function existingTierIds(db: Database, programId: string, tierIds: readonly string[]): Promise<string[]> {
  if (tierIds.length === 0) return [];
  const rows = await db
    .select({ id: tiers.id })
    .from(tiers)
    .where(and(eq(tiers.programId, programId), inArray(tiers.id, [...tierIds])));
  return rows.map((row) => row.id);
}

/** The ids of the members whose current tier is `tierId`, as a subquery (`member_id in (…)`) for set-based reports. */
export function tierMembersSql(programId: string, tierId: string) {
  return sql`select ${memberTiers.memberId} from ${memberTiers} where ${memberTiers.programId} = ${programId} and ${memberTiers.tierId} = ${tierId}`;
}

/** The program's tier ids by tier name. */
export async function tierIdsByName(db: Database, programId: string) {
  const rows = await db.select({ id: tiers.id, name: tiers.name }).from(tiers).where(eq(tiers.programId, programId));
  return new Map(rows.map((tier) => [tier.name, tier.id]));
}

/** Whether the member holds one of the tiers; a condition over the caller's member id column. */
export function memberInTiersSql(memberId: Column, tierIds: string[]): SQL {
  return sql`exists (select 1 from ${memberTiers} where ${memberTiers.memberId} = ${memberId} and ${inArray(memberTiers.tierId, tierIds)})`;
}
