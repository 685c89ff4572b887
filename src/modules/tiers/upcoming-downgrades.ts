import { and, asc, eq, gt, isNotNull, lte, sql, type SQL } from 'drizzle-orm';
import { memberTiers, tiers as tiersTable, tierSettings } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { DAY_MS } from '../../platform/time';
import { measuredOrdersSince } from '../orders';
import { loadRules } from '../rules';
import type { TierSettings } from './domain';
import {
  forecastDowngrade,
  recalculationSchedule,
  recalculationsBetween,
  type DowngradeForecast,
  type MeasuredOrder,
} from './downgrade-forecast';

/**
 * The members in (afterMemberId, lastMemberId] whom a recalculation from `now` to `until` would
 * downgrade if they place no further order, with when and what they lack. One round trip: the settings, the
 * tiers, the members' tier states and their orders that may still count (from a month-generous
 * start of the window: the forecast applies the exact one).
 */
export async function upcomingDowngrades(
  db: Database,
  programId: string,
  afterMemberId: string | null,
  lastMemberId: string | SQL,
  now: Date,
  until: Date,
): Promise<Array<DowngradeForecast & { memberId: string; metric: TierSettings['metric'] }>> {
  const windowStart = sql`(select case ${tierSettings.window} when 'calendar_year' then ${Date.UTC(now.getUTCFullYear(), 0, 1)}
    else ${now.getTime()} - ${tierSettings.windowMonths} * ${31 * DAY_MS} end from ${tierSettings} where ${tierSettings.programId} = ${programId})`;
  const holding = and(
    eq(memberTiers.programId, programId),
    afterMemberId ? gt(memberTiers.memberId, afterMemberId) : undefined,
    lte(memberTiers.memberId, lastMemberId),
    isNotNull(memberTiers.tierId),
  );
  const [[[settingsRow], tiers, held, orders], rules] = await Promise.all([
    db.batch([
      db.select().from(tierSettings).where(eq(tierSettings.programId, programId)),
      db.select().from(tiersTable).where(eq(tiersTable.programId, programId)).orderBy(asc(tiersTable.threshold)),
      db
        .select({
          memberId: memberTiers.memberId,
          tierId: memberTiers.tierId,
          since: memberTiers.since,
          downgradeDueSince: memberTiers.downgradeDueSince,
        })
        .from(memberTiers)
        .where(holding),
      measuredOrdersSince(
        db,
        programId,
        afterMemberId,
        lastMemberId,
        windowStart,
        sql`(select ${memberTiers.memberId} from ${memberTiers} where ${holding})`,
      ),
    ]),
    loadRules(db, programId),
  ]);
  if (!settingsRow || held.length === 0) return [];
  const settings: TierSettings = settingsRow;
  const vestingDays = settings.pendingPointsCount === 'at_vesting' ? rules.pointsVestingDays : 0;
  const ordersOf = new Map<string, MeasuredOrder[]>();
  for (const order of orders) {
    const list = ordersOf.get(order.memberId) ?? ordersOf.set(order.memberId, []).get(order.memberId)!;
    list.push({ placedAt: order.placedAt, value: settings.metric === 'spend' ? order.spend : order.pointsEarned });
  }
  const tierById = new Map(tiers.map((tier) => [tier.id, tier]));
  const recalculations = recalculationSchedule(recalculationsBetween(now, until), settings, vestingDays);
  return held.flatMap(({ memberId, tierId, since, downgradeDueSince }) => {
    const tier = tierId ? tierById.get(tierId) : undefined;
    if (!tier) return [];
    const forecast = forecastDowngrade({
      tier,
      tiers,
      state: { since, downgradeDueSince },
      orders: ordersOf.get(memberId) ?? [],
      settings,
      recalculations,
    });
    return forecast ? [{ ...forecast, memberId, metric: settings.metric }] : [];
  });
}
