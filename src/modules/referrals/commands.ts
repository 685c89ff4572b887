import { and, eq } from 'drizzle-orm';
import { referrals } from '../../../schema';
import { newId } from '../../platform/ids';
import { account, POINTS } from '../ledger';
import { planClawback, sumDeltas } from '../ledger';
import { lotExpiry } from '../ledger';
import { ledgerCommand, type LedgerCommandInput } from '../ledger';
import type { PlannedTransfer } from '../ledger';
import { expiredFromLot, lotCreatedBy, memberBalance, openLots, transfersOfKind } from '../ledger';
import { memberStatusSql } from '../members';
import { orderFullyRefundedAtSql } from '../orders';
import { loadRules } from '../rules';
import { ReferralNotDueError } from './errors';

export interface SettleReferralInput extends LedgerCommandInput {
  referralId: string;
  /** The status the caller found; the command moves the referral on from it, once. */
  from: 'converted' | 'confirmed';
}

export interface SettleReferralResult {
  referralId: string;
  referrerId: string;
  /** Points credited (a reward) or taken back (a clawback). */
  points: number;
  status: 'confirmed' | 'rejected';
}

/**
 * Moves a referral on after its conversion, always in the referrer's serializer, so its changes
 * are ordered however the referee's refunds and the job interleave:
 * - converted, order fully refunded → rejected (`order_refunded`), nothing issued;
 * - converted, holding period over → confirmed, the reward credited to the referrer as a new lot
 *   (or rejected, `referrer_inactive`, when the referrer was erased);
 * - confirmed, order fully refunded → rejected (`order_refunded`), the reward taken back from the
 *   referrer's points, from the reward's own lot first; points they spent or that expired are not
 *   taken (balances never go negative).
 * Anything else moves nothing and records nothing (ReferralNotDue). Keyed by the referral and the
 * status it leaves, each move happens once.
 */
export const settleReferralCommand = ledgerCommand<SettleReferralInput, SettleReferralResult>(
  'referrals.settle',
  async ({ db }, input, now) => {
    const { programId, referralId, from } = input;
    const [found] = await db
      .select({
        referral: referrals,
        orderRefundedAt: orderFullyRefundedAtSql(referrals.orderPk),
        referrerStatus: memberStatusSql(referrals.referrerId),
      })
      .from(referrals)
      .where(and(eq(referrals.programId, programId), eq(referrals.id, referralId)));
    // A referral settles only with its conversion's order and its referrer (as the former inner joins required).
    if (found?.referral.status !== from || found.referral.orderPk === null || found.referrerStatus === null) {
      throw new ReferralNotDueError(referralId, from);
    }
    const { referral, orderRefundedAt } = found;
    const referrerId = referral.referrerId;
    const memberPoints = account(programId, 'memberPoints', POINTS, referrerId);
    const stillFrom = and(eq(referrals.id, referralId), eq(referrals.status, from));
    const rejected = (reason: 'order_refunded' | 'referrer_inactive', transfers: PlannedTransfer[] = [], points = 0) => ({
      memberId: referrerId,
      transfers,
      statements: [db.update(referrals).set({ status: 'rejected', rejectionReason: reason, pointsClawedBack: points }).where(stillFrom)],
      result: { referralId, referrerId, points, status: 'rejected' as const },
    });

    if (from === 'converted') {
      if (orderRefundedAt) return rejected('order_refunded');
      if (!referral.confirmAfter || referral.confirmAfter.getTime() > now.getTime()) throw new ReferralNotDueError(referralId, from);
      if (found.referrerStatus !== 'active') return rejected('referrer_inactive');
      const transfers: PlannedTransfer[] = [];
      const [rules, balance] = await Promise.all([loadRules(db, programId), memberBalance(db, programId, referrerId, 'memberPoints')]);
      if (referral.rewardPoints > 0) {
        transfers.push({
          id: newId(),
          debit: account(programId, 'pointsIssued', POINTS),
          credit: memberPoints,
          amount: referral.rewardPoints,
          kind: 'referral_reward',
          ref: referralId,
          metadata: { rung: referral.rung, refereeId: referral.refereeId },
          newLot: { id: newId(), memberId: referrerId, earnedAt: now, expiresAt: lotExpiry(now, rules.pointsLifetimeMonths) },
        });
      }
      return {
        memberId: referrerId,
        transfers,
        statements: [db.update(referrals).set({ status: 'confirmed', confirmedAt: now }).where(stillFrom)],
        result: { referralId, referrerId, points: referral.rewardPoints, status: 'confirmed' as const },
        events: [
          {
            type: 'referral.rewarded' as const,
            memberId: referrerId,
            data: {
              referralId,
              referrerId,
              refereeId: referral.refereeId,
              points: referral.rewardPoints,
              pointsBalance: balance + referral.rewardPoints,
              transferId: transfers[0]?.id ?? null,
            },
          },
        ],
      };
    }

    if (!orderRefundedAt) throw new ReferralNotDueError(referralId, from);
    const [reward] = await transfersOfKind(db, programId, referralId, ['referral_reward']);
    const rewardLot = reward ? await lotCreatedBy(db, reward.id) : null;
    const expired = rewardLot ? await expiredFromLot(db, rewardLot.id) : 0;
    const clawback = planClawback(
      await openLots(db, programId, referrerId),
      Math.max(0, referral.rewardPoints - expired),
      rewardLot?.id ?? null,
    );
    const points = -sumDeltas(clawback);
    const transfers: PlannedTransfer[] =
      points > 0
        ? [
            {
              id: newId(),
              debit: memberPoints,
              credit: account(programId, 'pointsIssued', POINTS),
              amount: points,
              kind: 'referral_clawback',
              ref: referralId,
              lotDeltas: clawback,
            },
          ]
        : [];
    return rejected('order_refunded', transfers, points);
  },
);

export const referralCommands = { 'referrals.settle': settleReferralCommand };
