import { and, eq } from 'drizzle-orm';
import { members } from '../../../schema';
import type { Command } from '../../platform/serializer/commands';
import { forgetMemberTier } from '../tiers/repository';
import { fingerprintStatement } from '../referrals/repository';
import { InvalidInputError } from '../../platform/errors';
import { eventStatement, forgetMemberInEvents } from '../../platform/outbox';
import { erasureColumns, keepsAnIdentifier, memberEventData, profileUpdateColumns, type ProfileUpdate } from './domain';
import { MemberNotFoundError } from './errors';
import { asDuplicateMemberError, findMember, requireActiveMember, type MemberRef } from './repository';

/** Changes a member's profile; runs in the member's serializer. */
export const updateMemberCommand: Command<MemberRef & { update: ProfileUpdate }, MemberRef> = async (
  { db, clock, fingerprints },
  { programId, memberId, update },
) => {
  await requireActiveMember(db, { programId, memberId });
  const columns = profileUpdateColumns(update);
  const current = (await findMember(db, programId, memberId))!;
  if (!keepsAnIdentifier({ ...current, ...columns })) {
    throw new InvalidInputError([{ path: ['input', 'externalId'], message: 'a member keeps an externalId or an email' }]);
  }
  const now = clock.now();
  try {
    await db.batch([
      db
        .update(members)
        .set({ ...columns, updatedAt: now })
        .where(and(eq(members.programId, programId), eq(members.id, memberId))),
      ...(columns.email ? [fingerprintStatement(db, fingerprints, programId, columns.email, now)] : []),
      eventStatement(db, programId, now, { type: 'member.updated', memberId, data: memberEventData({ ...current, ...columns }, { changed: Object.keys(columns).sort() }) }),
    ]);
  } catch (error) {
    throw asDuplicateMemberError(error) ?? error;
  }
  return { programId, memberId };
};

/**
 * GDPR erasure: personal data and consents are gone, the row stays as an anonymous owner of its
 * ledger history. Erasing twice is not an error: the second call finds nothing left to erase.
 */
export const eraseMemberCommand: Command<MemberRef, MemberRef & { alreadyErased: boolean }> = async (
  { db, clock },
  { programId, memberId },
) => {
  const member = await findMember(db, programId, memberId);
  if (!member) throw new MemberNotFoundError(memberId);
  if (member.status === 'erased') return { programId, memberId, alreadyErased: true };
  const now = clock.now();
  await db.batch([
    db
      .update(members)
      .set(erasureColumns(now))
      .where(and(eq(members.programId, programId), eq(members.id, memberId))),
    forgetMemberTier(db, memberId),
    forgetMemberInEvents(db, programId, memberId),
    eventStatement(db, programId, now, { type: 'member.erased', memberId, data: { memberId } }),
  ]);
  return { programId, memberId, alreadyErased: false };
};

export const memberCommands = {
  'members.update': updateMemberCommand,
  'members.erase': eraseMemberCommand,
};
