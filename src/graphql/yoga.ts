import { createYoga, maskError, type YogaServerInstance } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Config } from '../config';
import { AuthenticationError, type TokenVerifier } from '../platform/auth/verifier';
import { describeCause, isDatabaseUnreachable } from '../platform/db/health';
import { DomainError } from '../platform/errors';
import type { Services } from '../services';
import type { GraphQLContext } from './context';
import { graphiqlOptions } from './graphiql';
import { limitPlugins } from './limits';
import { schema } from './schema';

export interface YogaDeps {
  config: Config;
  services: Services;
  verifyToken: TokenVerifier;
  /** Receives unexpected (masked) errors with their stack. */
  logger: Pick<Console, 'log' | 'warn' | 'error'>;
}

async function authenticate(request: Request, verifyToken: TokenVerifier, services: Services) {
  const header = request.headers.get('authorization');
  if (!header) return null;
  const [scheme, token] = header.split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token) {
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
  return principal;
}

/**
 * graphql-yoga over the Pothos schema. Expected errors keep their message and `extensions.code`;
 * anything unexpected is masked. GraphiQL and introspection are off in production.
 */
export function createGraphQLServer({ config, services, verifyToken, logger }: YogaDeps): YogaServerInstance<object, GraphQLContext> {
  const production = !config.graphql.introspection;
  return createYoga<object, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: graphiqlOptions(config),
    landingPage: false,
    logging: { debug: () => {}, info: logger.log, warn: logger.warn, error: logger.error },
    plugins: [...limitPlugins({ production }), ...(production ? [useDisableIntrospection()] : [])],
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
    context: async ({ request }) => ({ principal: await authenticate(request, verifyToken, services), services }),
  });
}
