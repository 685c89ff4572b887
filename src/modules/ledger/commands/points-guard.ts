import type { CommandDeps } from '../../../platform/serializer/commands';
import type { ConstraintViolation } from '../../../platform/db/constraint-errors';
import { spendablePoints } from '../domain/lots';
import { InsufficientPointsError } from '../errors';
import { openLots } from '../repository';
import { checks } from '../../../../schema';

/**
 * Without the serializer (or if it ever failed), two spends can plan on the same points; the
 * database CHECKs on balances and lots then reject the later batch. This maps that to the error the
 * caller would have got had the spends been ordered.
 */
export function insufficientPointsOnViolation(deps: CommandDeps, programId: string, memberId: string, requested: number, now: Date) {
  return async (violation: ConstraintViolation) => {
    if (violation.kind !== 'check') return null;
    if (!violation.targets.some((target) => target === checks.accountsFloor || target === checks.lotsRemainingInRange)) return null;
    return new InsufficientPointsError(requested, spendablePoints(await openLots(deps.db, programId, memberId), now));
  };
}
