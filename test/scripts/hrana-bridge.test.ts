import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, LibsqlError, type Client, type ResultSet } from '@libsql/client/web';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql/web';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHranaBridge, type HranaBridge } from '../../scripts/hrana-bridge';

const URL_BASE = 'http://libsql.bridge';

let dir: string;
let bridge: HranaBridge;
let client: Client;

const connect = (intMode: 'number' | 'bigint' = 'number') =>
  createClient({ url: URL_BASE, fetch: (req: Request) => bridge.handle(req), intMode });

const pipeline = async (body: unknown) => {
  const res = await bridge.handle(new Request(`${URL_BASE}/v2/pipeline`, { method: 'POST', body: JSON.stringify(body) }));
  return { status: res.status, json: (await res.json()) as any };
};

const firstRow = async (promise: Promise<ResultSet>) => {
  const [row] = (await promise).rows;
  if (row === undefined) throw new Error('expected at least one row');
  return row;
};

const skus = async () => (await client.execute('SELECT sku FROM items ORDER BY sku')).rows.map((r) => r.sku);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hrana-bridge-'));
  bridge = createHranaBridge({ path: join(dir, 'test.db') });
  client = connect();
  await client.execute(`CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    sku TEXT NOT NULL UNIQUE,
    qty INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0),
    price REAL,
    big INTEGER,
    data BLOB
  )`);
});

afterAll(() => {
  client.close();
  bridge.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('hrana bridge: HTTP envelope', () => {
  it('answers v2 and rejects v3 so the client falls back', async () => {
    const get = (path: string) => bridge.handle(new Request(`${URL_BASE}/${path}`));
    expect((await get('v2')).status).toBe(200);
    expect((await get('v3')).status).toBe(404);
    expect((await get('v3-protobuf')).status).toBe(404);
  });

  it('rejects bad JSON with 400 and an unknown baton with 404', async () => {
    const bad = await bridge.handle(new Request(`${URL_BASE}/v2/pipeline`, { method: 'POST', body: '{nope' }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: expect.stringContaining('Invalid pipeline request') });
    const unknown = await pipeline({ baton: 'no-such-baton', requests: [] });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toMatch(/baton/);
  });

  it('keeps streams by baton, caches SQL per stream and closes streams', async () => {
    const first = await pipeline({
      baton: null,
      requests: [
        { type: 'store_sql', sql_id: 1, sql: 'SELECT ?1 + 1 AS n' },
        { type: 'execute', stmt: { sql_id: 1, args: [{ type: 'integer', value: '41' }], want_rows: true } },
        { type: 'describe', sql: 'SELECT id, sku FROM items WHERE sku = :sku AND qty > ?2' },
        { type: 'get_autocommit' },
      ],
    });
    expect(first.status).toBe(200);
    expect(first.json.baton).toEqual(expect.any(String));
    expect(first.json.base_url).toBeNull();
    const [stored, executed, described, autocommit] = first.json.results;
    expect(stored).toEqual({ type: 'ok', response: { type: 'store_sql' } });
    expect(executed.response.result.cols).toEqual([{ name: 'n', decltype: null }]);
    expect(executed.response.result.rows).toEqual([[{ type: 'integer', value: '42' }]]);
    expect(described.response.result).toEqual({
      params: [{ name: ':sku' }, { name: '?2' }],
      cols: [
        { name: 'id', decltype: 'INTEGER' },
        { name: 'sku', decltype: 'TEXT' },
      ],
      is_explain: false,
      is_readonly: true,
    });
    expect(autocommit.response).toEqual({ type: 'get_autocommit', is_autocommit: true });

    const second = await pipeline({
      baton: first.json.baton,
      requests: [
        { type: 'execute', stmt: { sql_id: 1, args: [{ type: 'integer', value: '1' }], want_rows: false } },
        { type: 'close_sql', sql_id: 1 },
        { type: 'execute', stmt: { sql_id: 1, want_rows: true } },
        { type: 'close' },
      ],
    });
    expect(second.json.baton).toBeNull();
    const [noRows, , missing, closed] = second.json.results;
    expect(noRows.response.result.rows).toEqual([]);
    expect(missing).toMatchObject({ type: 'error', error: { code: 'SQL_NOT_FOUND' } });
    expect(closed).toEqual({ type: 'ok', response: { type: 'close' } });
    expect((await pipeline({ baton: first.json.baton, requests: [] })).status).toBe(404);
  });

  it('evaluates batch conditions like sqld', async () => {
    const step = (sql: string, condition?: unknown) => ({ condition, stmt: { sql, want_rows: true } });
    const { json } = await pipeline({
      requests: [
        {
          type: 'batch',
          batch: {
            steps: [
              step('SELECT 1'),
              step('SELECT * FROM no_such_table'),
              step("SELECT 'ok0'", { type: 'ok', step: 0 }),
              step("SELECT 'ok1'", { type: 'ok', step: 1 }),
              step("SELECT 'err1'", { type: 'error', step: 1 }),
              step("SELECT 'and'", {
                type: 'and',
                conds: [
                  { type: 'ok', step: 0 },
                  { type: 'error', step: 1 },
                ],
              }),
              step("SELECT 'or'", {
                type: 'or',
                conds: [
                  { type: 'ok', step: 1 },
                  { type: 'not', cond: { type: 'ok', step: 3 } },
                ],
              }),
              step("SELECT 'auto'", { type: 'is_autocommit' }),
            ],
          },
        },
        { type: 'close' },
      ],
    });
    const { step_results, step_errors } = json.results[0].response.result;
    expect(step_results.map((r: unknown) => r !== null)).toEqual([true, false, true, false, true, true, true, true]);
    expect(step_errors[1]).toMatchObject({ code: 'SQLITE_ERROR', message: expect.stringContaining('no_such_table') });
    expect(step_errors.filter((e: unknown) => e !== null)).toHaveLength(1);
  });

  it('expires idle streams and rolls back what they left open', async () => {
    const shortLived = createHranaBridge({ path: join(dir, 'test.db'), idleTimeoutMs: 20 });
    const post = async (body: unknown) => {
      const res = await shortLived.handle(new Request(`${URL_BASE}/v2/pipeline`, { method: 'POST', body: JSON.stringify(body) }));
      return { status: res.status, json: (await res.json()) as any };
    };
    const execute = (sql: string) => ({ type: 'execute', stmt: { sql, want_rows: true } });
    const opened = await post({ requests: [execute('BEGIN IMMEDIATE'), execute("INSERT INTO items (sku) VALUES ('abandoned')")] });
    expect(opened.json.results.map((r: { type: string }) => r.type)).toEqual(['ok', 'ok']);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await post({ baton: opened.json.baton, requests: [] })).status).toBe(404);
    const other = await post({
      requests: [
        execute("INSERT INTO items (sku) VALUES ('after')"),
        execute("DELETE FROM items WHERE sku IN ('abandoned', 'after')"),
        { type: 'close' },
      ],
    });
    expect(other.json.results.map((r: { type: string }) => r.type)).toEqual(['ok', 'ok', 'ok']);
    expect(other.json.results[1].response.result.affected_row_count).toBe(1);
    shortLived.close();
  });
});

describe('hrana bridge: @libsql/client/web', () => {
  it('executes with positional and named arguments', async () => {
    const inserted = await client.execute({ sql: 'INSERT INTO items (sku, qty) VALUES (?, ?)', args: ['a-1', 3] });
    expect(inserted.rowsAffected).toBe(1);
    expect(inserted.lastInsertRowid).toBe(1n);
    await client.execute({ sql: 'INSERT INTO items (sku, qty) VALUES (:sku, @qty)', args: { sku: 'a-2', qty: 5 } });
    await client.execute({ sql: 'INSERT INTO items (sku, qty) VALUES ($sku, :qty)', args: { $sku: 'a-3', ':qty': 7 } });

    const rs = await client.execute({ sql: 'SELECT sku, qty FROM items WHERE qty >= :min ORDER BY id', args: { min: 4 } });
    expect(rs.columns).toEqual(['sku', 'qty']);
    expect(rs.columnTypes).toEqual(['TEXT', 'INTEGER']);
    expect(rs.rows.map((r) => [r.sku, r.qty])).toEqual([
      ['a-2', 5],
      ['a-3', 7],
    ]);
    expect(rs.rowsAffected).toBe(0);

    const updated = await client.execute({ sql: 'UPDATE items SET qty = qty + 1 WHERE sku LIKE ?', args: ['a-%'] });
    expect(updated.rowsAffected).toBe(3);
  });

  it('round-trips 64-bit integers, floats and blobs', async () => {
    const bigClient = connect('bigint');
    const big = 2n ** 62n + 12345n;
    const blob = new Uint8Array([0, 1, 2, 254, 255]);
    await bigClient.execute({
      sql: 'INSERT INTO items (sku, big, price, data) VALUES (?, ?, ?, ?)',
      args: ['b-1', big, 19.99, blob],
    });
    const row = await firstRow(
      bigClient.execute({ sql: 'SELECT big, price, data, -? AS neg FROM items WHERE sku = ?', args: [big, 'b-1'] }),
    );
    expect(row.big).toBe(big);
    expect(row.neg).toBe(-big);
    expect(row.price).toBe(19.99);
    expect(new Uint8Array(row.data as ArrayBuffer)).toEqual(blob);
    bigClient.close();
  });

  it('commits a write batch', async () => {
    const results = await client.batch(
      [
        { sql: 'INSERT INTO items (sku) VALUES (?)', args: ['c-1'] },
        { sql: 'INSERT INTO items (sku) VALUES (?)', args: ['c-2'] },
        "SELECT count(*) AS n FROM items WHERE sku LIKE 'c-%'",
      ],
      'write',
    );
    expect(results.map((rs) => rs.rows[0]?.n)).toEqual([undefined, undefined, 2]);
    expect(await skus()).toEqual(expect.arrayContaining(['c-1', 'c-2']));
  });

  it('rolls back a batch on a UNIQUE violation', async () => {
    const before = await skus();
    const error = await client
      .batch(["INSERT INTO items (sku) VALUES ('d-1')", "INSERT INTO items (sku) VALUES ('a-1')"], 'write')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LibsqlError);
    expect((error as LibsqlError).code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(await skus()).toEqual(before);
  });

  it('rolls back a batch on a CHECK violation', async () => {
    const before = await skus();
    const error = await client
      .batch(
        [
          { sql: 'INSERT INTO items (sku, qty) VALUES (?, ?)', args: ['e-1', 1] },
          { sql: 'INSERT INTO items (sku, qty) VALUES (?, ?)', args: ['e-2', -1] },
        ],
        'write',
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LibsqlError);
    expect((error as LibsqlError).code).toBe('SQLITE_CONSTRAINT_CHECK');
    expect(await skus()).toEqual(before);
  });

  it('reports constraint errors from a single execute', async () => {
    await expect(client.execute("INSERT INTO items (sku) VALUES ('a-1')")).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT_UNIQUE',
    });
  });

  it('runs interactive transactions with commit and rollback, isolated from other streams', async () => {
    const tx = await client.transaction('write');
    await tx.execute({ sql: 'INSERT INTO items (sku) VALUES (?)', args: ['t-1'] });
    expect((await firstRow(tx.execute("SELECT count(*) AS n FROM items WHERE sku = 't-1'"))).n).toBe(1);
    expect(await skus()).not.toContain('t-1'); // other stream, other connection
    await tx.commit();
    expect(await skus()).toContain('t-1');

    const rolledBack = await client.transaction('write');
    await rolledBack.execute({ sql: 'INSERT INTO items (sku) VALUES (?)', args: ['t-2'] });
    await rolledBack.rollback();
    expect(await skus()).not.toContain('t-2');
  });

  it('runs executeMultiple as a sequence', async () => {
    await client.executeMultiple('CREATE TABLE seq (x); INSERT INTO seq VALUES (1); INSERT INTO seq VALUES (2);');
    expect((await firstRow(client.execute('SELECT sum(x) AS s FROM seq'))).s).toBe(3);
  });

  it('works with drizzle-orm', async () => {
    const items = sqliteTable('items', {
      id: integer('id').primaryKey(),
      sku: text('sku').notNull(),
      qty: integer('qty').notNull(),
    });
    const db = drizzle(client);
    const inserted = await db.insert(items).values({ sku: 'z-1', qty: 9 }).returning();
    expect(inserted).toEqual([{ id: expect.any(Number), sku: 'z-1', qty: 9 }]);
    expect(await db.select().from(items).where(eq(items.sku, 'z-1'))).toEqual(inserted);
    await db.update(items).set({ qty: 10 }).where(eq(items.sku, 'z-1'));
    expect(await db.select({ qty: items.qty }).from(items).where(eq(items.sku, 'z-1'))).toEqual([{ qty: 10 }]);
  });
});
