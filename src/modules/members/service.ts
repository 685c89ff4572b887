import type { MemberRow } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { findMember, findMemberByExternalId, findMembersByIds, listMembers, type MemberPage } from './repository';

export type Member = MemberRow;

/** The members module's reads; enrolling, changing and erasing a member are use cases (src/use-cases). */
export interface MembersService {
  get(programId: string, memberId: string): Promise<Member | undefined>;
  getMany(programId: string, memberIds: readonly string[]): Promise<Member[]>;
  getByExternalId(programId: string, externalId: string): Promise<Member | undefined>;
  list(programId: string, page: MemberPage): Promise<Member[]>;
}

export function createMembersService({ db }: { db: Database }): MembersService {
  return {
    get: (programId, memberId) => findMember(db, programId, memberId),
    getMany: (programId, memberIds) => findMembersByIds(db, programId, memberIds),
    getByExternalId: (programId, externalId) => findMemberByExternalId(db, programId, externalId),
    list: (programId, page) => listMembers(db, programId, page),
  };
}
