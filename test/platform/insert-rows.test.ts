import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Client } from '@libsql/client';
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
