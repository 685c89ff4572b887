import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Client } from '@libsql/client';
import { integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { programs } from '../../schema';
import { writeBatch, type Database } from '../../src/platform/db/database';
import { insertRows } from '../../src/platform/db/insert-rows';
import { openNodeDatabase } from '../../src/platform/node/database';

let db: Database;
let client: Client;
beforeAll(async () => {
  ({ db, client } = await openNodeDatabase({ url: `file:${join(mkdtempSync(join(tmpdir(), 'insert-rows-')), 'rows.db')}` }));
});
afterAll(() => client.close());

const rows = Array.from({ length: 1_201 }, (_, index) => ({
  id: `p-${String(index).padStart(4, '0')}`,
  name: `Program ${index}`,
  createdAt: new Date(Date.UTC(2025, 0, 1) + index * 1000),
}));

it('writes many rows in one statement, mapping values as drizzle does', async () => {
  const statements = insertRows(db, programs, rows);
  expect(statements.length).toBe(1);
  await writeBatch(db, statements);
  expect(await db.select().from(programs).orderBy(asc(programs.id))).toEqual(rows);
});

it('upserts with drizzle’s onConflictDoUpdate', async () => {
  await writeBatch(
    db,
    insertRows(
      db,
      programs,
      [
        { ...rows[0]!, name: 'ignored' },
        { id: 'p-new', name: 'New', createdAt: rows[0]!.createdAt },
      ],
      {
        onConflictDoUpdate: { target: programs.id, set: { name: sql`${programs.name} || ' and ' || excluded.name` } },
      },
    ),
  );
  const names = await db.select({ id: programs.id, name: programs.name }).from(programs).where(sql`${programs.id} in ('p-0000', 'p-new')`);
  expect(names.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
    { id: 'p-0000', name: 'Program 0 and ignored' },
    { id: 'p-new', name: 'New' },
  ]);
});

it('writes nothing for no rows', () => {
  expect(insertRows(db, programs, [])).toEqual([]);
});

/** Every kind of value a column takes, and a default written as SQL. */
const samples = sqliteTable('insert_rows_samples', {
  id: integer('id').primaryKey(),
  label: text('label'),
  amount: integer('amount').notNull().default(7),
  ratio: real('ratio'),
  active: integer('active', { mode: 'boolean' }),
  at: integer('at', { mode: 'timestamp_ms' }),
  data: text('data', { mode: 'json' }).$type<unknown>(),
  tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
});

it('keeps every value as the row gave it: text that looks like a number or JSON, reals, booleans, times, JSON, nulls', async () => {
  await client.execute(
    `create table insert_rows_samples (id integer primary key, label text, amount integer not null default 7, ratio real, active integer, at integer, data text, tags text not null default '[]')`,
  );
  const given = [
    {
      id: 1,
      label: '0042',
      amount: 9_007_199_254_740_991,
      ratio: 0.1,
      active: true,
      at: new Date(1_700_000_000_123),
      data: { a: [1, 'x'] },
      tags: ['b'],
    },
    { id: 2, label: '{"not":"json"}', amount: -3, ratio: 1e-7, active: false, at: null, data: 'text', tags: [] },
    { id: 3, label: 'Zoë \u{1F375} "quoted" \\ back\nslash', amount: 0, ratio: null, active: null, at: null, data: null, tags: ['x'] },
  ];
  await writeBatch(db, insertRows(db, samples, given));
  expect(await db.select().from(samples).orderBy(asc(samples.id))).toEqual(given);
  const types = await client.execute(
    'select typeof(label), typeof(amount), typeof(ratio), typeof(active) from insert_rows_samples where id = 1',
  );
  expect(Object.values(types.rows[0]!)).toEqual(['text', 'integer', 'real', 'integer']);
});

it('gives a column its default where the row has no value, a default written as SQL too', async () => {
  const statements = insertRows(db, samples, [{ id: 10 }, { id: 11, tags: ['given'] }]);
  await writeBatch(db, statements);
  expect(
    await db.select({ id: samples.id, amount: samples.amount, tags: samples.tags }).from(samples).where(sql`${samples.id} >= 10`),
  ).toEqual([
    { id: 10, amount: 7, tags: [] },
    { id: 11, amount: 7, tags: ['given'] },
  ]);
});
