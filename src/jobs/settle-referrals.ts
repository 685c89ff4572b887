import { createReferralsService, dueReferrals } from '../modules/referrals';
import { CHUNK_SIZE, forEachMember, nextCursor, type Job } from './job';

/**
 * Moves on every referral that is due, each in its referrer's serializer: held rewards whose
 * holding period is over are issued, and referrals whose order was fully refunded are cancelled or
 * have their reward taken back (when the refund's own follow-up did not get to it).
 */
export const settleReferrals: Job = {
  name: 'settle-referrals',
  scope: 'program',
  async step(deps, { programId, now, cursor }) {
    const service = createReferralsService(deps);
    const due = await dueReferrals(deps.db, programId!, now, cursor, CHUNK_SIZE);
    const byId = new Map(due.map((referral) => [referral.id, referral]));
    const failures = await forEachMember([...byId.keys()], (id) => {
      const referral = byId.get(id)!;
      return service.settle(programId!, { ...referral, status: referral.status as 'converted' | 'confirmed' });
    });
    return { processed: due.length - failures.length, cursor: nextCursor(due.map((referral) => referral.id)), failures };
  },
};
