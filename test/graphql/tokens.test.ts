import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../src/platform/auth/sign';
import { createTestApp, TEST_SECRET, type TestApp } from '../support/test-app';

const key = new TextEncoder().encode(TEST_SECRET);
const now = () => Math.floor(Date.now() / 1000);

/** A token with exactly the given times (seconds since the epoch; undefined leaves the claim out). */
function tokenWith(times: { iat?: number; exp?: number }, claims: Record<string, unknown> = { role: 'admin', program: 'acme' }) {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('ops');
  if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
  if (times.exp !== undefined) jwt.setExpirationTime(times.exp);
  return jwt.sign(key);
}

const QUERY = '{ program { id } }';

describe('token rules, from the outside', () => {
  let app: TestApp;
  let longMembers: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    longMembers = await createTestApp({
      env: { MEMBER_TOKEN_MAX_LIFETIME_SECONDS: String(90 * 24 * 3600), TOKEN_MAX_LIFETIME_SECONDS: String(3600) },
    });
  });
  afterAll(() => {
    app.close();
    longMembers.close();
  });

  async function expectRefused(target: TestApp, token: string, message: RegExp) {
    const response = await target.graphql(QUERY, {}, token);
    expect(response.status).toBe(401);
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'UNAUTHENTICATED' } });
  }

  it('accepts a token of 24 hours (what npm run token signs) and one with a little clock skew', async () => {
    for (const token of [
      await signToken(TEST_SECRET, { role: 'admin', programId: 'acme', subject: 'ops', expiresIn: '24h' }),
      await tokenWith({ iat: now() + 30, exp: now() + 3600 }),
    ]) {
      const response = await app.graphql(QUERY, {}, token);
      expect(response.data).toEqual({ program: { id: expect.any(String) } });
    }
  });

  it('refuses a token without exp, one that lives past the limit, an expired one and an iat in the future', async () => {
    await expectRefused(app, await tokenWith({ iat: now() }), /no expiry/);
    await expectRefused(app, await tokenWith({}), /no expiry/);
    await expectRefused(app, await tokenWith({ iat: now(), exp: now() + 24 * 3600 + 60 }), /lives too long/);
    await expectRefused(app, await tokenWith({ exp: now() + 25 * 3600 }), /lives too long/);
    await expectRefused(app, await tokenWith({ iat: now() - 7200, exp: now() - 3600 }), /expired/);
    await expectRefused(app, await tokenWith({ iat: now() + 600, exp: now() + 1200 }), /future/);
  });

  it('allows longer member tokens only where configured, and shorter tokens for the other roles there', async () => {
    const member = (_target: TestApp) => tokenWith({ iat: now(), exp: now() + 30 * 24 * 3600 }, { role: 'member', program: 'acme' });
    await expectRefused(app, await member(app), /lives too long/);
    const response = await longMembers.graphql('{ me { id } }', {}, await member(longMembers));
    expect(response.status).toBe(200);
    expect(response.errors?.[0]?.extensions?.code).not.toBe('UNAUTHENTICATED');
    await expectRefused(longMembers, await tokenWith({ iat: now(), exp: now() + 2 * 3600 }), /lives too long/);
  });

  it('refuses an Authorization header that is not exactly "Bearer <token>"', async () => {
    const token = await app.token({ role: 'admin' });
    for (const header of [`Bearer ${token} junk`, `Bearer ${token} ${token}`, `Basic ${token}`, 'Bearer', `${token}`]) {
      const response = await app.app.request('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: header },
        body: JSON.stringify({ query: QUERY }),
      });
      expect(response.status, header).toBe(401);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });
});
