/**
 * The members module's public surface: what other modules and use cases may use. Everything else in
 * this folder is private to it (npm run lint:deps).
 */
export { memberCommands } from './commands';
export type { Enrollment } from './domain';
export { MemberErasedError, MemberNotFoundError, ReferralCodeNotFoundError } from './errors';
export { emailSeenBefore, fingerprintedSince, fingerprintStatement } from './identities';
export { enrollmentStatements, erasureStatements } from './lifecycle';
export { activeMemberIds, asDuplicateMemberError, findMember, membersByIds, requireActiveMember, type MemberRef } from './repository';
export { MemberType, loadMember, memberIdFrom } from './schema';
export { createMembersService, type Member, type MembersService } from './service';
