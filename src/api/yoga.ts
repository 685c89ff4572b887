import { createYoga, maskError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Config } from '../config';
import { AuthenticationError, type TokenVerifier } from '../platform/auth/verifier';
import { describeCause, isDatabaseUnreachable } from '../platform/db/health';
import { DomainError } from '../platform/errors';
import type { Services } from '../services';
import type { GraphQLContext } from '../graphql/context';
import { graphiqlOptions, renderGraphiQL } from '../graphql/graphiql';
import { hideOriginalErrors } from '../graphql/hide-original-errors';
import { limitPlugins } from '../graphql/limits';
import { rateLimitExpensiveOperations } from '../graphql/rate-limit';
import type { Principal } from '../platform/auth/principal';
import type { RateLimiter } from '../platform/rate-limit/limiter';
import { schema } from './schema';

export interface YogaDeps {
  config: Config;
  services: Services;
  rateLimiter: RateLimiter;
  /** Receives unexpected (masked) errors with their stack. */
  logger: Pick<Console, 'log' | 'warn' | 'error'>;
  /** The runtime's own plugins, last: Node's graphql-jit execution (platform/node/graphql-jit.ts). */
  plugins?: Plugin[];
}

/** What the HTTP layer hands yoga with each request: the caller, authenticated once, and who they count as. */
export interface RequestContext {
  /** Rejects with the 401 GraphQL error of a bad token. */
  authentication: Promise<Principal | null>;
  rateLimitKey: string;
}

/** The caller of a request: null without an Authorization header; a 401 GraphQL error for a bad one. */
export async function authenticate(request: Request, verifyToken: TokenVerifier, services: Services): Promise<Principal | null> {
  const header = request.headers.get('authorization');
  if (!header) return null;
  // Exactly a scheme and one token: `Bearer <token> junk` is not a token.
  const [scheme, token, ...rest] = header.trim().split(/\s+/);
  if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0) {
    throw new GraphQLError('Authorization header must be "Bearer <token>"', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
  let principal;
  try {
    principal = await verifyToken(token);
  } catch (error) {
    if (!(error instanceof AuthenticationError)) throw error;
    throw new GraphQLError(error.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  }
  if (!(await services.programs.exists(principal.programId))) {
    throw new GraphQLError(`The token is bound to program "${principal.programId}", which does not exist`, {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
  if (principal.role === 'partner' && !(await services.partners.isActive(principal.programId, principal.partnerId))) {
    throw new GraphQLError(`The token's partner "${principal.partnerId}" does not exist or is not ACTIVE`, {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
  return principal;
}

/**
 * graphql-yoga over the Pothos schema. Expected errors keep their message and `extensions.code`;
 * anything unexpected is masked. GraphiQL and introspection are off in production.
 */
export function createGraphQLServer({
  config,
  services,
  rateLimiter,
  logger,
  plugins = [],
}: YogaDeps): YogaServerInstance<RequestContext, GraphQLContext> {
  const production = !config.graphql.introspection;
  return createYoga<RequestContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: graphiqlOptions(config),
    renderGraphiQL,
    landingPage: false,
    logging: { debug: () => {}, info: logger.log, warn: logger.warn, error: logger.error },
    // CORS is the HTTP layer's (app.ts), from CORS_ORIGINS; yoga's default would reflect any origin.
    cors: false,
    // So is the body limit (BODY_LIMIT_BYTES, chunked bodies included): yoga's own would pipe every
    // request body through one more stream to count it again, at a cost on each request.
    maxRequestBodySize: false,
    plugins: [
      ...limitPlugins({ production }),
      rateLimitExpensiveOperations(rateLimiter),
      ...(production ? [useDisableIntrospection(), hideOriginalErrors()] : []),
      ...plugins,
    ],
    maskedErrors: {
      maskError(error, message, isDev) {
        const original = error instanceof GraphQLError ? error.originalError : undefined;
        if (isDatabaseUnreachable(original ?? error)) {
          logger.error(`GraphQL: the database cannot be reached: ${describeCause(original ?? error)}`);
          return new GraphQLError('The database cannot be reached; try again shortly.', {
            extensions: { code: 'DATABASE_UNAVAILABLE', http: { status: 503 } },
          });
        }
        if (original instanceof DomainError) {
          return new GraphQLError(original.message, {
            ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
            extensions: { code: original.code, ...original.details },
          });
        }
        return maskError(error, message, isDev);
      },
    },
    context: async ({ authentication, rateLimitKey }) => ({
      principal: await authentication,
      services,
      rateLimitKey,
      readInRequest: new Map(),
    }),
  });
}
