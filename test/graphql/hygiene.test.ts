import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { createApp } from '../../src/app';
import { createDatabase } from '../../src/platform/db/database';
import { createTestApp, type TestApp } from '../support/test-app';
import { enroll } from '../support/members';
import { isObjectType } from 'graphql';
import { schema } from '../../src/api/schema';

const INTROSPECTION = '{ __schema { queryType { name } } }';

describe('abuse limits', () => {
  let app: TestApp;
  let admin: string;
  const logged: unknown[][] = [];
  beforeAll(async () => {
    app = await createTestApp({ logger: { ...console, error: (...args: unknown[]) => logged.push(args) } });
    admin = await app.token({ role: 'admin' });
  });
  afterAll(() => app.close());

  const rejected = async (query: string, pattern: RegExp) => {
    const response = await app.graphql(query, {}, admin);
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.[0]?.message).toMatch(pattern);
  };

  // The limits as the README states them ("depth 10, 15 aliases, 2,000 tokens, and a complexity of
  // 20,000"), written out here so that a change in the source fails this test.
  it('rejects a query deeper than 10, lets depth 10 through, accepts an ordinary one', async () => {
    const ordinary = '{ members(first: 1) { edges { node { consents { email } } } } }';
    expect((await app.graphql(ordinary, {}, admin)).errors).toBeUndefined();
    // Each level is a field; the document itself and the leaf add one each.
    const nested = (levels: number) => `{ ${'node(id: "x") { ... on Program { id } '.repeat(levels)}${'}'.repeat(levels)} }`;
    await rejected(nested(9), /^Syntax Error: Query depth limit of 10 exceeded, found 11\.$/);
    const atTheLimit = await app.graphql(nested(8), {}, admin);
    expect(atTheLimit.errors?.[0]?.message).not.toMatch(/depth/i);
  });

  it('accepts 15 aliases and rejects 16', async () => {
    const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, index) => `a${index}: program { id }`).join(' ')} }`;
    expect((await app.graphql(aliases(15), {}, admin)).errors).toBeUndefined();
    await rejected(aliases(16), /^Syntax Error: Aliases limit of 15 exceeded, found 16\.$/);
  });

  it('rejects a document of more than 2,000 tokens', async () => {
    // `{ program { id … } }`: five tokens around the ids.
    const document = (ids: number) => `{ program { ${Array.from({ length: ids }, () => 'id').join(' ')} } }`;
    await rejected(document(1_996), /^Syntax Error: Token limit of 2000 exceeded\.$/);
    const atTheLimit = await app.graphql(document(1_995), {}, admin);
    expect(atTheLimit.errors?.[0]?.message ?? '').not.toMatch(/token/i);
  });

  it('counts literal page sizes the same way: wide pages side by side are refused before they run', async () => {
    const page =
      'members(first: 100) { edges { node { id email name consents { email sms push } lots(first: 2) { edges { node { amount } } } } } }';
    const fields = (count: number) => Array.from({ length: count }, (_, index) => `m${index}: ${page}`).join(' ');
    expect((await app.graphql(`{ ${fields(1)} }`, {}, admin)).errors).toBeUndefined();
    const over = await app.graphql(`{ ${fields(14)} }`, {}, admin);
    expect(over.data ?? null).toBeNull();
    expect(over.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^Query too complex: \d+ \(with its variables\), at most 20000 allowed$/),
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
  });

  it('allows a complexity of 20,000 with the variables counted: 10n² + 5n + 1 passes at n = 44, not at 45', async () => {
    const nested = `query($n: Int) { members(first: $n) { edges { node { id
      transfers(first: $n) { edges { node { id kind amount unit } } }
      lots(first: $n, includeClosed: true) { edges { node { amount remaining } } } } } } }`;
    expect((await app.graphql(nested, { n: 44 }, admin)).errors).toBeUndefined();
    const over = await app.graphql(nested, { n: 45 }, admin);
    expect(over.errors?.[0]).toMatchObject({
      message: 'Query too complex: 20476 (with its variables), at most 20000 allowed',
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
  });

  it("reads a request's arguments for the complexity only on fields with a page size (the rest have a fixed one)", () => {
    const mismatched = Object.values(schema.getTypeMap())
      .filter(isObjectType)
      .flatMap((type) => Object.values(type.getFields()).map((field) => ({ name: `${type.name}.${field.name}`, field })))
      .filter(({ field }) => (typeof field.extensions.complexity === 'function') !== field.args.some((arg) => arg.name === 'first'))
      .map(({ name }) => name);
    expect(mismatched).toEqual([]);
  });

  it('costs page sizes given as variables too: nested pages of 100 are refused, small ones pass', async () => {
    const nested = `query($n: Int) { members(first: $n) { edges { node { id
      transfers(first: $n) { edges { node { id kind amount unit } } }
      lots(first: $n, includeClosed: true) { edges { node { amount remaining } } } } } } }`;
    const large = await app.graphql(nested, { n: 100 }, admin);
    expect(large.data?.members ?? null).toBeNull();
    expect(large.errors?.[0]).toMatchObject({ message: expect.stringMatching(/too complex/i), extensions: { code: 'QUERY_TOO_COMPLEX' } });
    const small = await app.graphql(nested, { n: 5 }, admin);
    expect(small.errors, JSON.stringify(small.errors)).toBeUndefined();
  });

  it('masks unexpected errors but keeps typed ones', async () => {
    const { globalId } = await enroll(app, { email: 'mask@example.com' });
    app.client.close();
    const response = await app.graphql('query($id: ID!) { member(id: $id) { email } }', { id: globalId }, admin);
    expect(response.errors?.[0]?.message).toBe('Unexpected error.');
    expect(JSON.stringify(response)).not.toMatch(/closed|sqlite|libsql/i);
    // What the client does not see goes to the server's log, with the cause.
    expect(logged.map((args) => String(args[0]))).toContainEqual(expect.stringMatching(/Failed query/));
  });
});

describe('development vs production', () => {
  it('serves GraphiQL and introspection in development', async () => {
    const app = await createTestApp({ env: { ENVIRONMENT: 'development' } });
    const page = await app.app.request('/graphql', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('GraphiQL');
    const response = await app.graphql(INTROSPECTION);
    expect(response.data?.__schema.queryType.name).toBe('Query');
    app.close();
  });

  it('opens GraphiQL in development with an admin token of the default program in its Authorization header', async () => {
    const app = await createTestApp({ env: { ENVIRONMENT: 'development', DEFAULT_PROGRAM_ID: 'globex' } });
    const page = await (await app.app.request('/graphql', { headers: { accept: 'text/html' } })).text();
    const token = /Bearer (ey[\w-]+\.[\w-]+\.[\w-]+)/.exec(page)?.[1];
    expect(token).toBeDefined();
    const response = await app.graphql('{ program { name } }', {}, token);
    expect(response.data).toEqual({ program: { name: 'Globex Books' } });
    const admin = await app.graphql('{ ledgerAudit { sound } }', {}, token);
    expect(admin.data).toEqual({ ledgerAudit: { sound: true } });
    app.close();
  });

  it('fills in no token outside development (test, and production where GraphiQL is off)', async () => {
    for (const ENVIRONMENT of ['test', 'production']) {
      const app = await createTestApp({ env: { ENVIRONMENT } });
      const page = await (await app.app.request('/graphql', { headers: { accept: 'text/html' } })).text();
      expect(page).not.toMatch(/Bearer|Authorization/);
      app.close();
    }
  });

  it('turns off GraphiQL, introspection and field suggestions in production', async () => {
    const app = await createTestApp({ env: { ENVIRONMENT: 'production' } });
    const page = await app.app.request('/graphql', { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('GraphiQL');
    const response = await app.graphql(INTROSPECTION, {}, await app.token({ role: 'admin' }));
    expect(response.errors?.[0]?.message).toMatch(/introspection/i);
    const typo = await app.graphql('{ programm { id } }', {}, await app.token({ role: 'admin' }));
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
    app.close();
  });

  it('answers /health after asking the database', async () => {
    const app = await createTestApp();
    const response = await app.app.request('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', environment: 'test', database: 'ok' });
    app.close();
  });

  it('answers /health with 503 and what is wrong when the database cannot be reached or is not migrated, and GraphQL with DATABASE_UNAVAILABLE', async () => {
    const app = await createTestApp();
    const quiet = { ...console, error: () => {} };
    const unreachable = createApp({ ...app.deps, db: createDatabase(createClient({ url: 'http://127.0.0.1:9' })), logger: quiet });
    const down = await unreachable.request('/health');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      status: 'unavailable',
      environment: 'test',
      database: 'unavailable',
      reason: expect.stringMatching(/^the database cannot be reached: .+/),
    });

    const empty = createApp({
      ...app.deps,
      db: createDatabase(createClient({ url: `file:${join(mkdtempSync(join(tmpdir(), 'edge-loyalty-empty-')), 'empty.db')}` })),
      logger: quiet,
    });
    const unmigrated = await empty.request('/health');
    expect(unmigrated.status).toBe(503);
    expect((await unmigrated.json()).reason).toMatch(/no tables: apply the migrations \(npm run db:migrate\)/);

    const query = await unreachable.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await app.token({ role: 'admin' })}` },
      body: JSON.stringify({ query: '{ program { name } }' }),
    });
    expect(query.status).toBe(503);
    expect((await query.json()).errors).toEqual([
      expect.objectContaining({
        message: 'The database cannot be reached; try again shortly.',
        extensions: { code: 'DATABASE_UNAVAILABLE' },
      }),
    ]);

    const production = createApp({
      ...app.deps,
      config: { ...app.config, environment: 'production' },
      db: createDatabase(createClient({ url: 'http://127.0.0.1:9' })),
      logger: quiet,
    });
    const hidden = await production.request('/health');
    expect(hidden.status).toBe(503);
    expect((await hidden.json()).reason).toBe('the database is unavailable (details in the server log)');
    app.close();
  });
});
