import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/test-app';

/**
 * Every B-tree an order writes into costs each import a page per order once the trees are large
 * (README, "Benchmark: import and segments"): this pins them, so that a table rebuilt without
 * `WITHOUT ROWID` (which drizzle-kit does not model) or a new index on these tables is a decision.
 */
const ORDER_TABLES = ['orders', 'order_lines', 'member_stats', 'member_daily_activity', 'purchased_keys'];

describe('the B-trees an order writes into', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('are these tables and indexes, with the daily activity, lines and purchased keys WITHOUT ROWID', async () => {
    const list = ORDER_TABLES.map((table) => `'${table}'`).join(', ');
    const trees = await app.client.execute(
      `select type, name, tbl_name, sql like '%WITHOUT ROWID' as without_rowid from sqlite_schema where tbl_name in (${list}) and type in ('table', 'index') order by tbl_name, type desc, name`,
    );
    expect(trees.rows.map((row) => `${row.tbl_name}: ${row.type} ${row.name}${row.without_rowid ? ' WITHOUT ROWID' : ''}`)).toEqual([
      'member_daily_activity: table member_daily_activity WITHOUT ROWID',
      'member_stats: table member_stats',
      'member_stats: index member_stats_program_last_order',
      'member_stats: index sqlite_autoindex_member_stats_1',
      'order_lines: table order_lines WITHOUT ROWID',
      'orders: table orders',
      'orders: index orders_discounted',
      'orders: index orders_member_created',
      'orders: index orders_program_order_id',
      'orders: index sqlite_autoindex_orders_1',
      'purchased_keys: table purchased_keys WITHOUT ROWID',
    ]);
  });
});
