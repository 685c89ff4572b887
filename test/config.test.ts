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

  it('refuses a short secret and a Worker without LIBSQL_URL', () => {
    expect(() => loadConfig({ JWT_SECRET: 'short' }, 'node')).toThrow(/at least 32 characters/);
    expect(() => loadConfig({ JWT_SECRET: secret }, 'workers')).toThrow(/LIBSQL_URL/);
  });

  it('runs production with a secret or a JWKS URL, GraphiQL and introspection off', () => {
    expect(loadConfig({ JWT_SECRET: secret, NODE_ENV: 'production' }, 'node')).toMatchObject({
      environment: 'production',
      auth: { secret, usingDevelopmentSecret: false },
      graphql: { graphiql: false, introspection: false },
    });
    const jwks = loadConfig({ JWT_JWKS_URL: 'https://id.example.com/.well-known/jwks.json', LIBSQL_URL: 'libsql://x.turso.io' }, 'workers');
    expect(jwks.auth).toMatchObject({ jwksUrl: 'https://id.example.com/.well-known/jwks.json', secret: undefined });
    expect(jwks.environment).toBe('production');
  });
});
