import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { createTestApp, UNTHROTTLED, type TestApp } from '../support/test-app';

/** A raw POST to /graphql, as any HTTP client would send it. */
function post(app: TestApp, body: string, headers: Record<string, string> = {}) {
  return app.app.request('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}
const query = (document: string) => JSON.stringify({ query: document });

describe('rate limits per principal, from the outside', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({
      env: {
        ...UNTHROTTLED,
        RATE_LIMIT_ANONYMOUS_PER_MINUTE: '5',
        RATE_LIMIT_STOREFRONT_PER_MINUTE: '8',
        RATE_LIMIT_ADMIN_PER_MINUTE: '50',
        RATE_LIMIT_EXPENSIVE_PER_MINUTE: '3',
      },
    });
  });
  afterAll(() => app.close());

  it('answers an anonymous flood with 429, Retry-After and RATE_LIMITED, per client address', async () => {
    const flood = await Promise.all(
      Array.from({ length: 12 }, () => post(app, query('{ __typename }'), { 'x-client-address': '203.0.113.7' })),
    );
    const statuses = flood.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(7);
    const refused = flood.find((response) => response.status === 429)!;
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await refused.json()).toEqual({
      errors: [
        { message: expect.stringMatching(/^Too many requests/), extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter } },
      ],
    });
    // Another client is not affected; a bad token counts as anonymous (it cannot buy a fresh budget).
    expect((await post(app, query('{ __typename }'), { 'x-client-address': '198.51.100.1' })).status).toBe(200);
    expect(
      (await post(app, query('{ __typename }'), { 'x-client-address': '203.0.113.7', authorization: 'Bearer not-a-token' })).status,
    ).toBe(429);
  });

  it('throttles a (stolen) storefront key as that key, from any address; other keys and roles keep their budget', async () => {
    const stolen = await app.token({ role: 'storefront', subject: 'shop-key-1' });
    const responses = [];
    for (let index = 0; index < 10; index++)
      responses.push(
        await post(app, query('{ program { id } }'), { authorization: `Bearer ${stolen}`, 'x-client-address': `10.0.0.${index}` }),
      );
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429, 429]);
    const otherKey = await app.token({ role: 'storefront', subject: 'shop-key-2' });
    expect((await post(app, query('{ program { id } }'), { authorization: `Bearer ${otherKey}` })).status).toBe(200);
    const sameSubjectOtherProgram = await app.token({ role: 'storefront', subject: 'shop-key-1', programId: 'globex' });
    expect((await post(app, query('{ program { id } }'), { authorization: `Bearer ${sameSubjectOtherProgram}` })).status).toBe(200);
  });

  it('gives expensive operations (quote, ledgerAudit, generatePromoCodes, runJob) a tighter budget of their own', async () => {
    const admin = await app.token({ role: 'admin', subject: 'auditor' });
    const audits = [];
    for (let index = 0; index < 5; index++) audits.push(await app.graphql('{ ledgerAudit { sound } }', {}, admin));
    expect(audits.map((response) => response.status)).toEqual([200, 200, 200, 429, 429]);
    expect(audits[3]).toMatchObject({
      errors: [
        {
          message: expect.stringMatching(/^Too many expensive operations/),
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
        },
      ],
    });
    expect(audits[3]!.data ?? null).toBeNull();
    const quote = await app.graphql('query { quote(cart: { currency: "EUR", total: 100 }) { __typename } }', {}, admin);
    expect(quote.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // Cheap requests of the same admin still pass.
    const cheap = await app.graphql('{ program { id } }', {}, admin);
    expect(cheap.status).toBe(200);
    expect(cheap.errors).toBeUndefined();
  });
});

describe('request bodies, errors and CORS', () => {
  let development: TestApp;
  let production: TestApp;
  beforeAll(async () => {
    development = await createTestApp();
    production = await createTestApp({
      env: { ENVIRONMENT: 'production', CORS_ORIGINS: 'https://shop.example.com,https://app.example.com' },
    });
  });
  afterAll(() => {
    development.close();
    production.close();
  });

  it('refuses a body over 1 MB with 413 and PAYLOAD_TOO_LARGE, and takes one just under it', async () => {
    const padding = (bytes: number) => JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(bytes) } });
    const tooLarge = await post(development, padding(1024 * 1024));
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toEqual({
      errors: [{ message: 'Request body larger than 1048576 bytes', extensions: { code: 'PAYLOAD_TOO_LARGE', maxBytes: 1_048_576 } }],
    });
    const fits = await post(development, padding(1024 * 1024 - 200));
    expect(fits.status).toBe(200);
  });

  it('refuses a chunked body (no Content-Length) over 1 MB with the same 413, counted as it arrives', async () => {
    const body = JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(1024 * 1024) } });
    const chunks = new TextEncoder().encode(body);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < chunks.length; offset += 64 * 1024) controller.enqueue(chunks.slice(offset, offset + 64 * 1024));
        controller.close();
      },
    });
    const response = await development.app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      // @ts-expect-error Node's fetch needs it for a stream body; not in the DOM types
      duplex: 'half',
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('over a real socket, refuses a body whose Content-Length is over 1 MB from the header, and reads one under it', async () => {
    // As `npm start` serves it: Node's adapter, where the body stays unread until yoga reads it.
    const server: ServerType = await new Promise((resolve) => {
      const started = serve({ fetch: production.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const send = (body: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://shop.example.com' }, body });
    try {
      const padding = (bytes: number) => JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(bytes) } });
      const tooLarge = await send(padding(1024 * 1024));
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
      expect(await tooLarge.json()).toEqual({
        errors: [{ message: 'Request body larger than 1048576 bytes', extensions: { code: 'PAYLOAD_TOO_LARGE', maxBytes: 1_048_576 } }],
      });
      const fits = await send(padding(1024 * 1024 - 200));
      expect([fits.status, await fits.json()]).toEqual([200, { data: { __typename: 'Query' } }]);
      expect(fits.headers.get('vary')).toMatch(/Origin/);
      const malformed = await send('{"query": "{ __typename }"');
      expect([malformed.status, await malformed.json()]).toEqual([
        400,
        { errors: [{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }] },
      ]);
    } finally {
      server.close();
    }
  });

  it('answers an unexpected failure outside yoga with a GraphQL 500 a browser can read, without the details', async () => {
    const logged: string[] = [];
    const failing = createApp({
      ...production.deps,
      logger: { ...console, error: (message: string) => void logged.push(message) },
      rateLimiter: async () => {
        throw new Error('rate limiter store unreachable at 10.0.0.7');
      },
    });
    const response = await failing.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://shop.example.com' },
      body: query('{ __typename }'),
    });
    expect(response.status).toBe(500);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    expect(text).not.toMatch(/10\.0\.0\.7/);
    expect(logged.join('\n')).toMatch(/rate limiter store unreachable/);
  });

  it('answers a malformed body in production without internals (no originalError, no SyntaxError)', async () => {
    for (const body of ['{"query": "{ __typename }"', 'not json', '']) {
      const response = await post(production, body);
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ errors: [{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
      expect(text).not.toMatch(/SyntaxError|originalError|position/);
    }
  });

  it('lets only the configured origins call from a browser, without credentials unless configured', async () => {
    const preflight = (app: TestApp, origin: string) =>
      app.app.request('/graphql', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
    const allowed = await preflight(production, 'https://shop.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const stranger = await preflight(production, 'https://evil.example.net');
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    // The answers themselves carry the same headers as Hono's cors middleware would set (a 413 too).
    const answer = await post(production, query('{ __typename }'), { origin: 'https://shop.example.com' });
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(answer.headers.get('access-control-expose-headers')).toBe('retry-after');
    expect(answer.headers.get('vary')).toMatch(/Origin/);
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    expect(await answer.json()).toEqual({ data: { __typename: 'Query' } });
    const tooLarge = await post(production, JSON.stringify({ query: '{ __typename }', variables: { p: 'x'.repeat(1024 * 1024) } }), {
      origin: 'https://app.example.com',
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const simple = await post(production, query('{ __typename }'), { origin: 'https://evil.example.net' });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    expect(simple.headers.get('access-control-allow-credentials')).toBeNull();

    // Development: any origin, never with credentials.
    const local = await post(development, query('{ __typename }'), { origin: 'http://localhost:5173' });
    expect(local.headers.get('access-control-allow-origin')).toBe('*');
    expect(local.headers.get('access-control-allow-credentials')).toBeNull();

    // Production without CORS_ORIGINS: same-origin only.
    const closed = await createTestApp({ env: { ENVIRONMENT: 'production' } });
    expect((await preflight(closed, 'https://shop.example.com')).headers.get('access-control-allow-origin')).toBeNull();
    closed.close();
    const withCredentials = await createTestApp({ env: { CORS_ORIGINS: 'https://shop.example.com', CORS_CREDENTIALS: 'true' } });
    const credentialed = await preflight(withCredentials, 'https://shop.example.com');
    expect(credentialed.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(credentialed.headers.get('access-control-allow-credentials')).toBe('true');
    const credentialedAnswer = await post(withCredentials, query('{ __typename }'), { origin: 'https://shop.example.com' });
    expect(credentialedAnswer.headers.get('access-control-allow-credentials')).toBe('true');
    withCredentials.close();
  });
});
