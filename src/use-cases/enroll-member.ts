import {
  asDuplicateMemberError,
  enrollmentStatement,
  findMember,
  MemberNotFoundError,
  type Enrollment,
  type Member,
} from '../modules/members';
import { enrollmentStatements as referralEnrollmentStatements, referralCodeTaken } from '../modules/referrals';
import type { Clock } from '../platform/clock';
import { constraintViolation } from '../platform/db/constraint-errors';
import { type Database, writeBatch } from '../platform/db/database';
import type { FingerprintKeys } from '../platform/fingerprints';

/**
 * Enrolls a member in one batch: the member, then what referrals add (their own referral code, the
 * referral they came with, judged by the referral rules inside the batch, and their email's fingerprint).
 */
export function enrollMember({ db, clock, fingerprints }: { db: Database; clock: Clock; fingerprints: FingerprintKeys }) {
  return async (programId: string, enrollment: Enrollment): Promise<Member> => {
    for (let attempt = 1; ; attempt++) {
      const now = clock.now();
      const { member, insert, event } = enrollmentStatement(db, programId, enrollment, now);
      const referral = await referralEnrollmentStatements(db, fingerprints, {
        programId,
        memberId: member.id,
        email: member.email,
        referralCode: enrollment.referralCode ?? null,
        at: now,
      });
      try {
        await writeBatch(db, [insert, ...referral, event]);
      } catch (error) {
        // A new member's random referral code may, very rarely, be taken already: draw again.
        if (attempt < 3 && referralCodeTaken(constraintViolation(error))) continue;
        throw asDuplicateMemberError(error) ?? error;
      }
      const enrolled = await findMember(db, programId, member.id);
      if (!enrolled) throw new MemberNotFoundError(member.id);
      return enrolled;
    }
  };
}
