import { and, eq, sql, type SQL } from 'drizzle-orm';
import { memberMonthlyActivity, memberStats } from '../../../schema';
import type { Database } from '../../platform/db/database';

/** The members a monthly report covers: the program's, narrowed to a subquery of member ids when given. */
export interface MonthlyActivityScope {
  programId: string;
  members: SQL | null;
}

/**
 * Cohorts by the month of the first counted order, from monthly activity: (first month, month) →
 * members of that cohort with a counted order in that month, over the months up to `lastMonth`, for
 * members whose first counted order is in `firstMonth` or later. One pass over the program's rows
 * in primary key order (member, month): each member's first month comes from a window function
 * without a sort.
 */
export function monthlyCohortsQuery(scope: MonthlyActivityScope, firstMonth: number, lastMonth: number): SQL {
  const a = memberMonthlyActivity;
  return sql`select first_month, month, count(*) as members from (
      select ${a.month} as month, min(${a.month}) over (partition by ${a.memberId}) as first_month
      from ${a}
      where ${a.programId} = ${scope.programId} and ${a.month} <= ${lastMonth}${
        scope.members ? sql` and ${a.memberId} in (${scope.members})` : sql``
      })
    where first_month >= ${firstMonth}
    group by first_month, month`;
}

export async function monthlyCohorts(db: Database, scope: MonthlyActivityScope, firstMonth: number, lastMonth: number) {
  const rows = await db.all<{ first_month: number; month: number; members: number }>(monthlyCohortsQuery(scope, firstMonth, lastMonth));
  return rows.map((row) => ({ firstMonth: Number(row.first_month), month: Number(row.month), members: Number(row.members) }));
}

/** Whether any member of the program placed an order at or after `at` (member stats keep the last order of each). */
export async function anyOrderPlacedSince(db: Database, programId: string, at: Date): Promise<boolean> {
  const rows = await db
    .select({ one: sql`1` })
    .from(memberStats)
    .where(and(eq(memberStats.programId, programId), sql`${memberStats.lastOrderAt} >= ${at.getTime()}`))
    .limit(1);
  return rows.length > 0;
}
