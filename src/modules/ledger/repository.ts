import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { accounts, lotMovements, lots, transfers } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { account, POINTS, type AccountKind } from './accounts';

/** Balance of an account, 0 while it does not exist yet. */
export async function balanceOf(db: Database, accountId: string): Promise<number> {
  const [row] = await db.select({ balance: accounts.balance }).from(accounts).where(eq(accounts.id, accountId));
  return row?.balance ?? 0;
}

export function memberBalance(db: Database, programId: string, memberId: string, kind: AccountKind, unit = POINTS) {
  return balanceOf(db, account(programId, kind, unit, memberId).id);
}

/** A member's wallet in one currency: cash and (non-withdrawable) bonus credit. */
export async function walletBalances(db: Database, programId: string, memberId: string, currency: string) {
  const [cash, bonus] = await Promise.all([
    memberBalance(db, programId, memberId, 'memberWalletCash', currency),
    memberBalance(db, programId, memberId, 'memberWalletBonus', currency),
  ]);
  return { cash, bonus };
}

/** A member's lots that still hold points (`LotState`s), as a query that a read batch can carry too. */
export function openLots(db: Database, programId: string, memberId: string) {
  return db
    .select({
      id: lots.id,
      remaining: lots.remaining,
      earnedAt: lots.earnedAt,
      expiresAt: lots.expiresAt,
      vestsAt: lots.vestsAt,
      sourceTransferId: lots.sourceTransferId,
    })
    .from(lots)
    .where(and(eq(lots.programId, programId), eq(lots.memberId, memberId), gt(lots.remaining, 0)));
}

export function findTransfer(db: Database, programId: string, transferId: string) {
  return db.query.transfers.findFirst({ where: and(eq(transfers.programId, programId), eq(transfers.id, transferId)) });
}

export function transfersOfKind(db: Database, programId: string, ref: string, kinds: string[]) {
  return db
    .select()
    .from(transfers)
    .where(and(eq(transfers.programId, programId), eq(transfers.ref, ref), inArray(transfers.kind, kinds)));
}

/** Net movement per lot over the given transfers, with the lot's current state. */
export async function netLotMovements(db: Database, transferIds: string[]) {
  if (transferIds.length === 0) return [];
  return db
    .select({
      id: lots.id,
      remaining: lots.remaining,
      earnedAt: lots.earnedAt,
      expiresAt: lots.expiresAt,
      net: sql<number>`sum(${lotMovements.delta})`.mapWith(Number),
    })
    .from(lotMovements)
    .innerJoin(lots, eq(lots.id, lotMovements.lotId))
    .where(inArray(lotMovements.transferId, transferIds))
    .groupBy(lots.id);
}

export async function lotCreatedBy(db: Database, transferId: string) {
  const [lot] = await db.select({ id: lots.id }).from(lots).where(eq(lots.sourceTransferId, transferId));
  return lot ?? null;
}

/** Points of a lot that expiry transfers took. */
export async function expiredFromLot(db: Database, lotId: string): Promise<number> {
  const [row] = await db
    .select({ expired: sql<number>`coalesce(-sum(${lotMovements.delta}), 0)`.mapWith(Number) })
    .from(lotMovements)
    .innerJoin(transfers, eq(transfers.id, lotMovements.transferId))
    .where(and(eq(lotMovements.lotId, lotId), eq(transfers.kind, 'expiry')));
  return row?.expired ?? 0;
}
