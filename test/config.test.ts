import { describe, expect, it } from 'vitest';
import { ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig } from '../src/config';

const secret = 'a-production-secret-of-at-least-32-chars';

describe('loadConfig', () => {
  it('gives Node outside production the development secret and local defaults', () => {
    const config = loadConfig({}, 'node');
    expect(config).toMatchObject({
      environment: 'development',
      auth: { secret: DEVELOPMENT_JWT_SECRET, usingDevelopmentSecret: true },
      libsql: { url: 'file:.data/loyalty.db' },
      port: 8787,
      defaultProgram: { id: 'default' },
      graphql: { graphiql: true, introspection: true },
    });
  });

  it.each([
    ['Node with NODE_ENV=production', { NODE_ENV: 'production' }, 'node'],
    ['Node with ENVIRONMENT=production', { ENVIRONMENT: 'production' }, 'node'],
    ['Workers', { LIBSQL_URL: 'https://db.example.com' }, 'workers'],
    ['Workers in development', { LIBSQL_URL: 'https://db.example.com', ENVIRONMENT: 'development' }, 'workers'],
  ] as const)('refuses to start without a secret on %s', (_name, env, runtime) => {
    expect(() => loadConfig(env, runtime)).toThrow(ConfigError);
    expect(() => loadConfig(env, runtime)).toThrow(/set JWT_SECRET .* or JWT_JWKS_URL/);
  });

  it('runs the scheduled jobs in the process unless SCHEDULED_JOBS=false, and refuses another value', () => {
    expect(loadConfig({}, 'node').scheduledJobs).toBe(true);
    expect(loadConfig({ SCHEDULED_JOBS: 'true' }, 'node').scheduledJobs).toBe(true);
    expect(loadConfig({ SCHEDULED_JOBS: 'false' }, 'node').scheduledJobs).toBe(false);
    expect(() => loadConfig({ SCHEDULED_JOBS: 'off' }, 'node')).toThrow(/SCHEDULED_JOBS/);
  });

  it('refuses a short secret and a Worker without LIBSQL_URL', () => {
    expect(() => loadConfig({ JWT_SECRET: 'short' }, 'node')).toThrow(/at least 32 characters/);
    expect(() => loadConfig({ JWT_SECRET: secret }, 'workers')).toThrow(/LIBSQL_URL/);
  });

  it('runs production with a secret or a JWKS URL, GraphiQL and introspection off', () => {
    const fingerprints = { FINGERPRINT_SECRET: 'a-fingerprint-key-of-at-least-32-characters' };
    expect(loadConfig({ JWT_SECRET: secret, NODE_ENV: 'production', ...fingerprints }, 'node')).toMatchObject({
      environment: 'production',
      auth: { secret, usingDevelopmentSecret: false },
      graphql: { graphiql: false, introspection: false },
    });
    const jwks = loadConfig(
      { JWT_JWKS_URL: 'https://id.example.com/.well-known/jwks.json', LIBSQL_URL: 'libsql://x.turso.io', ...fingerprints },
      'workers',
    );
    expect(jwks.auth).toMatchObject({ jwksUrl: 'https://id.example.com/.well-known/jwks.json', secret: undefined });
    expect(jwks.environment).toBe('production');
  });

  it('reads the security settings, with development defaults and production defaults', () => {
    const development = loadConfig({}, 'node');
    expect(development.auth).toMatchObject({ maxLifetimeSeconds: { member: 86_400, other: 86_400 }, clockSkewSeconds: 60 });
    expect(development.cors).toEqual({ origins: ['*'], credentials: false });
    expect(development.rateLimits).toEqual({ anonymous: 60, member: 120, partner: 300, admin: 600, storefront: 1200, expensive: 30 });
    expect(development.bodyLimitBytes).toBe(1_048_576);
    const production = loadConfig(
      {
        JWT_SECRET: secret,
        NODE_ENV: 'production',
        FINGERPRINT_SECRET: 'k'.repeat(32),
        FINGERPRINT_PREVIOUS_SECRETS: `${'o'.repeat(32)}, ${'p'.repeat(32)}`,
        CORS_ORIGINS: 'https://shop.example.com, https://app.example.com',
        CORS_CREDENTIALS: 'true',
        MEMBER_TOKEN_MAX_LIFETIME_SECONDS: '2592000',
        RATE_LIMIT_ANONYMOUS_PER_MINUTE: '10',
      },
      'node',
    );
    expect(production.cors).toEqual({ origins: ['https://shop.example.com', 'https://app.example.com'], credentials: true });
    expect(production.fingerprints).toEqual({ secret: 'k'.repeat(32), previousSecrets: ['o'.repeat(32), 'p'.repeat(32)] });
    expect(production.auth.maxLifetimeSeconds).toEqual({ member: 2_592_000, other: 86_400 });
    expect(production.rateLimits.anonymous).toBe(10);
    expect(loadConfig({ JWT_SECRET: secret, NODE_ENV: 'production', FINGERPRINT_SECRET: 'k'.repeat(32) }, 'node').cors.origins).toEqual([]);
    expect(() => loadConfig({ JWT_SECRET: secret, NODE_ENV: 'production' }, 'node')).toThrow(/FINGERPRINT_SECRET/);
    expect(() => loadConfig({ RATE_LIMIT_ADMIN_PER_MINUTE: '0' }, 'node')).toThrow(/RATE_LIMIT_ADMIN_PER_MINUTE/);
  });
});
