import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { AuthenticationError, createTokenVerifier } from '../../src/platform/auth/verifier';
import { signToken } from '../../src/platform/auth/sign';

describe('JWKS verification', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    server = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const rs256 = (claims: Record<string, unknown>, key = privateKey) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setSubject('m-1')
      .setIssuer('https://id.example.com')
      .setAudience('edge-loyalty')
      .setExpirationTime('5m')
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
