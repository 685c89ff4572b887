import { and, asc, eq, gt, lte, or, type SQL } from 'drizzle-orm';
import { referrals } from '../../schema';
import { createReferralsService } from '../modules/referrals/service';
import { CHUNK_SIZE, forEachMember, nextCursor, type Job } from './job';

/**
 * Issues referral rewards whose holding period is over, and takes back issued rewards whose order
 * was refunded (when the refund's own follow-up did not), each in the referrer's serializer.
 */
export const settleReferrals: Job = {
  name: 'settle-referrals',
  scope: 'program',
  async step(deps, { programId, now, cursor }) {
    const service = createReferralsService(deps);
    const conditions: SQL[] = [
      eq(referrals.programId, programId!),
      or(and(eq(referrals.status, 'converted'), lte(referrals.confirmAfter, now)), eq(referrals.clawbackDue, true))!,
    ];
    if (cursor) conditions.push(gt(referrals.id, cursor));
    const due = await deps.db
      .select({ id: referrals.id, referrerId: referrals.referrerId, clawbackDue: referrals.clawbackDue })
      .from(referrals)
      .where(and(...conditions))
      .orderBy(asc(referrals.id))
      .limit(CHUNK_SIZE);
    const byId = new Map(due.map((referral) => [referral.id, referral]));
    const failures = await forEachMember([...byId.keys()], (id) => {
      const referral = byId.get(id)!;
      return service.settle(programId!, referral, referral.clawbackDue ? 'clawback' : 'reward');
    });
    return { processed: due.length - failures.length, cursor: nextCursor(due.map((referral) => referral.id)), failures };
  },
};
