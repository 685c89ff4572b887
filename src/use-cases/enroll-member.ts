import {
  asDuplicateMemberError,
  enrollmentStatement,
  enrollmentsStatements,
  findMember,
  MemberNotFoundError,
  type Enrollment,
  type Member,
} from '../modules/members';
import {
  enrollmentStatements as referralEnrollmentStatements,
  enrollmentsStatements as referralEnrollmentsStatements,
  referralCodeTaken,
} from '../modules/referrals';
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

/**
 * Enrolls many members who come without a referral code (an import) in one batch of multi-row
 * statements, with what `enrollMember` writes for each. All or nothing: an identifier another member
 * has (or two of the list share) fails the whole batch with a `DuplicateMemberError`.
 */
export function enrollMembers({ db, clock, fingerprints }: { db: Database; clock: Clock; fingerprints: FingerprintKeys }) {
  return async (programId: string, enrollments: Enrollment[]): Promise<Array<{ id: string }>> => {
    for (let attempt = 1; ; attempt++) {
      const now = clock.now();
      const { members, inserts, events } = enrollmentsStatements(db, programId, enrollments, now);
      const referral = referralEnrollmentsStatements(
        db,
        fingerprints,
        programId,
        members.map((member) => ({ memberId: member.id, email: member.email })),
        now,
      );
      try {
        await writeBatch(db, [...inserts, ...referral, ...events]);
      } catch (error) {
        if (attempt < 3 && referralCodeTaken(constraintViolation(error))) continue;
        throw asDuplicateMemberError(error) ?? error;
      }
      return members.map(({ id }) => ({ id }));
    }
  };
}
