import { members, type MemberRow } from '../../../schema';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db/database';
import type { FingerprintKeys } from '../../platform/fingerprints';
import { newId } from '../../platform/ids';
import { constraintViolation } from '../../platform/db/constraint-errors';
import { enrollmentStatements } from '../referrals/repository';
import { memberKey, type Serializer } from '../../platform/serializer/serializer';
import { eventStatement } from '../../platform/outbox';
import { enrollmentColumns, memberEventData, type Enrollment, type ProfileUpdate } from './domain';
import { MemberNotFoundError } from './errors';
import {
  asDuplicateMemberError,
  findMember,
  findMemberByExternalId,
  findMembersByIds,
  listMembers,
  type MemberPage,
} from './repository';
import type { eraseMemberCommand, updateMemberCommand } from './commands';

export type Member = MemberRow;

export interface MembersService {
  enroll(programId: string, enrollment: Enrollment): Promise<Member>;
  update(programId: string, memberId: string, update: ProfileUpdate): Promise<Member>;
  erase(programId: string, memberId: string): Promise<Member>;
  get(programId: string, memberId: string): Promise<Member | undefined>;
  getMany(programId: string, memberIds: readonly string[]): Promise<Member[]>;
  getByExternalId(programId: string, externalId: string): Promise<Member | undefined>;
  list(programId: string, page: MemberPage): Promise<Member[]>;
}

type CommandResult<C extends (...args: never[]) => unknown> = Awaited<ReturnType<C>>;

export function createMembersService(deps: { db: Database; clock: Clock; serializer: Serializer; fingerprints: FingerprintKeys; afterErasure?: () => Promise<void> }): MembersService {
  const { db, clock, serializer, fingerprints } = deps;

  async function reload(programId: string, memberId: string): Promise<Member> {
    const member = await findMember(db, programId, memberId);
    if (!member) throw new MemberNotFoundError(memberId);
    return member;
  }

  return {
    /** Enrolls a member with their own referral code and, when they came with one, their referral: one batch. */
    async enroll(programId, enrollment) {
      for (let attempt = 1; ; attempt++) {
        const now = clock.now();
        const row = { id: newId(), programId, ...enrollmentColumns(enrollment), createdAt: now, updatedAt: now };
        const referral = await enrollmentStatements(db, fingerprints, { programId, memberId: row.id, email: row.email, referralCode: enrollment.referralCode ?? null, at: now });
        try {
          await db.batch([db.insert(members).values(row), ...referral, eventStatement(db, programId, now, { type: 'member.enrolled', memberId: row.id, data: memberEventData({ ...row, status: 'active' }) })]);
          return reload(programId, row.id);
        } catch (error) {
          // A new member's random referral code may, very rarely, be taken already: draw again.
          if (attempt < 3 && constraintViolation(error)?.targets.includes('referral_codes.code')) continue;
          throw asDuplicateMemberError(error) ?? error;
        }
      }
    },

    async update(programId, memberId, update) {
      await serializer.execute<CommandResult<typeof updateMemberCommand>>(
        memberKey(programId, memberId),
        'members.update',
        { programId, memberId, update },
      );
      return reload(programId, memberId);
    },

    async erase(programId, memberId) {
      await serializer.execute<CommandResult<typeof eraseMemberCommand>>(
        memberKey(programId, memberId),
        'members.erase',
        { programId, memberId },
      );
      // Best effort: the erasure is committed; what the embedded database's files still hold of
      // the old row goes at this checkpoint, or at SQLite's next automatic one.
      await deps.afterErasure?.().catch(() => undefined);
      return reload(programId, memberId);
    },

    get: (programId, memberId) => findMember(db, programId, memberId),
    getMany: (programId, memberIds) => findMembersByIds(db, programId, memberIds),
    getByExternalId: (programId, externalId) => findMemberByExternalId(db, programId, externalId),
    list: (programId, page) => listMembers(db, programId, page),
  };
}
