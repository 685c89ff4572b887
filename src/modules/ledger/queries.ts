import { and, eq, gt, inArray, or, sql, type Column, type SQL } from 'drizzle-orm';
import { accounts, lots, transfers, type OwnerType } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { keyset, type KeysetPage } from '../../platform/db/keyset';
import { DAY_MS } from '../../platform/time';
import { accountKinds, POINTS } from './accounts';

export function accountsOfOwner(db: Database, accountIds: string[]) {
  return db
    .select({ id: accounts.id, ownerType: accounts.ownerType, ownerId: accounts.ownerId })
    .from(accounts)
    .where(inArray(accounts.id, accountIds));
}

/** Points balances of many members in one query (for the DataLoader behind `Member.pointsBalance`). */
/** Points in the members' lots that have not vested yet (pending: counted in the balance, not spendable). */
export async function pendingPoints(db: Database, programId: string, memberIds: readonly string[], now: Date): Promise<number[]> {
  const rows = await db
    .select({ memberId: lots.memberId, pending: sql<number>`sum(${lots.remaining})`.mapWith(Number) })
    .from(lots)
    .where(and(eq(lots.programId, programId), inArray(lots.memberId, [...memberIds]), gt(lots.remaining, 0), gt(lots.vestsAt, now)))
    .groupBy(lots.memberId);
  const byMember = new Map(rows.map((row) => [row.memberId, row.pending]));
  return memberIds.map((memberId) => byMember.get(memberId) ?? 0);
}

export async function pointsBalances(db: Database, programId: string, memberIds: readonly string[]): Promise<number[]> {
  const rows = await db
    .select({ ownerId: accounts.ownerId, balance: accounts.balance })
    .from(accounts)
    .where(
      and(
        eq(accounts.programId, programId),
        eq(accounts.ownerType, 'member'),
        eq(accounts.kind, accountKinds.memberPoints.kind),
        eq(accounts.unit, POINTS),
        inArray(accounts.ownerId, [...memberIds]),
      ),
    );
  const byMember = new Map(rows.map((row) => [row.ownerId, row.balance]));
  return memberIds.map((memberId) => byMember.get(memberId) ?? 0);
}

export interface WalletBalance {
  currency: string;
  cash: number;
  bonus: number;
}

/** Wallet balances per currency of many members in one query (behind `Member.walletBalances`). */
export async function walletBalances(db: Database, programId: string, memberIds: readonly string[]): Promise<WalletBalance[][]> {
  const rows = await db
    .select({ ownerId: accounts.ownerId, kind: accounts.kind, unit: accounts.unit, balance: accounts.balance })
    .from(accounts)
    .where(
      and(
        eq(accounts.programId, programId),
        eq(accounts.ownerType, 'member'),
        inArray(accounts.ownerId, [...memberIds]),
        inArray(accounts.kind, [accountKinds.memberWalletCash.kind, accountKinds.memberWalletBonus.kind]),
      ),
    );
  const byMember = new Map<string, Map<string, WalletBalance>>();
  for (const row of rows) {
    const wallets = byMember.get(row.ownerId) ?? new Map<string, WalletBalance>();
    const wallet = wallets.get(row.unit) ?? { currency: row.unit, cash: 0, bonus: 0 };
    if (row.kind === accountKinds.memberWalletCash.kind) wallet.cash = row.balance;
    else wallet.bonus = row.balance;
    byMember.set(row.ownerId, wallets.set(row.unit, wallet));
  }
  return memberIds.map((memberId) => [...(byMember.get(memberId)?.values() ?? [])].sort((a, b) => a.currency.localeCompare(b.currency)));
}

/** A member's lots, newest first; only those still holding points unless `includeClosed`. */
export function listLots(db: Database, programId: string, memberId: string, page: KeysetPage & { includeClosed: boolean }) {
  const { conditions, orderBy, limit } = keyset(lots.id, page, true);
  const open = page.includeClosed ? [] : [sql`${lots.remaining} > 0`];
  return db
    .select()
    .from(lots)
    .where(and(eq(lots.programId, programId), eq(lots.memberId, memberId), ...open, ...conditions))
    .orderBy(orderBy)
    .limit(limit);
}

/** Every transfer into or out of any of the member's accounts, newest first. */
export function listMemberTransfers(db: Database, programId: string, memberId: string, page: KeysetPage) {
  const memberAccounts = db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.programId, programId), eq(accounts.ownerType, 'member'), eq(accounts.ownerId, memberId)));
  const { conditions, orderBy, limit } = keyset(transfers.id, page, true);
  return db
    .select()
    .from(transfers)
    .where(
      and(
        eq(transfers.programId, programId),
        or(inArray(transfers.debitAccountId, memberAccounts), inArray(transfers.creditAccountId, memberAccounts)),
        ...conditions,
      ),
    )
    .orderBy(orderBy)
    .limit(limit);
}

export function transfersByIds(db: Database, programId: string, ids: readonly string[]) {
  return db
    .select()
    .from(transfers)
    .where(and(eq(transfers.programId, programId), inArray(transfers.id, [...ids])));
}

/** Points held by all members of the program: what the program owes. */
export async function outstandingPoints(db: Database, programId: string): Promise<number> {
  const [row] = await db
    .select({ total: sql<number>`coalesce(sum(${accounts.balance}), 0)`.mapWith(Number) })
    .from(accounts)
    .where(and(eq(accounts.programId, programId), eq(accounts.ownerType, 'member'), eq(accounts.kind, accountKinds.memberPoints.kind)));
  return row?.total ?? 0;
}

/**
 * A lot's expiry as a condition of a per-member read, which the planner must not use to choose an
 * index (the unary `+`). Without statistics, or with a member range it cannot size (a subquery),
 * SQLite prefers the program-wide `lots_open_expiry` index (which the liability report names with
 * `INDEXED BY`), and its range is every open lot of the program in the window: read again for every
 * member or chunk instead of the members' few lots.
 */
export const expiresAtOfMembersLots = sql`+${lots.expiresAt}`;

/**
 * Members holding points in lots whose expiry has come, after `cursor`, in id order: a walk of the
 * member-ordered open lots that stops at `limit` members.
 */
export async function membersWithExpiredLots(
  db: Database,
  programId: string,
  now: Date,
  cursor: string | null,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectDistinct({ memberId: lots.memberId })
    .from(lots)
    .where(
      and(
        eq(lots.programId, programId),
        sql`${lots.remaining} > 0`,
        sql`${expiresAtOfMembersLots} <= ${now.getTime()}`,
        cursor ? sql`${lots.memberId} > ${cursor}` : undefined,
      ),
    )
    .orderBy(lots.memberId)
    .limit(limit);
  return rows.map((row) => row.memberId);
}

/** A member's unexpired lots with points that expire within `days`, soonest first. */
export async function expiringLots(db: Database, programId: string, memberId: string, now: Date, days: number) {
  const until = new Date(now.getTime() + days * DAY_MS);
  const expiring = await db
    .select()
    .from(lots)
    .where(
      and(
        eq(lots.programId, programId),
        eq(lots.memberId, memberId),
        sql`${lots.remaining} > 0`,
        sql`${expiresAtOfMembersLots} > ${now.getTime()}`,
        sql`${expiresAtOfMembersLots} <= ${until.getTime()}`,
      ),
    )
    .orderBy(lots.expiresAt);
  return { points: expiring.reduce((sum, lot) => sum + lot.remaining, 0), until, lots: expiring };
}

/**
 * Open lots of the members in (afterMemberId, lastMemberId] that expire in (now, until], for a
 * reminder job's chunk (`lastMemberId` may be a subquery): a query builder, so the job reads it in the same round trip as its others.
 */
export function openLotsExpiringWithin(
  db: Database,
  programId: string,
  afterMemberId: string | null,
  lastMemberId: string | SQL,
  now: Date,
  until: Date,
) {
  return db
    .select({
      memberId: lots.memberId,
      lotId: lots.id,
      points: lots.remaining,
      expiresAt: sql<Date>`${lots.expiresAt}`.mapWith(lots.expiresAt),
    })
    .from(lots)
    .where(
      and(
        eq(lots.programId, programId),
        afterMemberId ? sql`${lots.memberId} > ${afterMemberId}` : undefined,
        sql`${lots.memberId} <= ${lastMemberId}`,
        gt(lots.remaining, 0),
        sql`${expiresAtOfMembersLots} > ${now.getTime()} and ${expiresAtOfMembersLots} <= ${until.getTime()}`,
      ),
    );
}

/** A member's points balance (0 before its first movement); a scalar subquery over the caller's member columns. */
export function memberPointsBalanceSql(member: { programId: Column; id: Column }): SQL {
  return sql`coalesce((select ${accounts.balance} from ${accounts} where ${accounts.programId} = ${member.programId} and ${accounts.ownerType} = 'member' and ${accounts.ownerId} = ${member.id} and ${accounts.kind} = 'points' and ${accounts.unit} = 'POINTS'), 0)`;
}

/** Balances of those of `accountIds` that exist (an account appears with its first movement). */
export function accountBalances(db: Database, accountIds: readonly string[]) {
  return db
    .select({ id: accounts.id, balance: accounts.balance })
    .from(accounts)
    .where(inArray(accounts.id, [...accountIds]));
}

/** The balance of an owner's account of `kind` in `unit`, null while it does not exist; a scalar subquery over the caller's columns. */
export function ownerAccountBalanceSql(owner: { ownerType: OwnerType; ownerId: Column; unit: Column; kind: SQL }): SQL<number | null> {
  return sql`(select ${accounts.balance} from ${accounts} where ${accounts.ownerType} = ${owner.ownerType} and ${accounts.ownerId} = ${owner.ownerId} and ${accounts.unit} = ${owner.unit} and ${accounts.kind} = ${owner.kind})`.mapWith(
    accounts.balance,
  );
}

export interface OwnerPeriod {
  programId: string;
  ownerType: OwnerType;
  ownerId: string;
  /** [from, until) by the transfers' creation time. */
  from: Date;
  until: Date;
}

/** A transfer of `ownerTransfersWithin`, with the member of its operation. */
export interface OwnerTransfer {
  id: string;
  createdAt: Date;
  kind: string;
  ref: string | null;
  amount: number;
  metadata: Record<string, unknown> | null;
  memberId: string | null;
}

/** The transfers of `kinds` that move one of the owner's accounts, created within the period, oldest first. */
export async function ownerTransfersWithin(
  db: Database,
  { programId, ownerType, ownerId, from, until }: OwnerPeriod,
  kinds: readonly string[],
): Promise<OwnerTransfer[]> {
  const rows = await db.all<{
    id: string;
    created_at: number;
    kind: string;
    ref: string | null;
    amount: number;
    metadata: string | null;
    member_id: string | null;
  }>(sql`
    select t.id, t.created_at, t.kind, t.ref, t.amount, t.metadata, o.member_id
    from transfers t
      join accounts a on a.id in (t.debit_account_id, t.credit_account_id) and a.owner_type = ${ownerType} and a.owner_id = ${ownerId}
      join operations o on o.id = t.operation_id
    where t.program_id = ${programId} and t.kind in (${sql.join(
      kinds.map((kind) => sql`${kind}`),
      sql`, `,
    )})
      and t.created_at >= ${from.getTime()} and t.created_at < ${until.getTime()}
    order by t.created_at, t.id`);
  return rows.map((row) => ({
    id: row.id,
    createdAt: new Date(Number(row.created_at)),
    kind: row.kind,
    ref: row.ref,
    amount: Number(row.amount),
    metadata: row.metadata ? (JSON.parse(row.metadata) as Record<string, unknown>) : null,
    memberId: row.member_id,
  }));
}

/**
 * The net amount per UTC day number of the owner's transfers of `kind` within the period, less those
 * of `returnKind` (what refunds gave back); days without either are left out.
 */
export async function ownerNetAmountByDay(
  db: Database,
  { programId, ownerType, ownerId, from, until }: OwnerPeriod,
  kind: string,
  returnKind: string,
) {
  const rows = await db.all<{ day: number; funded: number }>(sql`
    select cast(t.created_at / 86400000 as integer) as day,
      coalesce(sum(case t.kind when ${kind} then t.amount else -t.amount end), 0) as funded
    from transfers t join accounts a on a.id = t.debit_account_id or a.id = t.credit_account_id
    where t.program_id = ${programId} and a.owner_type = ${ownerType} and a.owner_id = ${ownerId}
      and t.kind in (${kind}, ${returnKind}) and t.created_at >= ${from.getTime()} and t.created_at < ${until.getTime()}
    group by 1`);
  return rows.map((row) => ({ day: Number(row.day), amount: Number(row.funded) }));
}
