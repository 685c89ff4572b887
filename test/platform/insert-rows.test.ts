import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Client } from '@libsql/client';
import { operations, programs } from '../../schema';
import { writeBatch, type Database } from '../../src/platform/db/database';
import { insertRows, insertRowsFromJson } from '../../src/platform/db/insert-rows';
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

it('writes many rows in a few statements, mapping values as drizzle does', async () => {
  const statements = insertRows(db, programs, rows);
  expect(statements.length).toBe(3);
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

it('inserts rows from one JSON parameter, with the values all rows share given once, mapped as drizzle maps them', async () => {
  const createdAt = new Date(Date.UTC(2026, 5, 1, 12));
  const shared = { programId: 'p-0001', command: 'ledger.expirePoints', createdAt };
  const perRow = Array.from({ length: 600 }, (_, index) => ({
    id: `op-${String(index).padStart(4, '0')}`,
    idempotencyKey: `key-${index}`,
    requestHash: 'hash',
    memberId: null,
    result: { points: index, lots: [{ lotId: `l-${index}`, points: -index - 1 }], note: 'a "quoted" \\ text' },
  }));
  const statements = insertRowsFromJson(db, operations, shared, perRow);
  expect(statements).toHaveLength(1);
  await writeBatch(db, statements);
  expect(await db.select().from(operations).orderBy(asc(operations.id))).toEqual(perRow.map((row) => ({ ...shared, ...row })));
  expect(insertRowsFromJson(db, operations, shared, [])).toEqual([]);
});
