import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importMembers, importOrders } from '../../support/history';
import { enroll } from '../../support/members';
import { line, recordOrder, refundOrder } from '../../support/offers';
import { createTestApp, type TestApp } from '../../support/test-app';

/** Migration 0017 backfills monthly activity from the orders already there: it must give what the order batches keep. */
const BACKFILL = readFileSync(new URL('../../../migrations/0017_member_monthly_activity.sql', import.meta.url), 'utf8')
  .split('--> statement-breakpoint')
  .map((statement) => statement.trim())
  .find((statement) => statement.startsWith('INSERT INTO `member_monthly_activity`'))!;

const activity = async (app: TestApp) =>
  (await app.client.execute('select member_id, month, orders, spend from member_monthly_activity order by member_id, month')).rows.map(
    (row) => [String(row.member_id), Number(row.month), Number(row.orders), Number(row.spend)],
  );

describe('the monthly activity backfill', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('gives, from the orders, what recording, refunding and importing kept', async () => {
    const member = await enroll(app, { email: 'backfill@example.com' });
    await recordOrder(app, { memberId: member.globalId, orderId: 'B-1', lines: [line('TEA', 2, 1500)] });
    await recordOrder(app, { memberId: member.globalId, orderId: 'B-2', lines: [line('TEA', 1, 900)] });
    await refundOrder(app, { orderId: 'B-1', amount: 1000 });
    await refundOrder(app, { orderId: 'B-2', amount: 900 });
    await importMembers(app, [{ externalId: 'BF-1' }]);
    await importOrders(app, [
      { memberExternalId: 'BF-1', orderId: 'BF-1', placedAt: '2024-02-29T23:59:59.999Z', currency: 'EUR', total: 1200 },
      { memberExternalId: 'BF-1', orderId: 'BF-2', placedAt: '2024-03-01T00:00:00.000Z', currency: 'EUR', total: 800 },
    ]);
    const kept = await activity(app);
    expect(kept).toHaveLength(3);
    await app.client.execute('delete from member_monthly_activity');
    await app.client.execute(BACKFILL);
    expect(await activity(app)).toEqual(kept);
  });
});
