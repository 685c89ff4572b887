import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../platform/db/database';
import { monthIndex, monthLabel } from '../../platform/time';
import { accountKinds } from './accounts';
import { earnMonths } from './earn-months';

export interface AuditViolation {
  invariant: string;
  subject: string;
  detail: string;
}

type Row = Record<string, unknown>;

/** Rows per read: each read stays a short call (a few ms), so the audit never holds the database or Node's event loop. */
export const AUDIT_CHUNK_ROWS = 1000;

const INVARIANTS = {
  unitSum: 'balances sum to zero per unit',
  balance: 'balance equals credits minus debits',
  memberLots: 'member points equal the points left in their lots',
  lot: 'lot remaining equals its movements',
  transferLots: 'every points transfer of a member records its lots',
  floor: 'no balance below its floor',
  earnMonths: 'points by earn month equal the lots earned that month',
  idempotency: 'no idempotency key twice',
} as const;

type Invariant = keyof typeof INVARIANTS;

/**
 * Reads a program's rows of one table in key order, a chunk at a time (keyset pagination on an index
 * that starts with the program): `chunk(after)` selects the rows after `after` as `key`, ordered, at
 * most `limit`.
 */
async function eachChunk(db: Database, chunk: (after: string, limit: number) => SQL, limit: number, visit: (row: Row) => void) {
  let after = '';
  for (;;) {
    const rows = await db.all<Row>(chunk(after, limit));
    rows.forEach(visit);
    if (rows.length < limit) return;
    after = String(rows.at(-1)!.key);
  }
}

const add = (sums: Map<string, bigint>, key: string, amount: unknown) => sums.set(key, (sums.get(key) ?? 0n) + BigInt(amount as number));

/**
 * Checks every invariant of the ledger (DESIGN.md §4) for one program; an empty list means it is
 * sound. Set-based and chunked: one pass over the program's accounts, one over its transfers and one
 * over its lots, each in short keyset-paginated reads on indexes (`*_program`), summing per account in
 * memory, instead of per-account correlated subqueries; so the audit of 100,000 members takes seconds
 * and no single call holds the database for long.
 */
export async function auditLedger(db: Database, programId: string, { chunkRows = AUDIT_CHUNK_ROWS } = {}): Promise<AuditViolation[]> {
  const memberPoints = accountKinds.memberPoints.kind;
  const found: Record<Invariant, AuditViolation[]> = {
    unitSum: [],
    balance: [],
    memberLots: [],
    lot: [],
    transferLots: [],
    floor: [],
    earnMonths: [],
    idempotency: [],
  };
  const violation = (invariant: Invariant, subject: unknown, detail: string) =>
    found[invariant].push({ invariant: INVARIANTS[invariant], subject: String(subject), detail });

  // Accounts first: each balance's floor and the sums per unit, and what the transfers and (member
  // points) the lots must explain. Knowing which accounts hold a member's points spares the transfers
  // two account lookups each.
  const perUnit = new Map<string, bigint>();
  const balances = new Map<string, bigint>();
  const memberPointAccounts = new Set<string>();
  await eachChunk(
    db,
    (after, limit) => sql`select id as key, unit, owner_type as ownerType, kind, balance, floor
      from accounts where program_id = ${programId} and id > ${after} order by id limit ${limit}`,
    chunkRows,
    (row) => {
      const id = String(row.key);
      const balance = BigInt(row.balance as number);
      add(perUnit, String(row.unit), row.balance);
      balances.set(id, balance);
      if (row.ownerType === 'member' && row.kind === memberPoints) memberPointAccounts.add(id);
      if (row.floor !== null && balance < BigInt(row.floor as number)) violation('floor', id, `balance ${balance} is below ${row.floor}`);
    },
  );
  for (const [unit, sum] of [...perUnit].sort(([a], [b]) => (a < b ? -1 : 1)))
    if (sum !== 0n) violation('unitSum', unit, `sum of balances is ${sum}`);

  // Transfers: what each account's balance must be, whether each points transfer of a member records
  // its lots (the movements' sum is one primary-key range per transfer), and what expiries took from
  // which lot.
  const transferred = new Map<string, bigint>();
  const expiredFromLot = new Map<string, number>();
  await eachChunk(
    db,
    (after, limit) => sql`select t.id as key, t.debit_account_id as debit, t.credit_account_id as credit, t.amount as amount,
        (select coalesce(sum(delta), 0) from lot_movements where transfer_id = t.id) as recorded,
        case when t.kind = 'expiry' then (select json_group_array(json_array(lot_id, -delta)) from lot_movements where transfer_id = t.id) end as expiredLots
      from transfers t where t.program_id = ${programId} and t.id > ${after} order by t.id limit ${limit}`,
    chunkRows,
    (row) => {
      const credit = String(row.credit);
      const debit = String(row.debit);
      add(transferred, credit, row.amount);
      add(transferred, debit, -(row.amount as number));
      const expected = memberPointAccounts.has(credit) ? row.amount : memberPointAccounts.has(debit) ? -(row.amount as number) : null;
      if (expected !== null && expected !== row.recorded)
        violation('transferLots', row.key, `moves ${expected} points, its lot movements add up to ${row.recorded}`);
      if (row.expiredLots !== null)
        for (const [lot, points] of JSON.parse(String(row.expiredLots)) as Array<[string, number]>)
          expiredFromLot.set(lot, (expiredFromLot.get(lot) ?? 0) + points);
    },
  );
  for (const [id, balance] of balances) {
    const computed = transferred.get(id) ?? 0n;
    if (balance !== computed) violation('balance', id, `balance ${balance}, transfers add up to ${computed}`);
  }

  // Lots: what each member's points account must hold, whether each lot's movements explain it, and
  // what the points by earn month must say (amounts, what is left, what expiry took).
  const inLots = new Map<string, bigint>();
  const byEarnMonth = new Map<number, { earned: number; outstanding: number; expired: number }>();
  await eachChunk(
    db,
    (
      after,
      limit,
    ) => sql`select l.id as key, l.account_id as account, l.remaining as remaining, l.amount as amount, l.earned_at as earnedAt,
        (select coalesce(sum(delta), 0) from lot_movements where lot_id = l.id) as moved
      from lots l where l.program_id = ${programId} and l.id > ${after} order by l.id limit ${limit}`,
    chunkRows,
    (row) => {
      add(inLots, String(row.account), row.remaining);
      if (row.remaining !== row.moved) violation('lot', row.key, `remaining ${row.remaining}, movements add up to ${row.moved}`);
      const month = monthIndex(new Date(row.earnedAt as number));
      const sums = byEarnMonth.get(month) ?? { earned: 0, outstanding: 0, expired: 0 };
      sums.earned += row.amount as number;
      sums.outstanding += row.remaining as number;
      sums.expired += expiredFromLot.get(String(row.key)) ?? 0;
      byEarnMonth.set(month, sums);
    },
  );
  for (const id of memberPointAccounts) {
    const balance = balances.get(id)!;
    const held = inLots.get(id) ?? 0n;
    if (balance !== held) violation('memberLots', id, `balance ${balance}, lots hold ${held}`);
  }
  const kept = new Map((await earnMonths(db, programId, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)).map((row) => [row.month, row]));
  const none = { earned: 0, outstanding: 0, expired: 0 };
  for (const month of new Set([...byEarnMonth.keys(), ...kept.keys()])) {
    const lots = byEarnMonth.get(month) ?? none;
    const row = kept.get(month) ?? none;
    if (row.earned !== lots.earned || row.outstanding !== lots.outstanding || row.expired !== lots.expired)
      violation(
        'earnMonths',
        monthLabel(month),
        `kept earned ${row.earned}, outstanding ${row.outstanding}, expired ${row.expired}; the lots say ${lots.earned}, ${lots.outstanding}, ${lots.expired}`,
      );
  }

  // Idempotency keys: grouped in key order on the (program, key) index, so a key's uses are never split across chunks.
  for (const table of [sql`operations`, sql`transfers`]) {
    await eachChunk(
      db,
      (after, limit) => sql`select idempotency_key as key, count(*) as uses from ${table}
        where program_id = ${programId} and idempotency_key > ${after} group by idempotency_key order by idempotency_key limit ${limit}`,
      chunkRows,
      (row) => {
        if ((row.uses as number) > 1) violation('idempotency', row.key, `used ${row.uses} times`);
      },
    );
  }

  return Object.values(found).flat();
}
