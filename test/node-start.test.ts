import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** `npm start` from the outside: the real entry point, a real port, an empty database directory. */
describe('src/node.ts', () => {
  let server: ChildProcess;
  let output = '';
  const port = 18_000 + Math.floor(Math.random() * 1000);
  const dataDir = mkdtempSync(join(tmpdir(), 'edge-loyalty-start-'));
  const env = {
    ...process.env,
    PORT: String(port),
    LIBSQL_URL: `file:${join(dataDir, 'nested', 'loyalty.db')}`,
    NODE_ENV: 'development',
    ENVIRONMENT: '',
  };

  beforeAll(async () => {
    server = spawn(process.execPath, ['--import', 'tsx', 'src/node.ts'], { env });
    server.stdout!.on('data', (chunk) => (output += chunk));
    server.stderr!.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 20_000;
    while (!output.includes('/graphql') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  }, 30_000);
  afterAll(() => {
    server.kill('SIGTERM');
  });

  it('creates the database, applies migrations, and serves GraphQL with a token from npm run token', async () => {
    expect(output).toContain(`http://localhost:${port}/graphql`);
    expect(output).toContain('development JWT secret');
    const token = await new Promise<string>((resolve, reject) => {
      const script = spawn(process.execPath, ['--import', 'tsx', 'scripts/token.ts', '--role', 'admin'], { env });
      let text = '';
      script.stdout!.on('data', (chunk) => (text += chunk));
      script.on('exit', (code) => (code === 0 ? resolve(text.trim()) : reject(new Error(`token exited ${code}`))));
    });
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ program { name } }' }),
    });
    expect(await response.json()).toEqual({ data: { program: { name: 'Default program' } } });
    const graphiql = await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { accept: 'text/html' } });
    expect(await graphiql.text()).toContain('GraphiQL');
    // GraphiQL's files and the insights page come from public/ (npm run build:assets), not from a CDN.
    const script = await fetch(`http://127.0.0.1:${port}/assets/graphiql/graphiql.js`);
    expect([script.status, script.headers.get('content-type')]).toEqual([200, expect.stringContaining('javascript')]);
    await script.body?.cancel();
    const insights = await fetch(`http://127.0.0.1:${port}/insights`);
    expect(await insights.text()).toContain('<title>Insights');
  });

  it('throttles an anonymous flood by default (60 requests a minute per address), with 429 and Retry-After', async () => {
    const responses = await Promise.all(
      Array.from({ length: 70 }, () =>
        fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ __typename }' }),
        }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(60);
    const refused = responses.find((response) => response.status === 429)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
  });

  it('refuses to start in production without a secret, with a clear message', async () => {
    const result = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/node.ts'], {
        env: { ...env, NODE_ENV: 'production', JWT_SECRET: '' },
      });
      let text = '';
      child.stderr!.on('data', (chunk) => (text += chunk));
      child.on('exit', (code) => resolve({ code, text }));
    });
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/Refusing to start: set JWT_SECRET/);
  });
});
