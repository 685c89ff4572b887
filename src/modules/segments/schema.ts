import { builder } from '../../graphql/builder';
import { programIdOf } from '../../graphql/context';
import { connectionById } from '../../graphql/connections';
import { requireId } from '../../graphql/global-ids';
import { ErrorInterface } from '../../graphql/types/errors';
import { parseInput } from '../../graphql/parse-input';
import { text } from '../../platform/validation';
import { MemberType } from '../members';
import type { SegmentRow } from '../../../schema';
import { SegmentNotFoundError } from './errors';
import { z } from 'zod';

builder.objectType(SegmentNotFoundError, {
  name: 'SegmentNotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ segmentId: t.id({ resolve: (error) => error.details.segmentId }) }),
});

const SegmentStatus = builder.enumType('SegmentStatus', { values: { ACTIVE: { value: 'active' }, ARCHIVED: { value: 'archived' } } });
const program = { admin: true, storefront: true };

export const SegmentType = builder.node(builder.objectRef<SegmentRow>('Segment'), {
  id: { resolve: (segment) => segment.id },
  authScopes: program,
  loadMany: (ids, context) => context.services.segments.byIds(programIdOf(context), ids),
  fields: (t) => ({
    name: t.exposeString('name'),
    status: t.expose('status', { type: SegmentStatus }),
    definition: t.field({ type: 'JSONObject', resolve: (segment) => segment.definition as Record<string, unknown> }),
    count: t.exposeInt('memberCount'),
    lastRefreshedAt: t.expose('lastRefreshedAt', { type: 'DateTime', nullable: true }),
    refreshing: t.boolean({ resolve: (segment) => segment.refreshCursor !== null }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    members: t.connection({
      type: MemberType,
      resolve: (segment, args, context) => connectionById(args, (page) => context.services.segments.members(segment, page)),
    }),
  }),
});

export const segmentIdFrom = (globalId: string | number) => requireId('Segment', globalId, (id) => new SegmentNotFoundError(id));
const nameSchema = z.object({ name: text(200) });

const CreateSegmentInput = builder.inputType('CreateSegmentInput', {
  fields: (t) => ({ name: t.string({ required: true }), definition: t.field({ type: 'JSONObject', required: true }) }),
});
const UpdateSegmentInput = builder.inputType('UpdateSegmentInput', {
  fields: (t) => ({ id: t.id({ required: true }), name: t.string(), definition: t.field({ type: 'JSONObject' }) }),
});
const SegmentIdInput = builder.inputType('SegmentIdInput', { fields: (t) => ({ id: t.id({ required: true }) }) });
const SegmentPayload = builder.objectRef<{ segment: SegmentRow }>('SegmentPayload').implement({
  fields: (t) => ({ segment: t.field({ type: SegmentType, resolve: (payload) => payload.segment }) }),
});

const segmentErrors = { types: [SegmentNotFoundError], directResult: true as const };

builder.mutationFields((t) => ({
  createSegment: t.field({
    type: SegmentPayload,
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateSegmentInput, required: true }) },
    errors: { types: [], directResult: true, union: { name: 'CreateSegmentResult' } },
    resolve: async (_root, { input }, context) => {
      const { name } = parseInput(nameSchema, { name: input.name });
      return { segment: await context.services.segments.create(programIdOf(context), { name, definition: input.definition }) };
    },
  }),
  updateSegment: t.field({
    type: SegmentPayload,
    authScopes: { admin: true },
    args: { input: t.arg({ type: UpdateSegmentInput, required: true }) },
    errors: { ...segmentErrors, union: { name: 'UpdateSegmentResult' } },
    resolve: async (_root, { input }, context) => {
      const name = input.name == null ? null : parseInput(nameSchema, { name: input.name }).name;
      return {
        segment: await context.services.segments.update(programIdOf(context), segmentIdFrom(input.id), {
          name,
          definition: input.definition,
        }),
      };
    },
  }),
  archiveSegment: t.field({
    type: SegmentPayload,
    authScopes: { admin: true },
    args: { input: t.arg({ type: SegmentIdInput, required: true }) },
    errors: { ...segmentErrors, union: { name: 'ArchiveSegmentResult' } },
    resolve: async (_root, { input }, context) => ({
      segment: await context.services.segments.archive(programIdOf(context), segmentIdFrom(input.id)),
    }),
  }),
  refreshSegment: t.field({
    type: SegmentPayload,
    authScopes: { admin: true },
    args: { input: t.arg({ type: SegmentIdInput, required: true }) },
    errors: { ...segmentErrors, union: { name: 'RefreshSegmentResult' } },
    resolve: async (_root, { input }, context) => ({
      segment: await context.services.segments.refresh(programIdOf(context), segmentIdFrom(input.id)),
    }),
  }),
}));

builder.queryFields((t) => ({
  segments: t.connection({
    type: SegmentType,
    args: { includeArchived: t.arg.boolean({ defaultValue: false }) },
    authScopes: program,
    resolve: (_root, args, context) =>
      connectionById(args, (page) => context.services.segments.list(programIdOf(context), page, args.includeArchived ?? false)),
  }),
  segment: t.field({
    type: SegmentType,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    authScopes: program,
    resolve: (_root, { id }, context) => context.services.segments.get(programIdOf(context), segmentIdFrom(id)),
  }),
}));

builder.objectFields(MemberType, (t) => ({
  segments: t.field({
    type: [SegmentType],
    authScopes: program,
    resolve: (member, _args, context) => context.services.segments.ofMember(member.programId, member.id),
  }),
}));
