import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import { GraphQLError } from 'graphql';
import { InvalidInputError } from '../platform/errors';
import type { GraphQLContext } from './context';
import { queryLimits } from './limits';
import PageComplexityPlugin, { documentComplexityPlugin } from './page-complexity';

export interface AuthScopes {
  /** Any valid token of the program. */
  authenticated: boolean;
  admin: boolean;
  storefront: boolean;
  /** A member token (for `me`). */
  member: boolean;
  /** A member token whose subject is the given member id. */
  self: string;
  /** A partner token (for the partner's own records). */
  partner: boolean;
  /** A partner token of the given partner id. */
  ownPartner: string;
}

/** The one Pothos builder; it defines no types itself (module `schema.ts` files do). */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    SafeInt: { Input: number; Output: number };
    Attributes: { Input: Record<string, string | number | boolean>; Output: Record<string, unknown> };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
  };
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin, DataloaderPlugin, documentComplexityPlugin, PageComplexityPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: ({ principal }) => ({
      authenticated: principal !== null,
      admin: principal?.role === 'admin',
      storefront: principal?.role === 'storefront',
      member: principal?.role === 'member',
      self: (memberId) => principal?.role === 'member' && principal.memberId === memberId,
      partner: principal?.role === 'partner',
      ownPartner: (partnerId) => principal?.role === 'partner' && principal.partnerId === partnerId,
    }),
    unauthorizedError: (_parent, context) =>
      context.principal
        ? new GraphQLError('Not allowed for this token', { extensions: { code: 'FORBIDDEN' } })
        : new GraphQLError('Authentication required: send Authorization: Bearer <token>', {
            extensions: { code: 'UNAUTHENTICATED' },
          }),
  },
  errors: { defaultTypes: [InvalidInputError] },
  complexity: {
    limit: { complexity: queryLimits.maxComplexity },
    complexityError: (_kind, { complexity, maxComplexity }) =>
      new GraphQLError(`Query too complex: ${complexity} (with its variables), at most ${maxComplexity} allowed`, {
        extensions: { code: 'QUERY_TOO_COMPLEX' },
      }),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: { authScopes: { authenticated: true } },
    nodesQueryOptions: { authScopes: { authenticated: true } },
  },
});

builder.queryType({});
builder.mutationType({});

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;
export type InputFieldBuilder = PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>;
/** The `t` of an object type's fields, for helpers that add the same fields to several types. */
export type ObjectFieldBuilder<Shape> = PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, Shape>;
