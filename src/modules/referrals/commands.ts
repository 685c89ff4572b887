import { and, eq } from 'drizzle-orm';
import { members, referrals } from '../../../schema';
import { newId } from '../../platform/ids';
import { account, POINTS } from '../ledger/accounts';
import { planClawback, sumDeltas } from '../ledger/domain/lots';
import { lotExpiry } from '../ledger/domain/points';
import { ledgerCommand, type LedgerCommandInput } from '../ledger/operation';
import type { PlannedTransfer } from '../ledger/plan';
import { expiredFromLot, lotCreatedBy, openLots, transfersOfKind } from '../ledger/repository';
import { loadRules } from '../rules/service';
import type { Statement } from '../ledger/writer';
import { ReferralNotDueError } from './errors';

export interface SettleReferralInput extends LedgerCommandInput {
  referralId: string;
  /** `reward`: issue a held reward whose holding period is over; `clawback`: take back a refunded one. */
  action: 'reward' | 'clawback';
}

export interface SettleReferralResult {
  referralId: string;
  referrerId: string;
  /** Points credited (reward) or taken back (clawback) now. */
  points: number;
  status: string;
}

/**
 * Settles one referral in the referrer's serializer. A reward whose holding period is over is
 * credited to the referrer as a new lot (the program's points lifetime) and the referral becomes
 * `confirmed`; a referrer no longer active gets nothing (`rejected`, `referrer_inactive`). A
 * clawback takes the reward back from the referrer's points, from the reward's own lot first; what
 * they already spent or what expired is not taken (balances never go negative). Each is keyed by
 * the referral, so it happens once however often the job or a refund asks for it; asked for when
 * nothing is due, it moves nothing and records nothing (ReferralNotDue).
 */
export const settleReferralCommand = ledgerCommand<SettleReferralInput, SettleReferralResult>('referrals.settle', async ({ db }, input, now) => {
  const { programId, referralId } = input;
  const [referral] = await db.select().from(referrals).where(and(eq(referrals.programId, programId), eq(referrals.id, referralId)));
  if (!referral) throw new ReferralNotDueError(referralId, input.action);
  const referrerId = referral.referrerId;
  const memberPoints = account(programId, 'memberPoints', POINTS, referrerId);
  const notDue = new ReferralNotDueError(referralId, input.action);
  const transfers: PlannedTransfer[] = [];
  const statements: Statement[] = [];

  if (input.action === 'reward') {
    if (referral.status !== 'converted' || !referral.confirmAfter || referral.confirmAfter.getTime() > now.getTime()) throw notDue;
    const [referrer] = await db.select({ status: members.status }).from(members).where(eq(members.id, referrerId));
    const stillConverted = and(eq(referrals.id, referralId), eq(referrals.status, 'converted'));
    if (referrer?.status !== 'active') {
      statements.push(db.update(referrals).set({ status: 'rejected', rejectionReason: 'referrer_inactive' }).where(stillConverted));
      return { memberId: referrerId, transfers, statements, result: { referralId, referrerId, points: 0, status: 'rejected' } };
    }
    if (referral.rewardPoints > 0) {
      const rules = await loadRules(db, programId);
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
    statements.push(db.update(referrals).set({ status: 'confirmed', confirmedAt: now }).where(stillConverted));
    return { memberId: referrerId, transfers, statements, result: { referralId, referrerId, points: referral.rewardPoints, status: 'confirmed' } };
  }

  if (!referral.clawbackDue) throw notDue;
  const [reward] = await transfersOfKind(db, programId, referralId, ['referral_reward']);
  const rewardLot = reward ? await lotCreatedBy(db, reward.id) : null;
  const expired = rewardLot ? await expiredFromLot(db, rewardLot.id) : 0;
  const clawback = planClawback(await openLots(db, programId, referrerId), Math.max(0, referral.rewardPoints - expired), rewardLot?.id ?? null);
  const points = -sumDeltas(clawback);
  if (points > 0) {
    transfers.push({ id: newId(), debit: memberPoints, credit: account(programId, 'pointsIssued', POINTS), amount: points, kind: 'referral_clawback', ref: referralId, lotDeltas: clawback });
  }
  statements.push(db.update(referrals).set({ clawbackDue: false, pointsClawedBack: points }).where(and(eq(referrals.id, referralId), eq(referrals.clawbackDue, true))));
  return { memberId: referrerId, transfers, statements, result: { referralId, referrerId, points, status: referral.status } };
});

export const referralCommands = { 'referrals.settle': settleReferralCommand };
