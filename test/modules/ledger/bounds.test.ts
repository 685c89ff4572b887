import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app';
import { commandRegistry } from '../../../src/commands';
import { loadConfig } from '../../../src/config';
import { MAX_AMOUNT, MAX_BALANCE } from '../../../src/platform/bounds';
import { fixedClock } from '../../../src/platform/clock';
import { createDatabase } from '../../../src/platform/db/database';
import { migrationsFolder } from '../../../src/platform/node/database';
import { createInProcessSerializer } from '../../../src/platform/node/in-process-serializer';
import { createMemoryRateLimiter } from '../../../src/platform/node/rate-limiter';
import { createTestApp, TEST_NOW, TEST_SECRET, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { ADJUST, AUDIT, closeSoundly, key, REDEEM, RULES, UPDATE_RULES } from '../../support/ledger';
import { RECORD_CHECKOUT } from '../../support/offers';
import { LIABILITY, send as sendAs, setUpTiers } from '../../support/tiers';

describe('the overflow of issue 19, from the outside', () => {
  let app: TestApp;
  let admin: string;
  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.token({ role: 'admin' });
  });
  afterAll(() => closeSoundly(app));

  const send = (query: string, input: Record<string, unknown>) => sendAs(app, query, input, admin);

  it('refuses earnPoints 999999 per 1 minor unit, with the field, and keeps the rules', async () => {
    const before = (await app.graphql(RULES, {}, admin)).data!.program.rules;
    const result = await send(UPDATE_RULES, { earnPoints: 999_999, earnPerAmount: 1 });
    expect(result.__typename).toBe('InvalidInputError');
    expect(result.issues).toEqual([{ path: ['input', 'earnPoints'], message: expect.stringContaining('at most earnPerAmount (1)') }]);
    expect((await send(UPDATE_RULES, { redeemPoints: 1, redeemValue: 11 })).issues[0].path).toEqual(['input', 'redeemValue']);
    expect((await app.graphql(RULES, {}, admin)).data!.program.rules).toEqual(before);
  });

  it('records an order of 99,999,999,999 exactly; a retry returns the first result; every read still works', async () => {
    const { globalId } = await enroll(app, { email: 'big@example.com' });
    const input = { memberId: globalId, orderId: 'big-1', currency: 'EUR', total: 99_999_999_999, idempotencyKey: key() };
    const first = await send(RECORD_CHECKOUT, input);
    expect(first).toMatchObject({
      __typename: 'RecordOrderPayload',
      pointsEarned: 999_999_999,
      pointsBalance: 999_999_999,
      replayed: false,
    });
    expect(await send(RECORD_CHECKOUT, input)).toEqual({ ...first, replayed: true });

    const read = await app.graphql(
      `query($id: ID!) { member(id: $id) { pointsBalance } program { liability { points value { amount } } } ledgerAudit { sound } }`,
      { id: globalId },
      admin,
    );
    expect(read.errors).toBeUndefined();
    expect(read.data).toEqual({
      member: { pointsBalance: 999_999_999 },
      program: { liability: { points: 999_999_999, value: { amount: 999_999_999 } } },
      ledgerAudit: { sound: true },
    });
    const redeemed = await send(REDEEM, { memberId: globalId, points: 999_999_999, idempotencyKey: key() });
    expect(redeemed).toMatchObject({ __typename: 'PointsPayload', pointsBalance: 0 });
  });

  it('answers a write whose batch committed but whose answer was lost with its result, and a retry with the same', async () => {
    const { globalId } = await enroll(app, { email: 'lost-answer@example.com' });
    const commit = app.client.batch.bind(app.client);
    let loseNextAnswer = true;
    app.client.batch = (async (...args: Parameters<typeof commit>) => {
      const results = await commit(...args);
      const writesAnOperation = args[0].some((statement) => JSON.stringify(statement).includes('insert into "operations"'));
      if (loseNextAnswer && writesAnOperation) {
        loseNextAnswer = false;
        throw new Error('socket hang up');
      }
      return results;
    }) as typeof app.client.batch;
    try {
      const input = { memberId: globalId, orderId: 'lost-1', currency: 'EUR', total: 10_000, idempotencyKey: key() };
      const first = await send(RECORD_CHECKOUT, input);
      expect(first).toMatchObject({ __typename: 'RecordOrderPayload', pointsEarned: 100, replayed: false });
      expect(await send(RECORD_CHECKOUT, input)).toEqual({ ...first, replayed: true });
    } finally {
      app.client.batch = commit;
    }
  });

  it('refuses, with nothing written, what would take a balance past the bound; the database refuses it too', async () => {
    // In globex, whose accounts are untouched: its points-issued account reaches the bound together with the member.
    const globex = await app.token({ role: 'admin', programId: 'globex' });
    const send = (query: string, input: Record<string, unknown>) => sendAs(app, query, input, globex);
    await send(UPDATE_RULES, { earnPoints: 1, earnPerAmount: 1 });
    await setUpTiers(app, {}, [{ name: 'Hundredfold', threshold: 0, earnMultiplierPermille: 100_000 }], 'globex');
    const { globalId, memberId } = await enroll(app, { email: 'whale@example.com' }, globex);
    expect(
      (await send(RECORD_CHECKOUT, { memberId: globalId, orderId: 'whale-0', currency: 'EUR', total: 0, idempotencyKey: key() }))
        .__typename,
    ).toBe('RecordOrderPayload');
    const perOrder = MAX_AMOUNT * 100;
    for (let order = 1; order <= MAX_BALANCE / perOrder; order++) {
      const result = await send(RECORD_CHECKOUT, {
        memberId: globalId,
        orderId: `whale-${order}`,
        currency: 'EUR',
        total: MAX_AMOUNT,
        idempotencyKey: key(),
      });
      expect(result).toMatchObject({ __typename: 'RecordOrderPayload', pointsEarned: perOrder, pointsBalance: order * perOrder });
    }
    const over = await send(RECORD_CHECKOUT, {
      memberId: globalId,
      orderId: 'whale-over',
      currency: 'EUR',
      total: 1,
      idempotencyKey: key(),
    });
    expect(over).toMatchObject({ __typename: 'InvalidInputError', issues: [{ path: ['input', 'total'] }] });
    // adjustPoints has no check of its own: the database's guard refuses it, as a typed error.
    const adjusted = await send(ADJUST, { memberId: globalId, points: 1, reason: 'one more', idempotencyKey: key() });
    expect(adjusted).toMatchObject({ __typename: 'InvalidInputError', message: expect.stringContaining(String(MAX_BALANCE)) });
    const balance = await app.graphql(`query($id: ID!) { member(id: $id) { pointsBalance } }`, { id: globalId }, globex);
    expect(balance.data!.member.pointsBalance).toBe(MAX_BALANCE);

    const account = `globex/member/${memberId}/points/POINTS`;
    await expect(app.client.execute({ sql: 'update accounts set balance = balance + 1 where id = ?', args: [account] })).rejects.toThrow(
      /accounts_balance_range/,
    );
    await expect(app.client.execute({ sql: 'update accounts set balance = 1.5 where id = ?', args: [account] })).rejects.toThrow(
      /CHECK constraint failed/,
    );
    await expect(app.client.execute({ sql: "update orders set total = 12.5 where order_id = 'whale-1'" })).rejects.toThrow(
      /orders_amounts_range/,
    );
    await send(UPDATE_RULES, { earnPoints: 1, earnPerAmount: 100 });
    const liability = await app.graphql(LIABILITY, {}, globex);
    expect(liability.data!.program.liability.points).toBe(MAX_BALANCE);
  });
});

describe('migrations from 0005 on, over a database with data from the migrations before it', () => {
  it('keep every row, index and foreign key, and the ledger stays sound', async () => {
    // Today's app writes the data (through GraphQL) on today's schema; the rows are then copied, in the
    // columns that existed then, into a database migrated up to 0004, which is then migrated to today.
    const source = await createTestApp();
    const admin = await source.token({ role: 'admin' });
    const gql = async (app: { request: TestApp['app']['request'] }, query: string, variables: Record<string, unknown> = {}) => {
      const response = await app.request('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data: any; errors?: unknown };
    };
    const enrolled = await gql(
      source.app,
      `mutation { enrollMember(input: { externalId: "old-1" }) { ... on MemberPayload { member { id } } } }`,
    );
    const memberId = enrolled.data.enrollMember.member.id;
    await gql(source.app, `mutation($input: CreateOfferInput!) { createOffer(input: $input) { __typename } }`, {
      input: { name: 'Ten off', effect: { percentOff: { basisPoints: 1000 } } },
    });
    for (const [orderId, total] of [
      ['a', 12_345],
      ['b', 50_000],
    ] as const) {
      const order = await gql(source.app, `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { __typename } }`, {
        input: {
          memberId,
          orderId,
          currency: 'EUR',
          lines: [{ sku: 'BEANS', quantity: 3, unitPrice: Math.floor(total / 3) }],
          idempotencyKey: `k-${orderId}`,
        },
      });
      expect(order.data.recordOrder.__typename).toBe('RecordOrderPayload');
    }
    await gql(source.app, `mutation($input: RefundOrderInput!) { refundOrder(input: $input) { __typename } }`, {
      input: { orderId: 'a', amount: 1000, idempotencyKey: 'k-refund' },
    });
    await gql(source.app, `mutation($input: WalletInput!) { topUpWallet(input: $input) { __typename } }`, {
      input: { memberId, currency: 'EUR', amount: 5000, idempotencyKey: 'k-top-up' },
    });

    const dir = mkdtempSync(join(tmpdir(), 'edge-loyalty-migration-'));
    const before0005 = join(dir, 'migrations');
    cpSync(migrationsFolder, before0005, { recursive: true });
    const journalPath = join(before0005, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
    journal.entries = journal.entries.filter((entry: { tag: string }) => entry.tag < '0005');
    writeFileSync(journalPath, JSON.stringify(journal));
    const client = createClient({ url: `file:${join(dir, 'loyalty.db')}` });
    const db = createDatabase(client);
    await migrate(db, { migrationsFolder: before0005 });

    const columnsOf = async (table: string) =>
      (await client.execute(`select name from pragma_table_info('${table}')`)).rows.map((row) => String(row.name));
    const tables = (
      await client.execute(
        `select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'`,
      )
    ).rows.map((row) => String(row.name));
    const columns = new Map(await Promise.all(tables.map(async (table) => [table, await columnsOf(table)] as const)));
    await client.execute('pragma foreign_keys = off');
    for (const table of tables) {
      const names = columns.get(table)!;
      const list = names.map((name) => `"${name}"`).join(', ');
      const rows = (await source.client.execute(`select ${list} from ${table}`)).rows;
      for (const row of rows)
        await client.execute({
          sql: `insert into ${table} (${list}) values (${names.map(() => '?').join(', ')})`,
          args: names.map((name) => row[name] ?? null),
        });
    }
    await client.execute('pragma foreign_keys = on');
    await client.execute(`insert into email_fingerprints (program_id, hash, created_at) values ('acme', 'an-unkeyed-sha256', 1)`);
    await closeSoundly(source);

    // Rows sorted by their content: a table a later migration makes WITHOUT ROWID has no rowid to order by.
    const snapshot = async () => {
      const rows: Record<string, unknown> = {};
      for (const table of tables)
        rows[table] = (
          await client.execute(
            `select ${columns
              .get(table)!
              .map((name) => `"${name}"`)
              .join(', ')} from ${table}`,
          )
        ).rows
          .map((row) => ({ ...row }))
          .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      return rows;
    };
    const indexes = async () =>
      (
        await client.execute(
          `select name, tbl_name from sqlite_master where type = 'index' and name not like 'sqlite_autoindex%' order by name`,
        )
      ).rows.map((row) => `${row.tbl_name}.${row.name}`);
    const rowsBefore = await snapshot();
    expect((rowsBefore.transfers as unknown[]).length).toBeGreaterThan(3);
    const indexesBefore = await indexes();

    await migrate(db, { migrationsFolder });
    expect(await snapshot()).toEqual(rowsBefore);
    expect(await indexes()).toEqual(expect.arrayContaining(indexesBefore));
    expect((await client.execute('pragma foreign_key_check')).rows).toEqual([]);
    const foreignKeys = (await client.execute(`select count(*) as n from pragma_foreign_key_list('transfers')`)).rows[0]!.n;
    expect(foreignKeys).toBe(4);
    // Fingerprints of before 0005 gain no key id (the rekey-fingerprints job's to move).
    expect((await client.execute(`select key_id from email_fingerprints where hash = 'an-unkeyed-sha256'`)).rows).toEqual([
      expect.objectContaining({ key_id: null }),
    ]);

    const clock = fixedClock(TEST_NOW);
    const config = loadConfig({ JWT_SECRET: TEST_SECRET, ENVIRONMENT: 'test' }, 'node');
    const { fingerprints } = config;
    const deps = {
      db,
      clock,
      config,
      fingerprints,
      serializer: createInProcessSerializer(commandRegistry, { db, clock, fingerprints }),
      rateLimiter: createMemoryRateLimiter(config.rateLimits),
    };
    const app = createApp(deps);
    expect((await gql(app, AUDIT)).data.ledgerAudit).toEqual({ sound: true, violations: [] });
    // Still writable, and now guarded.
    const later = await gql(app, `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { __typename } }`, {
      input: { memberId, orderId: 'c', currency: 'EUR', total: 999, idempotencyKey: 'k-c' },
    });
    expect(later.data.recordOrder.__typename).toBe('RecordOrderPayload');
    await expect(client.execute(`update transfers set amount = 0.5 where rowid = 1`)).rejects.toThrow(/CHECK constraint failed/);
    client.close();
  });
});
