import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { key } from '../../support/ledger';
import { enroll } from '../../support/members';
import { importMembers, importOrders, migrationStatements, recreateTablesBeforeDailyActivity } from '../../support/history';
import { line, recordOrder, refundOrder } from '../../support/offers';
import { createSegment } from '../../support/segments';
import { createTestApp, type TestApp } from '../../support/test-app';

/** Migration 0019 fills the known purchase keys from the purchase counts already there. */
const BACKFILL = migrationStatements('0019_history_trees.sql').find((statement) => statement.startsWith('INSERT INTO `purchased_keys`'))!;

const keys = async (app: TestApp) =>
  (await app.client.execute('select program_id, kind, key from purchased_keys order by 1, 2, 3')).rows.map((row) => [
    String(row.program_id),
    String(row.kind),
    String(row.key),
  ]);

/** Whether a segment may name the category (the typed error names an unknown one). */
async function categoryKnown(app: TestApp, category: string) {
  const created = await createSegment(app, { bought: { category } }, `bought ${category}`);
  if (created.__typename === 'SegmentPayload') return true;
  expect(created.issues).toEqual([
    { path: ['input', 'definition', 'bought', 'category'], message: `unknown category "${category}" in this program` },
  ]);
  return false;
}

describe('the categories a segment may name', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('are those bought by a recorded, imported or claimed order, and stay known after a full refund', async () => {
    const member = await enroll(app, { email: 'keys@example.com' });
    expect(await categoryKnown(app, 'tea')).toBe(false);
    await recordOrder(app, { memberId: member.globalId, orderId: 'K-1', lines: [line('GREEN', 1, 1000, { category: 'tea' })] });
    await refundOrder(app, { orderId: 'K-1', amount: 1000 });
    expect(await categoryKnown(app, 'tea')).toBe(true);

    await importMembers(app, [{ externalId: 'K-IMP' }]);
    await importOrders(app, [
      {
        memberExternalId: 'K-IMP',
        orderId: 'K-2',
        placedAt: '2025-03-01T10:00:00.000Z',
        currency: 'EUR',
        lines: [{ sku: 'MUG', category: 'cups', quantity: 1, unitPrice: 800 }],
      },
    ]);
    expect(await categoryKnown(app, 'cups')).toBe(true);

    // A guest's order counts for no one, so its category is not bought by a member until claimed.
    await recordOrder(app, { orderId: 'K-3', lines: [line('BEANS', 1, 1500, { category: 'coffee' })] });
    expect(await categoryKnown(app, 'coffee')).toBe(false);
    const claimed = await app.graphql(
      `mutation($input: ClaimOrderInput!) { claimOrder(input: $input) { __typename } }`,
      { input: { orderId: 'K-3', memberId: member.globalId, idempotencyKey: key('claim') } },
      await app.token({ role: 'storefront' }),
    );
    expect(claimed.data!.claimOrder.__typename).toBe('ClaimOrderPayload');
    expect(await categoryKnown(app, 'coffee')).toBe(true);
    expect(await categoryKnown(app, 'teaa')).toBe(false);
  });

  it('are filled by migration 0019 from the purchase counts already there', async () => {
    const kept = await keys(app);
    await recreateTablesBeforeDailyActivity(app);
    const counted = (
      await app.client.execute('select distinct program_id, kind, key from member_purchase_counts order by 1, 2, 3')
    ).rows.map((row) => [String(row.program_id), String(row.kind), String(row.key)]);
    // What a full refund took out of the counts stays known; the rest is what the backfill gives.
    expect(kept).toEqual(expect.arrayContaining(counted));
    expect(kept.length).toBeGreaterThan(counted.length);
    await app.client.execute('delete from purchased_keys');
    await app.client.execute(BACKFILL);
    expect(await keys(app)).toEqual(counted);
  });
});
