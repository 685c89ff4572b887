import { eq } from 'drizzle-orm';
import { accounts, lotMovements, lots, transfers } from '../../../../schema';
import { columnTarget } from '../../../platform/db/constraint-errors';
import { newId } from '../../../platform/ids';
import { memberOfAccountId, POINTS, type AccountRef } from '../accounts';
import { TransferNotFoundError, TransferNotReversibleError } from '../errors';
import { ledgerCommand, type LedgerCommandInput } from '../operation';
import type { TransferKind } from '../plan';
import { findTransfer, memberBalance } from '../repository';
import { pointsEvent } from './points';

/**
 * Kinds an operator may reverse. Order transfers are undone by `refundOrder` (which keeps the order's
 * accounting right), and expired points are reinstated with `adjustPoints`, so that they get a new
 * expiry rather than expire again at the next run.
 */
export const reversibleKinds: TransferKind[] = ['redeem', 'adjustment', 'wallet_spend'];

export interface ReverseTransferInput extends LedgerCommandInput {
  transferId: string;
  reason: string;
}

export interface ReverseTransferResult {
  transferId: string;
  reversalId: string;
  memberId: string | null;
  amount: number;
  unit: string;
}

async function accountRef(db: Parameters<typeof findTransfer>[0], id: string): Promise<AccountRef> {
  const row = await db.query.accounts.findFirst({ where: eq(accounts.id, id) });
  if (!row) throw new Error(`Account ${id} of a transfer does not exist`);
  return row;
}

/** Writes the mirror image of a transfer: accounts swapped, every lot movement undone. */
export const reverseTransferCommand = ledgerCommand<ReverseTransferInput, ReverseTransferResult>(
  'ledger.reverseTransfer',
  async ({ db }, input) => {
    const { programId, transferId } = input;
    const original = await findTransfer(db, programId, transferId);
    if (!original) throw new TransferNotFoundError(transferId);
    if (!reversibleKinds.includes(original.kind as TransferKind)) {
      throw new TransferNotReversibleError(transferId, `${original.kind} transfers are not reversed this way`);
    }
    if (await db.query.transfers.findFirst({ where: eq(transfers.reversesTransferId, transferId) })) {
      throw new TransferNotReversibleError(transferId, 'it is already reversed');
    }

    const movements = await db
      .select({ lotId: lotMovements.lotId, delta: lotMovements.delta, remaining: lots.remaining })
      .from(lotMovements)
      .innerJoin(lots, eq(lots.id, lotMovements.lotId))
      .where(eq(lotMovements.transferId, transferId));
    if (movements.some(({ delta, remaining }) => delta > remaining)) {
      throw new TransferNotReversibleError(transferId, 'the points it credited have been spent');
    }
    const owner = memberOfAccountId(original.debitAccountId) ?? memberOfAccountId(original.creditAccountId);
    const [debit, credit, pointsBefore] = await Promise.all([
      accountRef(db, original.creditAccountId),
      accountRef(db, original.debitAccountId),
      owner && original.unit === POINTS ? memberBalance(db, programId, owner, 'memberPoints') : 0,
    ]);
    const memberId = [debit, credit].find((ref) => ref.ownerType === 'member')?.ownerId ?? null;
    const reversalId = newId();
    // A reversed redemption or adjustment changes the member's points: receivers hear of it as an adjustment.
    const points = memberId && original.unit === POINTS ? (debit.ownerType === 'member' ? -original.amount : original.amount) : 0;
    const events =
      memberId && points !== 0
        ? [
            pointsEvent(
              'points.adjusted',
              { memberId, points, pointsBalance: pointsBefore + points, transferId: reversalId },
              { reversesTransferId: transferId },
            ),
          ]
        : [];
    return {
      memberId,
      transfers: [
        {
          id: reversalId,
          debit,
          credit,
          amount: original.amount,
          kind: 'reversal',
          ref: original.ref,
          reversesTransferId: transferId,
          metadata: { reason: input.reason, reversedKind: original.kind },
          lotDeltas: movements.map(({ lotId, delta }) => ({ lotId, delta: -delta })),
        },
      ],
      result: { transferId, reversalId, memberId, amount: original.amount, unit: original.unit },
      events,
      onViolation: async (violation) => {
        if (violation.kind === 'unique' && violation.targets.includes(columnTarget(transfers.reversesTransferId))) {
          return new TransferNotReversibleError(transferId, 'it is already reversed');
        }
        return violation.kind === 'check'
          ? new TransferNotReversibleError(transferId, 'the points or money it moved have been spent')
          : null;
      },
    };
  },
);
