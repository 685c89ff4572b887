import type { MemberRow } from '../../../schema';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db/database';
import { memberKey, type Serializer } from '../../platform/serializer/serializer';
import type { ProfileUpdate } from './domain';
import { MemberNotFoundError } from './errors';
import {
  findMember,
  findMemberByExternalId,
  findMembersByIds,
  listMembers,
  type MemberPage,
} from './repository';
import type { memberCommands } from './commands';

export type Member = MemberRow;

export interface MembersService {
  update(programId: string, memberId: string, update: ProfileUpdate): Promise<Member>;
  get(programId: string, memberId: string): Promise<Member | undefined>;
  getMany(programId: string, memberIds: readonly string[]): Promise<Member[]>;
  getByExternalId(programId: string, externalId: string): Promise<Member | undefined>;
  list(programId: string, page: MemberPage): Promise<Member[]>;
}


export function createMembersService(deps: { db: Database; clock: Clock; serializer: Serializer<typeof memberCommands> }): MembersService {
  const { db, serializer } = deps;

  async function reload(programId: string, memberId: string): Promise<Member> {
    const member = await findMember(db, programId, memberId);
    if (!member) throw new MemberNotFoundError(memberId);
    return member;
  }

  return {
    async update(programId, memberId, update) {
      await serializer.execute(
        memberKey(programId, memberId),
        'members.update',
        { programId, memberId, update },
      );
      return reload(programId, memberId);
    },

    get: (programId, memberId) => findMember(db, programId, memberId),
    getMany: (programId, memberIds) => findMembersByIds(db, programId, memberIds),
    getByExternalId: (programId, externalId) => findMemberByExternalId(db, programId, externalId),
    list: (programId, page) => listMembers(db, programId, page),
  };
}
