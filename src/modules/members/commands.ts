import { and, eq } from 'drizzle-orm';
import { members } from '../../../schema';
import type { Command } from '../../platform/serializer/commands';
import { fingerprintStatement } from './identities';
import { InvalidInputError } from '../../platform/errors';
import { keepsAnIdentifier, profileUpdateColumns, type ProfileUpdate } from './domain';
import { asDuplicateMemberError, findMember, requireActiveMember, type MemberRef } from './repository';

/** Changes a member's profile; runs in the member's serializer. */
export const updateMemberCommand: Command<MemberRef & { update: ProfileUpdate }, MemberRef> = async (
  { db, clock },
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
      ...(columns.email ? [fingerprintStatement(db, programId, columns.email, now)] : []),
    ]);
  } catch (error) {
    throw asDuplicateMemberError(error) ?? error;
  }
  return { programId, memberId };
};

export const memberCommands = {
  'members.update': updateMemberCommand,
};
