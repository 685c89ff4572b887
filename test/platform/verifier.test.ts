import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { AuthenticationError, createTokenVerifier } from '../../src/platform/auth/verifier';
import { signToken } from '../../src/platform/auth/sign';

describe('JWKS verification', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: CryptoKey;

  /** What the JWKS URL serves: key-1, until a test rotates it out. */
  let keySet: object[];
  let jwk: object;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    keySet = [jwk];
    server = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: keySet }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  afterEach(() => {
    vi.useRealTimers();
    keySet = [jwk];
  });

  const rs256 = (claims: Record<string, unknown>, key = privateKey, lifetime = '5m') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setSubject('m-1')
      .setIssuer('https://id.example.com')
      .setAudience('edge-loyalty')
      .setExpirationTime(lifetime)
      .sign(key);

  it('accepts an RS256 token signed by a key of the JWKS, with issuer and audience checked', async () => {
    const verify = createTokenVerifier({
      jwksUrl,
      issuer: 'https://id.example.com',
      audience: 'edge-loyalty',
      usingDevelopmentSecret: false,
    });
    await expect(verify(await rs256({ role: 'member', program: 'acme' }))).resolves.toEqual({
      role: 'member',
      programId: 'acme',
      subject: 'm-1',
      memberId: 'm-1',
    });
  });

  it('rejects another key, a wrong audience, and an HS256 token when JWKS is configured', async () => {
    const verify = createTokenVerifier({
      jwksUrl,
      issuer: 'https://id.example.com',
      audience: 'edge-loyalty',
      usingDevelopmentSecret: false,
    });
    const stranger = await generateKeyPair('RS256');
    await expect(verify(await rs256({ role: 'admin', program: 'acme' }, stranger.privateKey))).rejects.toThrow(AuthenticationError);
    const wrongAudience = createTokenVerifier({ jwksUrl, audience: 'someone-else', usingDevelopmentSecret: false });
    await expect(wrongAudience(await rs256({ role: 'admin', program: 'acme' }))).rejects.toThrow(AuthenticationError);
    const hs = await signToken('a-shared-secret-that-is-long-enough-to-use', { role: 'admin', programId: 'acme', subject: 'x' });
    await expect(verify(hs)).rejects.toThrow(AuthenticationError);
  });

  it('remembers a verified token only until its key set is refreshed: a key rotated out of the JWKS stops being accepted', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const verify = createTokenVerifier({ jwksUrl, usingDevelopmentSecret: false });
    const token = await rs256({ role: 'admin', program: 'acme' }, privateKey, '2h');
    await expect(verify(token)).resolves.toMatchObject({ role: 'admin' });
    keySet = [];
    // jose keeps a fetched key set for 5 minutes, and a remembered token is verified again after a minute.
    vi.setSystemTime(Date.now() + 7 * 60_000);
    await expect(verify(token)).rejects.toThrow(AuthenticationError);
  });
});

describe('remembered tokens (the verifier checks a token once, not on every request)', () => {
  const secret = 'a-shared-secret-that-is-long-enough-to-use';
  afterEach(() => vi.useRealTimers());

  it('refuses a remembered token once it has expired, as jose would (the clock skew included)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const verify = createTokenVerifier({ secret, usingDevelopmentSecret: false, clockSkewSeconds: 60 });
    const token = await signToken(secret, { role: 'storefront', programId: 'acme', subject: 'shop', expiresIn: '120s' });
    await expect(verify(token)).resolves.toMatchObject({ role: 'storefront' });
    vi.setSystemTime(Date.now() + 170_000);
    await expect(verify(token)).resolves.toMatchObject({ role: 'storefront' });
    vi.setSystemTime(Date.now() + 20_000);
    await expect(verify(token)).rejects.toThrow('Token expired');
  });

  it('refuses a token whose signature was changed, after the genuine one was remembered', async () => {
    const verify = createTokenVerifier({ secret, usingDevelopmentSecret: false });
    const token = await signToken(secret, { role: 'admin', programId: 'acme', subject: 'x' });
    await expect(verify(token)).resolves.toMatchObject({ role: 'admin' });
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(verify(tampered)).rejects.toThrow(AuthenticationError);
    const other = await signToken('another-shared-secret-long-enough-to-use!', { role: 'admin', programId: 'acme', subject: 'x' });
    await expect(verify(other)).rejects.toThrow(AuthenticationError);
  });

  it('hands out a copy: a caller changing its principal does not change what the next request gets', async () => {
    const verify = createTokenVerifier({ secret, usingDevelopmentSecret: false });
    const token = await signToken(secret, { role: 'storefront', programId: 'acme', subject: 'shop' });
    const first = await verify(token);
    (first as { programId: string }).programId = 'other';
    await expect(verify(token)).resolves.toMatchObject({ programId: 'acme' });
  });
});

describe('shared-secret verification', () => {
  const secret = 'a-shared-secret-that-is-long-enough-to-use';
  it('maps claims to a principal for every role', async () => {
    const verify = createTokenVerifier({ secret, usingDevelopmentSecret: false });
    await expect(verify(await signToken(secret, { role: 'storefront', programId: 'acme', subject: 'shop-key' }))).resolves.toEqual({
      role: 'storefront',
      programId: 'acme',
      subject: 'shop-key',
    });
    await expect(
      verify(await signToken(secret, { role: 'partner', programId: 'acme', subject: 'p', partnerId: 'beans' })),
    ).resolves.toMatchObject({ role: 'partner', partnerId: 'beans' });
  });

  it('checks issuer and audience when configured', async () => {
    const verify = createTokenVerifier({ secret, issuer: 'me', audience: 'you', usingDevelopmentSecret: false });
    await expect(verify(await signToken(secret, { role: 'admin', programId: 'acme', subject: 'x' }))).rejects.toThrow(AuthenticationError);
    await expect(
      verify(await signToken(secret, { role: 'admin', programId: 'acme', subject: 'x', issuer: 'me', audience: 'you' })),
    ).resolves.toMatchObject({ role: 'admin' });
  });
});
