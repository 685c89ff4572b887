import { and, eq, gt, inArray, or, sql, type Column, type SQL } from 'drizzle-orm';
import { accounts, lots, transfers } from '../../../schema';
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

/** Members holding points in lots whose expiry has come, after `cursor`, in id order. */
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
        sql`${lots.expiresAt} <= ${now.getTime()}`,
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
        sql`${lots.expiresAt} > ${now.getTime()}`,
        sql`${lots.expiresAt} <= ${until.getTime()}`,
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
        sql`${lots.expiresAt} > ${now.getTime()} and ${lots.expiresAt} <= ${until.getTime()}`,
      ),
    );
}

/** A member's points balance (0 before its first movement); a scalar subquery over the caller's member columns. */
export function memberPointsBalanceSql(member: { programId: Column; id: Column }): SQL {
  return sql`coalesce((select ${accounts.balance} from ${accounts} where ${accounts.programId} = ${member.programId} and ${accounts.ownerType} = 'member' and ${accounts.ownerId} = ${member.id} and ${accounts.kind} = 'points' and ${accounts.unit} = 'POINTS'), 0)`;
}
