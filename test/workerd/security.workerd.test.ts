import { exports } from 'cloudflare:workers';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { SECRET } from './client';

/** A raw POST to the Worker, from a client address of the test's choosing (Cloudflare sets CF-Connecting-IP). */
function post(body: unknown, headers: Record<string, string> = {}) {
  return exports.default.fetch('http://edge-loyalty.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('the Worker: rate limits through the Rate Limiting binding, token rules, body limit', () => {
  it('answers an anonymous flood from one address with 429, Retry-After and RATE_LIMITED (budget 40 in the test project)', async () => {
    // The binding counts in windows aligned to the clock's minutes: start the flood well inside one.
    const leftInWindow = 60_000 - (Date.now() % 60_000);
    if (leftInWindow < 10_000) await new Promise((resolve) => setTimeout(resolve, leftInWindow + 100));
    const address = `198.51.100.${Math.floor(Math.random() * 200) + 1}`;
    const flood = await Promise.all(Array.from({ length: 45 }, () => post({ query: '{ __typename }' }, { 'cf-connecting-ip': address })));
    const statuses = flood.map((response) => response.status);
    const refused = flood.find((response) => response.status === 429);
    await Promise.all(flood.filter((response) => response !== refused).map((response) => response.body?.cancel()));
    expect(statuses.filter((status) => status === 200)).toHaveLength(40);
    expect(statuses.filter((status) => status === 429)).toHaveLength(5);
    expect(refused!.headers.get('retry-after')).toBe('60');
    expect(await refused!.json()).toEqual({
      errors: [{ message: 'Too many requests: try again in 60 s', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 60 } }],
    });
    // Another address has its own budget.
    expect((await post({ query: '{ __typename }' }, { 'cf-connecting-ip': '192.0.2.77' })).status).toBe(200);
  });

  it('refuses a token without exp and one that lives longer than the limit', async () => {
    const key = new TextEncoder().encode(SECRET);
    const now = Math.floor(Date.now() / 1000);
    const noExpiry = await new SignJWT({ role: 'admin', program: 'acme' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('ops')
      .setIssuedAt(now)
      .sign(key);
    const tooLong = await new SignJWT({ role: 'admin', program: 'acme' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('ops')
      .setIssuedAt(now)
      .setExpirationTime(now + 30 * 86_400)
      .sign(key);
    for (const [token, message] of [
      [noExpiry, /no expiry/],
      [tooLong, /lives too long/],
    ] as const) {
      const response = await post({ query: '{ program { id } }' }, { authorization: `Bearer ${token}` });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
      expect(body.errors[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'UNAUTHENTICATED' } });
    }
  });

  it('refuses a body over 1 MB with 413', async () => {
    const response = await post({ query: '{ __typename }', variables: { padding: 'x'.repeat(1024 * 1024) } });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe(
      'PAYLOAD_TOO_LARGE',
    );
  });
});
