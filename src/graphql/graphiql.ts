import type { GraphiQLOptions } from 'graphql-yoga';
import type { Config } from '../config';
import { signToken } from '../platform/auth/sign';

/** How long the token GraphiQL is opened with stays valid; reloading the page brings a new one. */
const DEVELOPMENT_TOKEN_LIFETIME = '8h';

/**
 * GraphiQL's options: off in production; in development (and only there) its Authorization header
 * is filled in with an admin token of the default program, so the first query in the browser works.
 */
export function graphiqlOptions(config: Config): false | (() => Promise<GraphiQLOptions>) {
  if (!config.graphql.graphiql) return false;
  const secret = config.auth.secret;
  const prefill = config.environment === 'development' && secret !== undefined;
  return async () => {
    if (!prefill) return { title: 'edge-loyalty' };
    const token = await signToken(secret, {
      role: 'admin',
      programId: config.defaultProgram.id,
      subject: 'graphiql-development',
      expiresIn: DEVELOPMENT_TOKEN_LIFETIME,
      issuer: config.auth.issuer,
      audience: config.auth.audience,
    });
    const headers = JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2);
    return { title: 'edge-loyalty (development: signed in as an admin of the default program)', headers, defaultHeaders: headers };
  };
}
