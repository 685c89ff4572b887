import { and, eq, sql, type SQL } from 'drizzle-orm';
import { memberDailyActivity, memberStats } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { dayNumber, monthStart } from '../../platform/time';

/** The members a monthly report covers: the program's, narrowed to a subquery of member ids when given. */
export interface MonthlyActivityScope {
  programId: string;
  members: SQL | null;
}

/** Months a cohort report may span: each member's months are one bit each of a whole number. */
const MAX_MONTHS_IN_A_MASK = 52;

/**
 * Cohorts by the month of the first counted order, from the daily activity, over the months up to
 * `lastMonth`, for members whose first counted order is in `firstMonth` or later. One pass over the
 * program's rows in primary key order (member, day, bounded by the day after `lastMonth`), grouped
 * by member without a sort: each member's first month and the months it bought in (a bit per month
 * from `firstMonth`; `distinct`, as a month has many days), returned as one JSON cell. Grouping is
 * about three times cheaper than a window function over every row.
 */
export function monthlyCohortsQuery(scope: MonthlyActivityScope, firstMonth: number, lastMonth: number): SQL {
  if (lastMonth - firstMonth >= MAX_MONTHS_IN_A_MASK) throw new RangeError(`at most ${MAX_MONTHS_IN_A_MASK} months`);
  const a = memberDailyActivity;
  return sql`select json_group_array(json_array(first_month, months)) as members from (
      select min(${a.month}) as first_month, sum(distinct 1 << (${a.month} - ${firstMonth})) as months
      from ${a}
      where ${a.programId} = ${scope.programId} and ${a.day} < ${dayNumber(monthStart(lastMonth + 1))}${
        scope.members ? sql` and ${a.memberId} in (${scope.members})` : sql``
      }
      group by ${a.memberId}
      having min(${a.month}) >= ${firstMonth})`;
}

/** (first month, month) → members of that cohort with a counted order in that month; pairs without a member are left out. */
export async function monthlyCohorts(db: Database, scope: MonthlyActivityScope, firstMonth: number, lastMonth: number) {
  const [row] = await db.all<{ members: string }>(monthlyCohortsQuery(scope, firstMonth, lastMonth));
  const counts = new Map<number, Map<number, number>>();
  for (const [first, months] of JSON.parse(row?.members ?? '[]') as Array<[number, number]>) {
    const cohort = counts.get(first) ?? new Map<number, number>();
    counts.set(first, cohort);
    for (let bit = first - firstMonth, rest = Math.floor(months / 2 ** bit); rest > 0; bit++, rest = Math.floor(rest / 2))
      if (rest % 2 === 1) cohort.set(firstMonth + bit, (cohort.get(firstMonth + bit) ?? 0) + 1);
  }
  return [...counts].flatMap(([first, cohort]) => [...cohort].map(([month, members]) => ({ firstMonth: first, month, members })));
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
