import { sql, type SQL } from 'drizzle-orm';
import { lotMovements, lots, pointsByEarnMonth, transfers } from '../../../schema';
import type { Database, Statement } from '../../platform/db/database';

/**
 * What one transfer does to one lot, for the points by earn month: `delta` changes what is left in
 * it, `earned` is the lot's amount when the transfer creates it, `expired` what an expiry takes.
 */
export interface LotPointsChange {
  lotId: string;
  delta: number;
  earned: number;
  expired: number;
}

/** The month (months since year 0, UTC) of a time in milliseconds: `monthIndex` of platform/time, in SQL. */
const monthOf = (at: SQL) =>
  sql`(cast(strftime('%Y', ${at} / 1000.0, 'unixepoch') as integer) * 12 + cast(strftime('%m', ${at} / 1000.0, 'unixepoch') as integer) - 1)`;

/**
 * Adds a batch's lot changes to the program's points by earn month, after the lots' own statements
 * (they read each lot's `earned_at`), the changes as one JSON parameter whatever their number. A
 * lot's creation adds its month's row; any later change to it updates that row (an upsert cannot:
 * SQLite checks the row it would insert, with its negative change, before it sees the conflict).
 */
export function earnMonthsStatements(db: Database, programId: string, changes: readonly LotPointsChange[]): Statement[] {
  const changed = (of: readonly LotPointsChange[]) => {
    const rows = JSON.stringify(of.map((change) => [change.lotId, change.delta, change.earned, change.expired]));
    return sql`select ${monthOf(sql`${lots.earnedAt}`)} as month, sum(c.value ->> 2) as earned, sum(c.value ->> 1) as outstanding,
        sum(c.value ->> 3) as expired
      from json_each(${rows}) c join ${lots} on ${lots.id} = c.value ->> 0
      where true
      group by 1`;
  };
  const created = changes.filter((change) => change.earned > 0);
  const later = changes.filter((change) => change.earned === 0);
  const statements: Statement[] = [];
  if (created.length > 0)
    statements.push(
      db.run(sql`insert into ${pointsByEarnMonth} (program_id, month, earned, outstanding, expired)
        select ${programId}, month, earned, outstanding, expired from (${changed(created)}) where true
        on conflict (program_id, month) do update set earned = ${pointsByEarnMonth.earned} + excluded.earned,
          outstanding = ${pointsByEarnMonth.outstanding} + excluded.outstanding, expired = ${pointsByEarnMonth.expired} + excluded.expired`),
    );
  if (later.length > 0)
    statements.push(
      db.run(sql`update ${pointsByEarnMonth} set earned = ${pointsByEarnMonth.earned} + c.earned,
          outstanding = ${pointsByEarnMonth.outstanding} + c.outstanding, expired = ${pointsByEarnMonth.expired} + c.expired
        from (${changed(later)}) c
        where ${pointsByEarnMonth.programId} = ${programId} and ${pointsByEarnMonth.month} = c.month`),
    );
  return statements;
}

/** The program's points by earn month from its lots and their expiry movements, as kept rows would have them: what the kept rows must equal. */
export function earnMonthsFromLotsQuery(programId: string): SQL {
  const expiredFromLot = sql`(select coalesce(-sum(${lotMovements.delta}), 0) from ${lotMovements}
    join ${transfers} on ${transfers.id} = ${lotMovements.transferId}
    where ${lotMovements.lotId} = ${lots.id} and ${transfers.kind} = 'expiry')`;
  return sql`select ${monthOf(sql`${lots.earnedAt}`)} as month, sum(${lots.amount}) as earned, sum(${lots.remaining}) as outstanding,
      sum(${expiredFromLot}) as expired
    from ${lots} where ${lots.programId} = ${programId}
    group by 1 order by 1`;
}

/** Rebuilds a program's points by earn month from its lots (after lots were written outside the ledger's batches, as the benchmark seeds them). */
export function rebuildEarnMonthsStatements(db: Database, programId: string): Statement[] {
  return [
    db.run(sql`delete from ${pointsByEarnMonth} where ${pointsByEarnMonth.programId} = ${programId}`),
    db.run(sql`insert into ${pointsByEarnMonth} (program_id, month, earned, outstanding, expired)
      select ${programId}, month, earned, outstanding, expired from (${earnMonthsFromLotsQuery(programId)})`),
  ];
}

/** Points earned, still open and expired in each of the months [first, last] (months since year 0), from the kept rows: one primary-key range. */
export function earnMonthsQuery(programId: string, first: number, last: number): SQL {
  return sql`select ${pointsByEarnMonth.month} as month, ${pointsByEarnMonth.earned} as earned,
      ${pointsByEarnMonth.outstanding} as outstanding, ${pointsByEarnMonth.expired} as expired
    from ${pointsByEarnMonth}
    where ${pointsByEarnMonth.programId} = ${programId} and ${pointsByEarnMonth.month} between ${first} and ${last}`;
}

export async function earnMonths(db: Database, programId: string, first: number, last: number) {
  const rows = await db.all<Record<string, number>>(earnMonthsQuery(programId, first, last));
  return rows.map((row) => ({
    month: Number(row.month),
    earned: Number(row.earned),
    outstanding: Number(row.outstanding),
    expired: Number(row.expired),
  }));
}
