import { and, eq, sql, type SQL } from 'drizzle-orm';
import { accounts, lotMovements, lots, operations, transfers } from '../../../schema';
import { columnTarget, type ConstraintViolation } from '../../platform/db/constraint-errors';
import type { Database, Statement } from '../../platform/db/database';
import type { AccountRef } from './accounts';
import { earnMonthsStatements } from './earn-months';
import type { PlannedTransfer } from './plan';

export interface OperationRecord {
  id: string;
  programId: string;
  idempotencyKey: string;
  command: string;
  requestHash: string;
  memberId: string | null;
  result: unknown;
  createdAt: Date;
}

/**
 * Turns an operation and its planned transfers into the statements of one atomic batch: the
 * operation (UNIQUE idempotency key), accounts created on first use, the immutable transfers, new
 * lots, lot movements (and the points by earn month they change) and the balance updates, which the
 * CHECK constraints guard.
 */
export function ledgerStatements(db: Database, operation: OperationRecord, planned: PlannedTransfer[]): Statement[] {
  const statements: Statement[] = [db.insert(operations).values(operation)];
  if (planned.length === 0) return statements;

  const touched = new Map<string, AccountRef>();
  const netChange = new Map<string, number>();
  for (const transfer of planned) {
    touched.set(transfer.debit.id, transfer.debit).set(transfer.credit.id, transfer.credit);
    netChange.set(transfer.debit.id, (netChange.get(transfer.debit.id) ?? 0) - transfer.amount);
    netChange.set(transfer.credit.id, (netChange.get(transfer.credit.id) ?? 0) + transfer.amount);
  }
  const now = operation.createdAt;
  statements.push(
    db
      .insert(accounts)
      .values([...touched.values()].map((ref) => ({ ...ref, balance: 0, createdAt: now })))
      .onConflictDoNothing(),
    db.insert(transfers).values(
      planned.map((transfer, index) => ({
        id: transfer.id,
        programId: operation.programId,
        operationId: operation.id,
        debitAccountId: transfer.debit.id,
        creditAccountId: transfer.credit.id,
        amount: transfer.amount,
        unit: transfer.debit.unit,
        kind: transfer.kind,
        ref: transfer.ref,
        idempotencyKey: `${operation.idempotencyKey}#${index}`,
        reversesTransferId: transfer.reversesTransferId ?? null,
        createdAt: now,
        metadata: transfer.metadata ?? null,
      })),
    ),
  );

  const newLots = planned.flatMap((transfer) =>
    transfer.newLot
      ? [
          {
            ...transfer.newLot,
            programId: operation.programId,
            accountId: transfer.credit.id,
            sourceTransferId: transfer.id,
            amount: transfer.amount,
            remaining: 0,
          },
        ]
      : [],
  );
  if (newLots.length > 0) statements.push(db.insert(lots).values(newLots));

  const movements = planned.flatMap((transfer) => [
    ...(transfer.newLot
      ? [{ transferId: transfer.id, lotId: transfer.newLot.id, delta: transfer.amount, earned: transfer.amount, expired: 0 }]
      : []),
    ...(transfer.lotDeltas ?? []).map(({ lotId, delta }) => ({
      transferId: transfer.id,
      lotId,
      delta,
      earned: 0,
      expired: transfer.kind === 'expiry' ? -delta : 0,
    })),
  ]);
  if (movements.length > 0) {
    statements.push(db.insert(lotMovements).values(movements.map(({ transferId, lotId, delta }) => ({ transferId, lotId, delta }))));
    for (const { lotId, delta } of movements) {
      statements.push(
        db
          .update(lots)
          .set({ remaining: sql`${lots.remaining} + ${delta}` })
          .where(eq(lots.id, lotId)),
      );
    }
    statements.push(...earnMonthsStatements(db, operation.programId, movements));
  }

  for (const [accountId, change] of netChange) {
    if (change !== 0) {
      statements.push(
        db
          .update(accounts)
          .set({ balance: sql`${accounts.balance} + ${change}` })
          .where(eq(accounts.id, accountId)),
      );
    }
  }
  return statements;
}

/**
 * Moves an account's floor (null: none) in another module's write batch, where `onlyIf` holds; the
 * account's floor CHECK (`checks.accountsFloor`) refuses a floor above its balance.
 */
export function accountFloorStatement(db: Database, accountId: string, floor: number | null, onlyIf?: SQL) {
  return db
    .update(accounts)
    .set({ floor })
    .where(and(eq(accounts.id, accountId), onlyIf));
}

/** Whether a write failed on the order's earn transfer already being there (unique per program and `ref`): another command earned it first. */
export const earnRefTaken = (violation: ConstraintViolation | null) =>
  violation?.kind === 'unique' && violation.targets.includes(columnTarget(transfers.ref));
