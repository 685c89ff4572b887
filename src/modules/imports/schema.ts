import { builder } from '../../graphql/builder';
import { programIdOf } from '../../graphql/context';
import { upperCaseEnum } from '../../graphql/enums';
import { CartLineInput } from '../checkout';
import { profileFields } from '../members';
import { importRejectionCodes, type ImportRejection } from './inputs';
import type { ImportMembersResult, ImportOrdersResult } from './service';

const ImportRejectionCode = upperCaseEnum('ImportRejectionCode', importRejectionCodes);

const ImportRejectionType = builder.objectRef<ImportRejection>('ImportRejection').implement({
  fields: (t) => ({
    index: t.exposeInt('index'),
    id: t.exposeString('id', { nullable: true }),
    code: t.field({ type: ImportRejectionCode, resolve: (rejection) => rejection.code }),
    message: t.exposeString('message'),
    path: t.exposeStringList('path'),
  }),
});

const ImportOrderInput = builder.inputType('ImportOrderInput', {
  fields: (t) => ({
    memberExternalId: t.string({ required: true }),
    orderId: t.string({ required: true }),
    placedAt: t.field({ type: 'DateTime', required: true }),
    currency: t.string({ required: true }),
    total: t.field({ type: 'SafeInt' }),
    discount: t.field({ type: 'SafeInt' }),
    lines: t.field({ type: [CartLineInput] }),
    attributes: t.field({ type: 'Attributes' }),
  }),
});

const ImportOrdersInput = builder.inputType('ImportOrdersInput', {
  fields: (t) => ({
    orders: t.field({ type: [ImportOrderInput], required: true }),
    earnPoints: t.boolean({ defaultValue: false }),
  }),
});

const ImportMemberInput = builder.inputType('ImportMemberInput', {
  fields: (t) => ({ ...profileFields(t), externalId: t.string({ required: true }) }),
});

const ImportMembersInput = builder.inputType('ImportMembersInput', {
  fields: (t) => ({ members: t.field({ type: [ImportMemberInput], required: true }) }),
});

const ImportOrdersPayload = builder.objectRef<ImportOrdersResult>('ImportOrdersPayload').implement({
  fields: (t) => ({
    imported: t.exposeInt('imported'),
    skipped: t.exposeInt('skipped'),
    rejected: t.field({ type: [ImportRejectionType], resolve: (result) => result.rejected }),
  }),
});

const ImportMembersPayload = builder.objectRef<ImportMembersResult>('ImportMembersPayload').implement({
  fields: (t) => ({
    created: t.exposeInt('created'),
    updated: t.exposeInt('updated'),
    rejected: t.field({ type: [ImportRejectionType], resolve: (result) => result.rejected }),
  }),
});

builder.mutationFields((t) => ({
  importOrders: t.field({
    type: ImportOrdersPayload,
    authScopes: { admin: true },
    args: { input: t.arg({ type: ImportOrdersInput, required: true }) },
    errors: { types: [], directResult: true, union: { name: 'ImportOrdersResult' } },
    resolve: (_root, { input }, context) =>
      context.services.imports.importOrders(programIdOf(context), input.orders as unknown as Record<string, unknown>[], {
        earnPoints: input.earnPoints ?? false,
      }),
  }),
  importMembers: t.field({
    type: ImportMembersPayload,
    authScopes: { admin: true },
    args: { input: t.arg({ type: ImportMembersInput, required: true }) },
    errors: { types: [], directResult: true, union: { name: 'ImportMembersResult' } },
    resolve: (_root, { input }, context) =>
      context.services.imports.importMembers(programIdOf(context), input.members as unknown as Record<string, unknown>[]),
  }),
}));
