import { builder, type InputFieldBuilder } from '../../graphql/builder';
import { programIdOf, type GraphQLContext } from '../../graphql/context';
import { ErrorInterface } from '../../graphql/types/errors';
import { parseInput } from '../../graphql/parse-input';
import { decodeId, requireId } from '../../graphql/global-ids';
import { InvalidInputError } from '../../platform/errors';
import { enrollmentSchema, memberFilterSchema, profileUpdateSchema, selfUpdateIssues } from './domain';
import { DuplicateMemberError, MemberErasedError, MemberNotFoundError, ReferralCodeNotFoundError } from './errors';
import type { Member } from './service';
import { connectionById } from '../../graphql/connections';

builder.objectType(ReferralCodeNotFoundError, {
  name: 'ReferralCodeNotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ referralCode: t.string({ resolve: (error) => error.details.code }) }),
});

builder.objectType(DuplicateMemberError, {
  name: 'DuplicateMemberError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.string({ description: 'externalId or email', resolve: (error) => error.details.field }),
  }),
});
for (const [errorClass, name] of [
  [MemberNotFoundError, 'MemberNotFoundError'],
  [MemberErasedError, 'MemberErasedError'],
] as const) {
  builder.objectType(errorClass, {
    name,
    interfaces: [ErrorInterface],
    fields: (t) => ({
      memberId: t.id({ description: 'The member id, as given', resolve: (error) => error.details.memberId }),
    }),
  });
}

const MemberStatus = builder.enumType('MemberStatus', {
  values: { ACTIVE: { value: 'active' }, ERASED: { value: 'erased', description: 'Personal data erased (GDPR)' } },
});

const Consents = builder.objectRef<Member>('Consents').implement({
  description: 'Marketing consents per channel',
  fields: (t) => ({
    email: t.exposeBoolean('consentEmail'),
    sms: t.exposeBoolean('consentSms'),
    push: t.exposeBoolean('consentPush'),
  }),
});

/** Admins and storefronts of the member's program, or the member itself; loads are program-scoped. */
const canSeeMember = (member: Member) => ({ admin: true, storefront: true, self: member.id });

export const MemberType = builder.node(builder.objectRef<Member>('Member'), {
  id: { resolve: (member) => member.id },
  authScopes: canSeeMember,
  loadMany: (ids, context) => context.services.members.getMany(programIdOf(context), ids),
  fields: (t) => ({
    externalId: t.exposeString('externalId', { nullable: true }),
    email: t.exposeString('email', { nullable: true }),
    name: t.exposeString('name', { nullable: true }),
    birthday: t.exposeString('birthday', { nullable: true, description: 'YYYY-MM-DD' }),
    timeZone: t.exposeString('timeZone', { nullable: true }),
    consents: t.field({ type: Consents, resolve: (member) => member }),
    attributes: t.field({ type: 'JSONObject', resolve: (member) => member.attributes }),
    tags: t.exposeStringList('tags'),
    status: t.expose('status', { type: MemberStatus }),
    enrolledAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    erasedAt: t.expose('erasedAt', { type: 'DateTime', nullable: true }),
  }),
});

export const ConsentsInput = builder.inputType('ConsentsInput', {
  description: 'Omitted channels keep their current consent',
  fields: (t) => ({ email: t.boolean(), sms: t.boolean(), push: t.boolean() }),
});

export const profileFields = (t: InputFieldBuilder) => ({
  externalId: t.string({ description: 'Your id for this customer (unique in the program)' }),
  email: t.string({ description: 'Unique in the program; stored lower-case' }),
  name: t.string(),
  birthday: t.string({ description: 'YYYY-MM-DD' }),
  timeZone: t.string(),
  consents: t.field({ type: ConsentsInput }),
  attributes: t.field({ type: 'JSONObject' }),
  tags: t.stringList(),
});

const EnrollMemberInput = builder.inputType('EnrollMemberInput', {
  fields: (t) => ({
    ...profileFields(t),
    referralCode: t.string({ description: 'The code of the member who referred this one; attributed once' }),
  }),
});

const UpdateMemberInput = builder.inputType('UpdateMemberInput', {
  description: 'Omitted fields stay as they are; null clears a field. A member token may change name, birthday and consents only',
  fields: (t) => ({ id: t.id({ required: true }), ...profileFields(t) }),
});

const EraseMemberInput = builder.inputType('EraseMemberInput', {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const MemberPayload = builder.objectRef<{ member: Member }>('MemberPayload').implement({
  fields: (t) => ({ member: t.field({ type: MemberType, resolve: (payload) => payload.member }) }),
});

const decodeMemberId = (globalId: string | number) => decodeId('Member', globalId);
/** The member a payload is about, within the caller's program. */
export async function loadMember(programId: string, memberId: string, context: GraphQLContext) {
  const member = await context.services.members.get(programId, memberId);
  if (!member) throw new MemberNotFoundError(memberId);
  return member;
}

export const memberIdFrom = (globalId: string | number) => requireId('Member', globalId, (id) => new MemberNotFoundError(id));

builder.mutationFields((t) => ({
  enrollMember: t.field({
    type: MemberPayload,
    description: 'Enrolls a customer in the program of the token',
    authScopes: { admin: true, storefront: true },
    args: { input: t.arg({ type: EnrollMemberInput, required: true }) },
    errors: { types: [DuplicateMemberError, ReferralCodeNotFoundError], directResult: true, union: { name: 'EnrollMemberResult' } },
    resolve: async (_root, { input }, context) => ({
      member: await context.services.members.enroll(programIdOf(context), parseInput(enrollmentSchema, input)),
    }),
  }),
  updateMember: t.field({
    type: MemberPayload,
    authScopes: (_root, { input }) => ({ admin: true, storefront: true, self: decodeMemberId(input.id) ?? '' }),
    args: { input: t.arg({ type: UpdateMemberInput, required: true }) },
    errors: {
      types: [DuplicateMemberError, MemberNotFoundError, MemberErasedError],
      directResult: true,
      union: { name: 'UpdateMemberResult' },
    },
    resolve: async (_root, { input: { id, ...input } }, context) => {
      const update = parseInput(profileUpdateSchema, input);
      const ownedByProgram = context.principal?.role === 'member' ? selfUpdateIssues(update) : [];
      if (ownedByProgram.length > 0) throw new InvalidInputError(ownedByProgram);
      return { member: await context.services.members.update(programIdOf(context), memberIdFrom(id), update) };
    },
  }),
  eraseMember: t.field({
    type: MemberPayload,
    description: 'GDPR erasure: personal data and consents are removed, ledger history stays, anonymous',
    authScopes: (_root, { input }) => ({ admin: true, self: decodeMemberId(input.id) ?? '' }),
    args: { input: t.arg({ type: EraseMemberInput, required: true }) },
    errors: { types: [MemberNotFoundError], directResult: true, union: { name: 'EraseMemberResult' } },
    resolve: async (_root, { input }, context) => ({
      member: await context.services.members.erase(programIdOf(context), memberIdFrom(input.id)),
    }),
  }),
}));

builder.queryFields((t) => ({
  member: t.field({
    type: MemberType,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    authScopes: (_root, { id }) => ({ admin: true, storefront: true, self: decodeMemberId(id) ?? '' }),
    resolve: (_root, { id }, context) => {
      const memberId = decodeMemberId(id);
      return memberId ? context.services.members.get(programIdOf(context), memberId) : null;
    },
  }),
  memberByExternalId: t.field({
    type: MemberType,
    nullable: true,
    args: { externalId: t.arg.string({ required: true }) },
    authScopes: { admin: true, storefront: true },
    resolve: (_root, { externalId }, context) => context.services.members.getByExternalId(programIdOf(context), externalId),
  }),
  members: t.connection({
    type: MemberType,
    description: 'Members of the program, oldest enrollment first; `search` matches email, name or externalId',
    args: { search: t.arg.string(), tags: t.arg.stringList(), attributes: t.arg({ type: 'JSONObject' }) },
    authScopes: { admin: true, storefront: true },
    resolve: (_root, args, context) => {
      const filter = parseInput(memberFilterSchema, { tags: args.tags, attributes: args.attributes });
      return connectionById(args, (page) =>
        context.services.members.list(programIdOf(context), { ...page, search: args.search, ...filter }),
      );
    },
  }),
  me: t.field({
    type: MemberType,
    nullable: true,
    description: 'The member a member token belongs to',
    authScopes: { member: true },
    resolve: (_root, _args, context) =>
      context.principal?.role === 'member' ? context.services.members.get(context.principal.programId, context.principal.memberId) : null,
  }),
}));
