import { z } from 'zod';

export type Environment = 'development' | 'test' | 'production';
export type Runtime = 'node' | 'workers';

/** Used only by Node outside production, so that `npm start` works with nothing configured. */
export const DEVELOPMENT_JWT_SECRET = 'edge-loyalty-local-development-secret-do-not-use-in-production';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const optionalString = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .optional();

const envSchema = z.object({
  ENVIRONMENT: optionalString.pipe(z.enum(['development', 'test', 'production']).optional()),
  NODE_ENV: optionalString,
  JWT_SECRET: optionalString.refine((secret) => secret === undefined || secret.length >= 32, {
    message: 'JWT_SECRET must be at least 32 characters',
  }),
  JWT_JWKS_URL: z.url().optional(),
  JWT_ISSUER: optionalString,
  JWT_AUDIENCE: optionalString,
  LIBSQL_URL: optionalString,
  LIBSQL_AUTH_TOKEN: optionalString,
  PORT: z.coerce.number().int().min(1).max(65535).optional(),
  DEFAULT_PROGRAM_ID: optionalString,
  DEFAULT_PROGRAM_NAME: optionalString,
});

export interface AuthConfig {
  secret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** True when the built-in development secret is in use. */
  usingDevelopmentSecret: boolean;
}

export interface Config {
  environment: Environment;
  auth: AuthConfig;
  libsql: { url: string; authToken?: string };
  port: number;
  defaultProgram: { id: string; name: string };
  graphql: { graphiql: boolean; introspection: boolean };
}

/**
 * Reads and checks configuration from environment variables (Node `process.env`, Workers `env`).
 * Fails with one clear message listing every problem rather than starting half-configured.
 */
export function loadConfig(env: object, runtime: Runtime): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const vars = parsed.data;
  const environment: Environment =
    vars.ENVIRONMENT ?? (runtime === 'workers' || vars.NODE_ENV === 'production' ? 'production' : 'development');
  const isProduction = environment === 'production' || vars.NODE_ENV === 'production';

  const mayUseDevelopmentSecret = runtime === 'node' && !isProduction;
  if (!vars.JWT_SECRET && !vars.JWT_JWKS_URL && !mayUseDevelopmentSecret) {
    throw new ConfigError(
      `Refusing to start: set JWT_SECRET (HS256 shared secret, at least 32 characters) or JWT_JWKS_URL ` +
        `(RS256/EdDSA keys). The built-in development secret is only used by Node outside production.`,
    );
  }
  if (!vars.LIBSQL_URL && runtime === 'workers') {
    throw new ConfigError('Refusing to start: set LIBSQL_URL (and LIBSQL_AUTH_TOKEN) to your libSQL database.');
  }
  const usingDevelopmentSecret = !vars.JWT_SECRET && !vars.JWT_JWKS_URL;

  return {
    environment,
    auth: {
      secret: vars.JWT_SECRET ?? (usingDevelopmentSecret ? DEVELOPMENT_JWT_SECRET : undefined),
      jwksUrl: vars.JWT_JWKS_URL,
      issuer: vars.JWT_ISSUER,
      audience: vars.JWT_AUDIENCE,
      usingDevelopmentSecret,
    },
    libsql: { url: vars.LIBSQL_URL ?? 'file:.data/loyalty.db', authToken: vars.LIBSQL_AUTH_TOKEN },
    port: vars.PORT ?? 8787,
    defaultProgram: {
      id: vars.DEFAULT_PROGRAM_ID ?? 'default',
      name: vars.DEFAULT_PROGRAM_NAME ?? 'Default program',
    },
    graphql: { graphiql: !isProduction, introspection: !isProduction },
  };
}
