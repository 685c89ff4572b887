import {
  asDuplicateMemberError,
  findMember,
  MemberNotFoundError,
  profileChangedSinceRead,
  profileUpdateStatement,
  profileUpdatesStatements,
  type Member,
  type MemberRef,
  type ProfileUpdate,
} from '../modules/members';
import { fingerprintStatement, fingerprintsStatements } from '../modules/referrals';
import type { Clock } from '../platform/clock';
import { type Database, writeBatch } from '../platform/db/database';
import type { Command } from '../platform/serializer/commands';
import type { FingerprintKeys } from '../platform/fingerprints';
import { memberKey, type Serializer } from '../platform/serializer/serializer';

/** Changes a member's profile in their serializer; a new email is fingerprinted in the same batch (referrals). */
export const updateMemberCommand: Command<MemberRef & { update: ProfileUpdate }, MemberRef> = async (
  { db, clock, fingerprints },
  { programId, memberId, update },
) => {
  const now = clock.now();
  const { statements, email } = await profileUpdateStatement(db, { programId, memberId }, update, now);
  try {
    await writeBatch(db, [...statements, ...(email ? [fingerprintStatement(db, fingerprints, programId, email, now)] : [])]);
  } catch (error) {
    throw asDuplicateMemberError(error) ?? error;
  }
  return { programId, memberId };
};

export const profileCommands = { 'members.update': updateMemberCommand };

export function updateMember({ db, serializer }: { db: Database; serializer: Serializer<typeof profileCommands> }) {
  return async (programId: string, memberId: string, update: ProfileUpdate): Promise<Member> => {
    await serializer.execute(memberKey(programId, memberId), 'members.update', { programId, memberId, update });
    const member = await findMember(db, programId, memberId);
    if (!member) throw new MemberNotFoundError(memberId);
    return member;
  };
}

/**
 * Changes many members' profiles (an import) in one read and one batch: multi-row updates, a
 * `member.updated` event for each, the new emails' fingerprints. Not through each member's
 * serializer: it keeps status and balances in memory, which a profile change never writes (so no
 * state version moves, as with `updateMember`); what the checks read is guarded in the batch
 * instead. Returns the updates refused (by position, with the error `updateMember` would throw),
 * or null when the batch could not be written as one (an email or externalId another member has,
 * or a member changed meanwhile): nothing was written, and the caller goes one by one.
 */
export function updateMembers({ db, clock, fingerprints }: { db: Database; clock: Clock; fingerprints: FingerprintKeys }) {
  return async (programId: string, updates: ReadonlyArray<{ memberId: string; update: ProfileUpdate }>) => {
    const now = clock.now();
    const { statements, emails, refused } = await profileUpdatesStatements(db, programId, updates, now);
    try {
      await writeBatch(db, [...statements, ...fingerprintsStatements(db, fingerprints, programId, emails, now)]);
    } catch (error) {
      if (asDuplicateMemberError(error) || profileChangedSinceRead(error)) return null;
      throw error;
    }
    return { refused };
  };
}
