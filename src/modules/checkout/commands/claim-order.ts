import { newId } from '../../../platform/ids';
import { account, POINTS } from '../../ledger';
import { lotExpiry, lotVesting } from '../../ledger';
import { ledgerCommand, type LedgerCommandInput } from '../../ledger';
import { earnRefTaken, memberBalance } from '../../ledger';
import { requireActiveMember } from '../../members';
import { loadRules } from '../../rules';
import { checkClaim, claimablePoints } from '../domain/claim';
import { claimStatement, findOrder, linesOf } from '../../orders';
import { orderForStats, statsDelta, statsStatements } from '../../history';
import { claimApplicationsStatement } from '../../offers';
import { OrderNotFoundError } from '../errors';
import { pointsEvent } from '../../ledger';

export interface ClaimOrderInput extends LedgerCommandInput {
  orderId: string;
  memberId: string;
}

export interface ClaimOrderResult {
  orderId: string;
  memberId: string;
  pointsEarned: number;
  pointsBalance: number;
}

/**
 * Links a guest's order to the member who claims it, once, within the program's guestClaimDays:
 * the member earns what the order earned when it was recorded (less what refunds took since), in
 * a lot earned when the order was placed; its offer applications become the member's. It runs in
 * the guest order's serializer, so that it is ordered with that order's refunds; for the member it
 * only adds a lot, which no concurrent command of theirs can overdraw. The database guards the
 * rest: an order earns once (UNIQUE earn transfer per order), so a second claim racing the first
 * is prepared again and refused.
 */
export const claimOrderCommand = ledgerCommand<ClaimOrderInput, ClaimOrderResult>('checkout.claimOrder', async ({ db }, input, now) => {
  const { programId, orderId, memberId } = input;
  const [order, rules] = await Promise.all([
    findOrder(db, programId, orderId),
    loadRules(db, programId),
    requireActiveMember(db, { programId, memberId }),
  ]);
  if (!order) throw new OrderNotFoundError(orderId);
  checkClaim(order, memberId, rules.guestClaimDays, now);
  const points = claimablePoints(order);
  const [balance, lines] = await Promise.all([memberBalance(db, programId, memberId, 'memberPoints'), linesOf(db, order.id)]);
  const earn = points > 0 ? newId() : null;
  const claimed = { memberId, points, pointsBalance: balance + points, transferId: earn };
  return {
    memberId,
    transfers:
      points > 0
        ? [
            {
              id: earn!,
              debit: account(programId, 'pointsIssued', POINTS),
              credit: account(programId, 'memberPoints', POINTS, memberId),
              amount: points,
              kind: 'earn',
              ref: orderId,
              metadata: { claimed: true, placedAt: order.createdAt.toISOString() },
              newLot: {
                id: newId(),
                memberId,
                earnedAt: order.createdAt,
                expiresAt: lotExpiry(order.createdAt, rules.pointsLifetimeMonths),
                vestsAt: lotVesting(order.createdAt, rules.pointsVestingDays),
              },
            },
          ]
        : [],
    result: { orderId, memberId, pointsEarned: points, pointsBalance: balance + points },
    events: [
      { type: 'order.claimed', memberId, data: { memberId, orderId, pointsEarned: points, pointsBalance: balance + points } },
      ...(earn ? [pointsEvent('points.earned', claimed, { orderId })] : []),
    ],
    statements: [
      claimStatement(db, order.id, memberId, now),
      claimApplicationsStatement(db, order.id, memberId),
      // The order now counts for the member's stats, as it stands after its refunds.
      ...statsStatements(db, programId, memberId, statsDelta(null, orderForStats(order, lines))),
    ],
    // Another claim got in first (possible only without the serializer): answer as it left the order.
    retryOn: earnRefTaken,
  };
});
