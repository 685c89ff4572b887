import { and, eq, inArray, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { accounts, lotMovements, lots, operations, transfers } from '../../../schema';
import type { CommandDeps } from '../../platform/serializer/commands';
import { writeBatch, type Database } from '../../platform/db/database';
import { newId } from '../../platform/ids';
import { insertRows } from '../../platform/db/insert-rows';
import { account, POINTS } from './accounts';
import { planExpiry, sumDeltas } from './domain/lots';
import { earnMonthsStatements } from './earn-months';
import { expiresAtOfMembersLots } from './queries';
import { SYSTEM_KEY_PREFIX } from './inputs';
import { requestHash } from './operation';
import { pointsEvent, type PointsMovementResult } from './commands/points';
import { eventStatements } from '../../platform/outbox';

/** The idempotency key of the expiry of one member's points as of one instant (the job's `now`). */
export const expiryKey = (memberId: string, asOf: string) => `${SYSTEM_KEY_PREFIX}expire/${memberId}/${asOf}`;

/** One UPDATE that adds each pair's amount to `column` of the row whose `id` is the pair's id (the pairs as one JSON parameter). */
function addByIdStatement(db: Database, id: SQLiteColumn, column: SQLiteColumn, pairs: ReadonlyArray<readonly [string, number]>) {
  return db.run(
    sql`update ${id.table} set ${sql.identifier(column.name)} = ${column} + c.value ->> 1 from json_each(${JSON.stringify(pairs)}) c where ${id} = c.value ->> 0`,
  );
}

/**
 * Expires, as of `asOf`, what is left of the expired lots of many members at once: exactly what the
 * `ledger.expirePoints` command writes for each (the same operation, keyed and hashed the same way,
 * the same transfer, lot movements, lots, points by earn month and balances), read in one round trip
 * and written as one batch of multi-row statements. The lots and balances change by relative amounts under their CHECKs
 * (`remaining >= 0`, the balance floor), so a member command that moved the same points in between
 * trips a guard, the whole batch rolls back and nothing is half-written; so does a member whose
 * expiry for `asOf` is already recorded (UNIQUE key). The caller then falls back to the members'
 * serializers. Returns the members whose points expired.
 *
 * The rows go in as one JSON parameter per statement (`insertRows`, and the relative changes of lots
 * and balances): drizzle's walk over every parameter cost a third of the job's CPU time, and SQLite
 * compiling multi-row VALUES a good part of the batch's.
 */
export async function expireMembersInBulk(
  { db, clock }: CommandDeps,
  programId: string,
  memberIds: string[],
  asOf: Date,
): Promise<string[]> {
  if (memberIds.length === 0) return [];
  const [expiredLots, balances] = await db.batch([
    db
      .select({ id: lots.id, memberId: lots.memberId, remaining: lots.remaining, earnedAt: lots.earnedAt, expiresAt: lots.expiresAt })
      .from(lots)
      .where(
        and(
          eq(lots.programId, programId),
          inArray(lots.memberId, memberIds),
          sql`${lots.remaining} > 0`,
          sql`${expiresAtOfMembersLots} <= ${asOf.getTime()}`,
        ),
      ),
    db
      .select({ id: accounts.id, balance: accounts.balance })
      .from(accounts)
      .where(
        inArray(
          accounts.id,
          memberIds.map((memberId) => account(programId, 'memberPoints', POINTS, memberId).id),
        ),
      ),
  ]);
  const lotsOf = new Map<string, typeof expiredLots>();
  for (const lot of expiredLots) lotsOf.set(lot.memberId, [...(lotsOf.get(lot.memberId) ?? []), lot]);
  const balanceOf = new Map(balances.map((row) => [row.id, row.balance]));
  const now = clock.now();
  const at = asOf.toISOString();
  const expired = account(programId, 'pointsExpired', POINTS);

  const plans = memberIds.flatMap((memberId) => {
    const deltas = planExpiry(lotsOf.get(memberId) ?? [], asOf);
    const points = -sumDeltas(deltas);
    if (points === 0) return [];
    const memberPoints = account(programId, 'memberPoints', POINTS, memberId);
    const idempotencyKey = expiryKey(memberId, at);
    const transferId = newId();
    const result: PointsMovementResult = { memberId, points, pointsBalance: (balanceOf.get(memberPoints.id) ?? 0) - points, transferId };
    return [{ memberId, memberPoints, deltas, points, transferId, operationId: newId(), idempotencyKey, result }];
  });
  if (plans.length === 0) return [];

  const total = plans.reduce((sum, plan) => sum + plan.points, 0);
  const lotChanges = plans.flatMap((plan) => plan.deltas.map(({ lotId, delta }) => [lotId, delta] as const));
  await writeBatch(db, [
    ...insertRows(
      db,
      operations,
      plans.map((plan) => ({
        id: plan.operationId,
        programId,
        idempotencyKey: plan.idempotencyKey,
        command: 'ledger.expirePoints',
        requestHash: requestHash('ledger.expirePoints', {
          programId,
          memberId: plan.memberId,
          asOf: at,
          idempotencyKey: plan.idempotencyKey,
        }),
        memberId: plan.memberId,
        result: plan.result,
        createdAt: now,
      })),
    ),
    db
      .insert(accounts)
      .values({ ...expired, balance: 0, createdAt: now })
      .onConflictDoNothing(),
    ...insertRows(
      db,
      transfers,
      plans.map((plan) => ({
        id: plan.transferId,
        programId,
        operationId: plan.operationId,
        debitAccountId: plan.memberPoints.id,
        creditAccountId: expired.id,
        amount: plan.points,
        unit: POINTS,
        kind: 'expiry',
        ref: null,
        idempotencyKey: `${plan.idempotencyKey}#0`,
        createdAt: now,
      })),
    ),
    ...eventStatements(
      db,
      programId,
      now,
      plans.map((plan) =>
        pointsEvent('points.expired', plan.result, { lots: plan.deltas.map(({ lotId, delta }) => ({ lotId, points: -delta })) }),
      ),
    ),
    ...insertRows(
      db,
      lotMovements,
      plans.flatMap((plan) => plan.deltas.map(({ lotId, delta }) => ({ transferId: plan.transferId, lotId, delta }))),
    ),
    addByIdStatement(db, lots.id, lots.remaining, lotChanges),
    ...earnMonthsStatements(
      db,
      programId,
      plans.flatMap((plan) => plan.deltas.map(({ lotId, delta }) => ({ lotId, delta, earned: 0, expired: -delta }))),
    ),
    addByIdStatement(db, accounts.id, accounts.balance, [
      ...plans.map((plan) => [plan.memberPoints.id, -plan.points] as const),
      [expired.id, total],
    ]),
  ]);
  return plans.map((plan) => plan.memberId);
}
