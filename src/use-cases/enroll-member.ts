import { asDuplicateMemberError, enrollmentStatements, findMember, MemberNotFoundError, type Enrollment, type Member } from '../modules/members';
import { enrollmentStatements as referralEnrollmentStatements } from '../modules/referrals';
import { constraintViolation } from '../platform/db/constraint-errors';
import { type Database, writeBatch } from '../platform/db/database';
import type { Clock } from '../platform/clock';

/**
 * Enrolls a member in one batch: the member, their own referral code and, when they came with one,
 * their referral (judged by the referral rules inside the batch), then their email's fingerprint.
 */
export function enrollMember({ db, clock }: { db: Database; clock: Clock }) {
  return async (programId: string, enrollment: Enrollment): Promise<Member> => {
    for (let attempt = 1; ; attempt++) {
      const now = clock.now();
      const { member, insert, fingerprint } = enrollmentStatements(db, programId, enrollment, now);
      const referral = await referralEnrollmentStatements(db, { programId, memberId: member.id, email: member.email, referralCode: enrollment.referralCode ?? null, at: now });
      try {
        await writeBatch(db, [insert, ...referral, ...fingerprint]);
        const enrolled = await findMember(db, programId, member.id);
        if (!enrolled) throw new MemberNotFoundError(member.id);
        return enrolled;
      } catch (error) {
        // A new member's random referral code may, very rarely, be taken already: draw again.
        if (attempt < 3 && constraintViolation(error)?.targets.includes('referral_codes.code')) continue;
        throw asDuplicateMemberError(error) ?? error;
      }
    }
  };
}
