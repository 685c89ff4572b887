import { z } from 'zod';
import type { FingerprintKeys } from './platform/fingerprints';
import type { RateLimitBucket } from './platform/rate-limit/limiter';

export type Environment = 'development' | 'test' | 'production';
export type Runtime = 'node' | 'workers';

/** Used only by Node outside production, so that `npm start` works with nothing configured. */
export const DEVELOPMENT_JWT_SECRET = 'edge-loyalty-local-development-secret-do-not-use-in-production';
/** Keys email fingerprints where FINGERPRINT_SECRET is not set (Node outside production only, like the JWT secret). */
export const DEVELOPMENT_FINGERPRINT_SECRET = 'edge-loyalty-local-fingerprint-secret-do-not-use-in-production';

const HOUR = 3600;

/** Requests per minute and principal (Node: RATE_LIMIT_<BUCKET>_PER_MINUTE); on Workers the `[[ratelimits]]` bindings of wrangler.toml. */
export const defaultRateLimits: Record<RateLimitBucket, number> = {
  anonymous: 60,
  member: 120,
  partner: 300,
  admin: 600,
  storefront: 1200,
  expensive: 30,
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const optionalString = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .optional();

const seconds = (min: number, max: number) => z.coerce.number().int().min(min).max(max).optional();
const perMinute = z.coerce.number().int().min(1).max(10_000_000).optional();
const secretSchema = optionalString.refine((secret) => secret === undefined || secret.length >= 32, {
  message: 'must be at least 32 characters',
});
/** A comma-separated list; empty entries dropped. */
const list = optionalString.transform((value) =>
  value
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

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
  TOKEN_MAX_LIFETIME_SECONDS: seconds(60, 366 * 24 * HOUR),
  MEMBER_TOKEN_MAX_LIFETIME_SECONDS: seconds(60, 366 * 24 * HOUR),
  TOKEN_CLOCK_SKEW_SECONDS: seconds(0, 600),
  FINGERPRINT_SECRET: secretSchema,
  FINGERPRINT_PREVIOUS_SECRETS: list.pipe(z.array(z.string().min(32, 'each previous secret must be at least 32 characters')).optional()),
  CORS_ORIGINS: list,
  CORS_CREDENTIALS: optionalString.pipe(z.enum(['true', 'false']).optional()),
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: perMinute,
  RATE_LIMIT_MEMBER_PER_MINUTE: perMinute,
  RATE_LIMIT_PARTNER_PER_MINUTE: perMinute,
  RATE_LIMIT_ADMIN_PER_MINUTE: perMinute,
  RATE_LIMIT_STOREFRONT_PER_MINUTE: perMinute,
  RATE_LIMIT_EXPENSIVE_PER_MINUTE: perMinute,
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .optional(),
  TRUST_PROXY: optionalString.pipe(z.enum(['true', 'false']).optional()),
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).optional(),
  GRAPHQL_JIT: optionalString.pipe(z.enum(['true', 'false']).optional()),
  MEMBER_STATE_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).optional(),
  SCHEDULED_JOBS: optionalString.pipe(z.enum(['true', 'false']).optional()),
});

export interface AuthConfig {
  secret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** True when the built-in development secret is in use. */
  usingDevelopmentSecret: boolean;
  /** Longest accepted lifetime (exp − iat) of a token, in seconds, for members and for every other role. */
  maxLifetimeSeconds?: { member: number; other: number };
  /** How far in the future an `iat` may be (clocks drift), in seconds. */
  clockSkewSeconds?: number;
}

/** `secret` keys new fingerprints (HMAC-SHA256); `previousSecrets` are still recognised (rotation). */
export type FingerprintConfig = FingerprintKeys;

export interface CorsConfig {
  /** Origins allowed to call from a browser; `*` for any. Empty: none (same-origin only). */
  origins: string[];
  credentials: boolean;
}

export interface Config {
  environment: Environment;
  auth: AuthConfig;
  libsql: { url: string; authToken?: string };
  port: number;
  defaultProgram: { id: string; name: string };
  /**
   * `jit`: Node executes with graphql-jit (GRAPHQL_JIT, default true; false runs graphql-js, for
   * comparison). Never on Workers, which refuse code generated at run time.
   */
  graphql: { graphiql: boolean; introspection: boolean; jit: boolean };
  /**
   * How many members' hot state (lots, balances, rules) the Node serializer keeps in memory
   * (MEMBER_STATE_CACHE_SIZE, default 10,000; 0 turns the cache off). On Workers each member's
   * Durable Object keeps its own, on unless this is 0.
   */
  memberStateCacheSize: number;
  /**
   * Whether `npm start` runs the cron jobs of wrangler.toml and the outbox dispatcher in its own
   * process (SCHEDULED_JOBS, default true). Off for a process whose jobs run elsewhere, and for the
   * benches, so that a timed window measures requests only.
   */
  scheduledJobs: boolean;
  fingerprints: FingerprintConfig;
  cors: CorsConfig;
  /** Requests per minute per principal and bucket (Node's limiter; Workers use bindings). */
  rateLimits: Record<RateLimitBucket, number>;
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes: number;
  /** Node behind a reverse proxy: the client's address is the first of X-Forwarded-For. */
  trustProxy: boolean;
  /** Days events and finished webhook deliveries are kept before the pruning job deletes them. */
  eventRetentionDays: number;
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
  if (!vars.FINGERPRINT_SECRET && !mayUseDevelopmentSecret) {
    throw new ConfigError(
      'Refusing to start: set FINGERPRINT_SECRET (at least 32 characters), the key of the email fingerprints kept after erasure.',
    );
  }
  const tokenLifetime = vars.TOKEN_MAX_LIFETIME_SECONDS ?? 24 * HOUR;

  return {
    environment,
    auth: {
      secret: vars.JWT_SECRET ?? (usingDevelopmentSecret ? DEVELOPMENT_JWT_SECRET : undefined),
      jwksUrl: vars.JWT_JWKS_URL,
      issuer: vars.JWT_ISSUER,
      audience: vars.JWT_AUDIENCE,
      usingDevelopmentSecret,
      maxLifetimeSeconds: { other: tokenLifetime, member: vars.MEMBER_TOKEN_MAX_LIFETIME_SECONDS ?? tokenLifetime },
      clockSkewSeconds: vars.TOKEN_CLOCK_SKEW_SECONDS ?? 60,
    },
    libsql: { url: vars.LIBSQL_URL ?? 'file:.data/loyalty.db', authToken: vars.LIBSQL_AUTH_TOKEN },
    port: vars.PORT ?? 8787,
    defaultProgram: {
      id: vars.DEFAULT_PROGRAM_ID ?? 'default',
      name: vars.DEFAULT_PROGRAM_NAME ?? 'Default program',
    },
    graphql: { graphiql: !isProduction, introspection: !isProduction, jit: runtime === 'node' && vars.GRAPHQL_JIT !== 'false' },
    memberStateCacheSize: vars.MEMBER_STATE_CACHE_SIZE ?? 10_000,
    scheduledJobs: vars.SCHEDULED_JOBS !== 'false',
    fingerprints: {
      secret: vars.FINGERPRINT_SECRET ?? DEVELOPMENT_FINGERPRINT_SECRET,
      previousSecrets: vars.FINGERPRINT_PREVIOUS_SECRETS ?? [],
    },
    cors: { origins: vars.CORS_ORIGINS ?? (isProduction ? [] : ['*']), credentials: vars.CORS_CREDENTIALS === 'true' },
    rateLimits: {
      anonymous: vars.RATE_LIMIT_ANONYMOUS_PER_MINUTE ?? defaultRateLimits.anonymous,
      member: vars.RATE_LIMIT_MEMBER_PER_MINUTE ?? defaultRateLimits.member,
      partner: vars.RATE_LIMIT_PARTNER_PER_MINUTE ?? defaultRateLimits.partner,
      admin: vars.RATE_LIMIT_ADMIN_PER_MINUTE ?? defaultRateLimits.admin,
      storefront: vars.RATE_LIMIT_STOREFRONT_PER_MINUTE ?? defaultRateLimits.storefront,
      expensive: vars.RATE_LIMIT_EXPENSIVE_PER_MINUTE ?? defaultRateLimits.expensive,
    },
    bodyLimitBytes: vars.BODY_LIMIT_BYTES ?? 1024 * 1024,
    trustProxy: vars.TRUST_PROXY === 'true',
    eventRetentionDays: vars.EVENT_RETENTION_DAYS ?? 30,
  };
}
