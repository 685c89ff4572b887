import { sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/database';
import { accountKinds } from './accounts';

export interface AuditViolation {
  invariant: string;
  subject: string;
  detail: string;
}

type Row = Record<string, unknown>;

/**
 * Each invariant of the ledger (DESIGN.md §4) as a query that returns the rows breaking it, for one
 * program. An empty result from all of them means the ledger is sound.
 */
function invariants(programId: string) {
  const memberPoints = accountKinds.memberPoints.kind;
  return [
    {
      invariant: 'balances sum to zero per unit',
      query: sql`select unit as subject, sum(balance) as value from accounts where program_id = ${programId} group by unit having sum(balance) <> 0`,
      describe: (row: Row) => `sum of balances is ${row.value}`,
    },
    {
      invariant: 'balance equals credits minus debits',
      query: sql`select a.id as subject, a.balance as balance,
          coalesce((select sum(amount) from transfers where credit_account_id = a.id), 0)
          - coalesce((select sum(amount) from transfers where debit_account_id = a.id), 0) as computed
        from accounts a where a.program_id = ${programId} and a.balance <> computed`,
      describe: (row: Row) => `balance ${row.balance}, transfers add up to ${row.computed}`,
    },
    {
      invariant: 'member points equal the points left in their lots',
      query: sql`select a.id as subject, a.balance as balance,
          coalesce((select sum(remaining) from lots where account_id = a.id), 0) as in_lots
        from accounts a where a.program_id = ${programId} and a.owner_type = 'member' and a.kind = ${memberPoints}
          and a.balance <> in_lots`,
      describe: (row: Row) => `balance ${row.balance}, lots hold ${row.in_lots}`,
    },
    {
      invariant: 'lot remaining equals its movements',
      query: sql`select l.id as subject, l.remaining as remaining,
          coalesce((select sum(delta) from lot_movements where lot_id = l.id), 0) as moved
        from lots l where l.program_id = ${programId} and l.remaining <> moved`,
      describe: (row: Row) => `remaining ${row.remaining}, movements add up to ${row.moved}`,
    },
    {
      invariant: 'every points transfer of a member records its lots',
      query: sql`select t.id as subject, t.amount as amount,
          case when c.owner_type = 'member' and c.kind = ${memberPoints} then t.amount else -t.amount end as expected,
          coalesce((select sum(delta) from lot_movements where transfer_id = t.id), 0) as recorded
        from transfers t
          join accounts d on d.id = t.debit_account_id
          join accounts c on c.id = t.credit_account_id
        where t.program_id = ${programId}
          and ((d.owner_type = 'member' and d.kind = ${memberPoints}) or (c.owner_type = 'member' and c.kind = ${memberPoints}))
          and recorded <> expected`,
      describe: (row: Row) => `moves ${row.expected} points, its lot movements add up to ${row.recorded}`,
    },
    {
      invariant: 'no balance below its floor',
      query: sql`select id as subject, balance, floor from accounts where program_id = ${programId} and floor is not null and balance < floor`,
      describe: (row: Row) => `balance ${row.balance} is below ${row.floor}`,
    },
    {
      invariant: 'no idempotency key twice',
      query: sql`select idempotency_key as subject, count(*) as uses from operations where program_id = ${programId}
          group by idempotency_key having count(*) > 1
        union all
        select idempotency_key, count(*) from transfers where program_id = ${programId}
          group by idempotency_key having count(*) > 1`,
      describe: (row: Row) => `used ${row.uses} times`,
    },
  ];
}

/** Recomputes every invariant; an empty list means the ledger is sound. */
export async function auditLedger(db: Database, programId: string): Promise<AuditViolation[]> {
  const violations: AuditViolation[] = [];
  for (const { invariant, query, describe } of invariants(programId)) {
    const rows = await db.all<Row>(query);
    for (const row of rows) violations.push({ invariant, subject: String(row.subject), detail: describe(row) });
  }
  return violations;
}
