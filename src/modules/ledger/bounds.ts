import { isWholeWithin, MAX_BALANCE } from '../../platform/bounds';
import type { ConstraintViolation } from '../../platform/db/constraint-errors';
import { InvalidInputError } from '../../platform/errors';
import type { PlannedTransfer } from './plan';
import { checks } from '../../../schema';

/** The database guards (migration 0005) that keep stored amounts whole and within platform/bounds.ts. */
export const rangeGuards: string[] = [
  checks.accountsBalanceRange,
  checks.transfersAmountRange,
  checks.lotsAmountRange,
  checks.lotMovementsDeltaRange,
  checks.pointsByEarnMonthRange,
  checks.ordersAmountsRange,
  checks.orderLinesRange,
  checks.offersCountersRange,
  checks.offerApplicationsRange,
  checks.stampCardsRange,
  checks.referralsPointsRange,
];

const balanceLimitIssue = (path: string[]) => ({
  path,
  message: `would take a balance past ${MAX_BALANCE}, the most an account of the ledger may hold`,
});

/** Refuses a balance a command is about to leave an account with, before anything is written. */
export function checkBalanceLimit(balance: number, path: string[]): void {
  if (!isWholeWithin(balance, -MAX_BALANCE, MAX_BALANCE)) throw new InvalidInputError([balanceLimitIssue(path)]);
}

/**
 * Defence in depth before a batch: every planned amount is a whole number within the bounds. The
 * bounds on inputs make this impossible to trip; if a bug ever computes such an amount, the command
 * fails with a typed error and writes nothing.
 */
export function checkPlannedAmounts(planned: PlannedTransfer[]): void {
  for (const transfer of planned) {
    const deltas = [...(transfer.lotDeltas ?? []).map(({ delta }) => delta)];
    if (!isWholeWithin(transfer.amount, 1, MAX_BALANCE) || deltas.some((delta) => !isWholeWithin(Math.abs(delta), 1, MAX_BALANCE))) {
      throw new InvalidInputError([
        {
          path: ['input'],
          message: `would move ${transfer.amount} ${transfer.debit.unit}: amounts must be whole numbers from 1 to ${MAX_BALANCE}`,
        },
      ]);
    }
  }
}

/** A tripped range guard as the typed error it means: the request would take an amount past the bounds. */
export function rangeViolationError(violation: ConstraintViolation): InvalidInputError | null {
  if (violation.kind !== 'check' || !violation.targets.some((target) => rangeGuards.includes(target))) return null;
  return new InvalidInputError([balanceLimitIssue(['input'])]);
}
