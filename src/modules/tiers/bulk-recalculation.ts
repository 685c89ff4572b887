import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { events, members, memberTiers, tiers as tiersTable, tierSettings } from '../../../schema';
import { eventCatalog } from '../../platform/outbox';
import type { Database } from '../../platform/db/database';
import { newId } from '../../platform/ids';
import { valuesList } from '../../platform/db/values-list';
import { countedOrders, planRecalculation, tierFor, type TierSettings } from './domain';
import { memberOrdersTotalSql } from '../orders';
import { loadRules } from '../rules';

export interface BulkRecalculation {
  /** Active members looked at, in id order (the last is the job's cursor). */
  memberIds: string[];
  changed: number;
}

/**
 * Recalculates the tiers of the next `limit` active members after `cursor`, as of `now`, set-based:
 * one round trip reads the settings, the tiers and, per member, its tier state and qualifying metric
 * (one indexed range of its orders); the pure `planRecalculation` decides; one batch of multi-row
 * statements writes the changes, their history and the grace-period clocks. Each write is guarded by
 * what it was decided on (the tier, its `since` and the metric, recomputed inside the batch): a member
 * whose tier or orders a command changed in between is left as that command set it (no history row
 * either), and the next run recalculates it from the state that won.
 */
export async function recalculateTiersInBulk(
  db: Database,
  programId: string,
  now: Date,
  cursor: string | null,
  limit: number,
): Promise<BulkRecalculation> {
  const [[[settingsRow], tiers], rules] = await Promise.all([
    db.batch([
      db.select().from(tierSettings).where(eq(tierSettings.programId, programId)),
      db.select().from(tiersTable).where(eq(tiersTable.programId, programId)).orderBy(asc(tiersTable.threshold)),
    ]),
    loadRules(db, programId),
  ]);
  if (!settingsRow) return { memberIds: [], changed: 0 };
  const settings: TierSettings = settingsRow;
  const counted = countedOrders(settings, now, settings.pendingPointsCount === 'at_vesting' ? rules.pointsVestingDays : 0);
  // A member's qualifying metric, as `qualifyingMetric` computes it: one range of the (program, member, created_at) index.
  const metricOf = (memberId: SQL) => memberOrdersTotalSql(programId, memberId, settings.metric, counted);
  const standings = await db
    .select({
      memberId: members.id,
      tierId: memberTiers.tierId,
      since: memberTiers.since,
      downgradeDueSince: memberTiers.downgradeDueSince,
      metric: metricOf(sql`${members.id}`),
    })
    .from(members)
    .leftJoin(memberTiers, eq(memberTiers.memberId, members.id))
    .where(and(eq(members.programId, programId), eq(members.status, 'active'), cursor ? sql`${members.id} > ${cursor}` : undefined))
    .orderBy(members.id)
    .limit(limit);
  const memberIds = standings.map((standing) => standing.memberId);
  if (tiers.length === 0) return { memberIds, changed: 0 };

  const tierById = new Map(tiers.map((tier) => [tier.id, tier]));
  const changes: Array<{
    memberId: string;
    fromTierId: string | null;
    toTierId: string | null;
    reason: 'upgrade' | 'downgrade';
    metric: number;
    since: number | null;
  }> = [];
  const clocks: Array<{ memberId: string; downgradeDueSince: number | null; since: number; metric: number }> = [];
  for (const standing of standings) {
    const current = standing.tierId ? (tierById.get(standing.tierId) ?? null) : null;
    const state = standing.since ? { since: standing.since, downgradeDueSince: standing.downgradeDueSince } : null;
    const change = planRecalculation(current, state, tierFor(tiers, standing.metric), now, settings.downgradeGraceDays);
    if (change.kind !== 'none') {
      changes.push({
        memberId: standing.memberId,
        fromTierId: current?.id ?? null,
        toTierId: change.to?.id ?? null,
        reason: change.kind,
        metric: standing.metric,
        since: state?.since.getTime() ?? null,
      });
    } else if (state && state.downgradeDueSince?.getTime() !== change.downgradeDueSince?.getTime()) {
      clocks.push({
        memberId: standing.memberId,
        downgradeDueSince: change.downgradeDueSince?.getTime() ?? null,
        since: state.since.getTime(),
        metric: standing.metric,
      });
    }
  }

  const at = now.getTime();
  const statements = [];
  const held = changes.filter((change) => change.since !== null);
  const first = changes.filter((change) => change.since === null);
  if (held.length > 0) {
    statements.push(
      db.run(sql`update member_tiers set tier_id = changes.column2, since = ${at}, downgrade_due_since = null
        from (values ${valuesList(held.map((change) => [change.memberId, change.toTierId, change.fromTierId, change.since, change.metric]))}) as changes
        where member_tiers.member_id = changes.column1 and member_tiers.tier_id is changes.column3 and member_tiers.since = changes.column4
          and ${metricOf(sql`changes.column1`)} = changes.column5`),
    );
  }
  if (first.length > 0) {
    statements.push(
      db.run(sql`insert into member_tiers (member_id, program_id, tier_id, since, downgrade_due_since)
        select changes.column1, ${programId}, changes.column2, ${at}, null
        from (values ${valuesList(first.map((change) => [change.memberId, change.toTierId, change.metric]))}) as changes
        where ${metricOf(sql`changes.column1`)} = changes.column3
        on conflict (member_id) do nothing`),
    );
  }
  if (changes.length > 0) {
    // History only for the changes that were applied: the member's state is now exactly this change.
    statements.push(
      db.run(sql`insert into tier_history (id, program_id, member_id, from_tier_id, to_tier_id, reason, metric_value, at)
        select changes.column1, ${programId}, changes.column2, changes.column3, changes.column4, changes.column5, changes.column6, ${at}
        from (values ${valuesList(changes.map((change) => [newId(), change.memberId, change.fromTierId, change.toTierId, change.reason, change.metric]))}) as changes
        join member_tiers on member_tiers.member_id = changes.column2 and member_tiers.tier_id is changes.column4 and member_tiers.since = ${at}`),
      // Their events, under the same condition (only the changes that were applied).
      db.run(sql`insert into ${events} (id, program_id, type, version, member_id, data, occurred_at)
        select changes.column1, ${programId}, 'tier.' || changes.column5 || 'd', ${eventCatalog['tier.upgraded']}, changes.column2,
          json_object('memberId', changes.column2, 'fromTierId', changes.column3, 'toTierId', changes.column4, 'metricValue', changes.column6), ${at}
        from (values ${valuesList(changes.map((change) => [newId(), change.memberId, change.fromTierId, change.toTierId, change.reason, change.metric]))}) as changes
        join member_tiers on member_tiers.member_id = changes.column2 and member_tiers.tier_id is changes.column4 and member_tiers.since = ${at}`),
    );
  }
  if (clocks.length > 0) {
    statements.push(
      db.run(sql`update member_tiers set downgrade_due_since = clocks.column2
        from (values ${valuesList(clocks.map((clock) => [clock.memberId, clock.downgradeDueSince, clock.since, clock.metric]))}) as clocks
        where member_tiers.member_id = clocks.column1 and member_tiers.since = clocks.column3 and ${metricOf(sql`clocks.column1`)} = clocks.column4`),
    );
  }
  const [firstStatement, ...rest] = statements;
  if (firstStatement) await db.batch([firstStatement, ...rest]);
  return { memberIds, changed: changes.length };
}
