/**
 * The members module's public surface: what other modules and use cases may use. Everything else in
 * this folder is private to it (npm run lint:deps).
 */

// Registers the module's GraphQL types and fields on the builder (src/api/schema.ts assembles them).
import './schema';

export { enrollmentSchema, profileUpdateSchema, type Enrollment, type ProfileUpdate } from './domain';
export { DuplicateMemberError, MemberErasedError, MemberNotFoundError, ReferralCodeNotFoundError } from './errors';
export {
  enrollmentStatement,
  enrollmentsStatements,
  erasureStatements,
  profileChangedSinceRead,
  profileUpdateStatement,
  profileUpdatesStatements,
} from './lifecycle';
export {
  activeMemberEmails,
  activeMemberIds,
  activeMembersChunk,
  activeMembersChunkEnd,
  asDuplicateMemberError,
  attributeMatch,
  checkActive,
  findMember,
  memberIdsByExternalIds,
  membersByIds,
  memberStatusQuery,
  memberIdsEnrolledBeforeSql,
  memberIdsEnrolledSinceSql,
  memberStatusSql,
  otherMemberWithEmailIdentity,
  requireActiveMember,
  type MemberRef,
} from './repository';
export { MemberType, loadMember, memberIdFrom, profileFields } from './schema';
export { createMembersService, type Member, type MembersService } from './service';
