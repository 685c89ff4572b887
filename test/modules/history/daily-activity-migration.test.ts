import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { key } from '../../support/ledger';
import { dailyActivity, importMembers, importOrders, migrationStatements, recreateTablesBeforeDailyActivity } from '../../support/history';
import { enroll } from '../../support/members';
import { line, recordOrder, refundOrder } from '../../support/offers';
import { createTestApp, TEST_NOW, type TestApp } from '../../support/test-app';

/**
 * Migration 0020 builds the daily activity from the orders (orders and spend per day) and from the
 * purchase counts it replaces (the day's purchases): it must give what recording, refunding,
 * claiming and importing keep.
 */
describe('migration 0020 (daily activity)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('gives, from the orders and the purchase counts, what the order batches keep', async () => {
    const member = await enroll(app, { email: 'backfill@example.com' });
    await recordOrder(app, {
      memberId: member.globalId,
      orderId: 'B-1',
      lines: [line('GREEN', 2, 1500, { category: 'tea' }), line('MUG', 1, 900)],
    });
    await recordOrder(app, { memberId: member.globalId, orderId: 'B-2', lines: [line('BLACK', 1, 900, { category: 'tea' })] });
    await recordOrder(app, { memberId: member.globalId, orderId: 'B-3', lines: [line('BEANS', 1, 700, { category: 'coffee' })] });
    await refundOrder(app, { orderId: 'B-1', lines: [{ sku: 'MUG', quantity: 1 }] });
    await refundOrder(app, { orderId: 'B-2', amount: 900 });
    await recordOrder(app, { orderId: 'G-1', lines: [line('GREEN', 1, 1500, { category: 'tea' })] });
    const claimed = await app.graphql(
      `mutation($input: ClaimOrderInput!) { claimOrder(input: $input) { __typename } }`,
      { input: { orderId: 'G-1', memberId: member.globalId, idempotencyKey: key('claim') } },
      await app.token({ role: 'storefront' }),
    );
    expect(claimed.data!.claimOrder.__typename).toBe('ClaimOrderPayload');
    await importMembers(app, [{ externalId: 'BF-1' }]);
    await importOrders(app, [
      { memberExternalId: 'BF-1', orderId: 'BF-1', placedAt: '2024-02-29T23:59:59.999Z', currency: 'EUR', total: 1200 },
      {
        memberExternalId: 'BF-1',
        orderId: 'BF-2',
        placedAt: '2024-03-01T00:00:00.000Z',
        currency: 'EUR',
        total: 800,
        lines: [{ sku: 'ÉCLAIR', category: 'pâtisserie', quantity: 1, unitPrice: 800 }],
      },
      {
        memberExternalId: 'BF-1',
        orderId: 'BF-3',
        placedAt: '2024-03-01T18:00:00.000Z',
        currency: 'EUR',
        total: 500,
        lines: [{ sku: 'TART', category: 'pâtisserie', quantity: 1, unitPrice: 500 }],
      },
    ]);
    const imported = String((await app.client.execute("select id from members where external_id = 'BF-1'")).rows[0]!.id);
    const dayOf = (at: string) => Math.floor(new Date(at).getTime() / 86_400_000);
    const kept = await dailyActivity(app);
    // Sorted as SQLite sorts text: 'TART' before 'ÉCLAIR'; units refunded (MUG) and fully refunded orders (B-2) count for nothing.
    expect(kept).toEqual(
      [
        {
          memberId: member.memberId,
          day: dayOf(TEST_NOW),
          month: 2026 * 12 + 10,
          orders: 3,
          spend: 3000 + 700 + 1500,
          purchases: '[["category","coffee",1],["category","tea",2],["sku","BEANS",1],["sku","GREEN",2]]',
        },
        { memberId: imported, day: dayOf('2024-02-29T12:00:00Z'), month: 2024 * 12 + 1, orders: 1, spend: 1200, purchases: '[]' },
        {
          memberId: imported,
          day: dayOf('2024-03-01T12:00:00Z'),
          month: 2024 * 12 + 2,
          orders: 2,
          spend: 1300,
          purchases: '[["category","pâtisserie",2],["sku","TART",1],["sku","ÉCLAIR",1]]',
        },
      ].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : a.day - b.day)),
    );
    await recreateTablesBeforeDailyActivity(app);
    await app.client.execute('drop table member_daily_activity');
    for (const statement of migrationStatements('0020_member_daily_activity.sql')) await app.client.execute(statement);
    expect(await dailyActivity(app)).toEqual(kept);
    const tables = await app.client.execute(
      "select name from sqlite_schema where name in ('member_purchase_counts', 'member_monthly_activity', 'member_daily_activity')",
    );
    expect(tables.rows.map((row) => row.name)).toEqual(['member_daily_activity']);
  });
});
