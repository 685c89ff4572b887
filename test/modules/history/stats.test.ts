import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enroll } from '../../support/members';
import { line, recordOrder, refundOrder } from '../../support/offers';
import { key } from '../../support/ledger';
import { dailyActivity, importMembers, importOrders, memberStats } from '../../support/history';
import { segmentEmails } from '../../support/segments';
import { createTestApp, TEST_NOW, type TestApp } from '../../support/test-app';

const DAY = 86_400_000;
const day = (days: number) => new Date(new Date(TEST_NOW).getTime() + days * DAY);
const WINDOWS = `query($id: ID!, $days: Int) { member(id: $id) { stats { purchases(kind: CATEGORY, withinDays: $days) { key orders } } } }`;

describe('member stats', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('are empty before the first order', async () => {
    const member = await enroll(app, { email: 'new@example.com' });
    expect(await memberStats(app, member.globalId)).toEqual({
      firstOrderAt: null,
      lastOrderAt: null,
      orderCount: 0,
      totalSpend: 0,
      averageOrderValue: null,
      skus: [],
      categories: [],
    });
  });

  it('follow orders and refunds; "k times within N days" counts whole UTC days, today included', async () => {
    const member = await enroll(app, { email: 'tea@example.com' });
    app.clock.set(day(0));
    await recordOrder(app, { memberId: member.globalId, orderId: 'T-1', lines: [line('GREEN', 1, 1000, { category: 'tea' })] });
    app.clock.set(day(10));
    await recordOrder(app, {
      memberId: member.globalId,
      orderId: 'T-2',
      lines: [line('GREEN', 2, 1000, { category: 'tea' }), line('BLACK', 1, 500, { category: 'tea' })],
    });
    await recordOrder(app, { memberId: member.globalId, orderId: 'T-3', lines: [line('BEANS', 1, 2001, { category: 'coffee' })] });
    expect(await memberStats(app, member.globalId)).toEqual({
      firstOrderAt: day(0).toISOString(),
      lastOrderAt: day(10).toISOString(),
      orderCount: 3,
      totalSpend: 5501,
      averageOrderValue: 1833,
      skus: [
        { key: 'GREEN', orders: 2 },
        { key: 'BEANS', orders: 1 },
        { key: 'BLACK', orders: 1 },
      ],
      categories: [
        { key: 'tea', orders: 2 },
        { key: 'coffee', orders: 1 },
      ],
    });
    const admin = await app.token({ role: 'admin' });
    const within = async (days: number) => (await app.graphql(WINDOWS, { id: member.globalId, days }, admin)).data!.member.stats.purchases;
    expect(await within(10)).toEqual([
      { key: 'coffee', orders: 1 },
      { key: 'tea', orders: 1 },
    ]);
    expect(await within(11)).toEqual([
      { key: 'tea', orders: 2 },
      { key: 'coffee', orders: 1 },
    ]);

    await refundOrder(app, { orderId: 'T-3', amount: 2001 });
    await refundOrder(app, { orderId: 'T-2', amount: 500 });
    expect(await memberStats(app, member.globalId)).toMatchObject({
      orderCount: 2,
      totalSpend: 3000,
      averageOrderValue: 1500,
      lastOrderAt: day(10).toISOString(),
    });
    expect(await within(11)).toEqual([{ key: 'tea', orders: 2 }]);
  });

  it('are read for a page of members in a constant number of round trips, and only by those who may see the member', async () => {
    const query = `query($first: Int) { members(first: $first) { edges { node { stats { orderCount totalSpend } } } } }`;
    const admin = await app.token({ role: 'admin' });
    for (let index = 0; index < 6; index++) await enroll(app, { email: `page${index}@example.com` });
    const roundTripsFor = async (first: number) => {
      const before = app.roundTrips.count;
      expect((await app.graphql(query, { first }, admin)).errors).toBeUndefined();
      return app.roundTrips.count - before;
    };
    expect(await roundTripsFor(8)).toBe(await roundTripsFor(2));
    const member = await enroll(app, { email: 'private@example.com' });
    const other = await enroll(app, { email: 'other@example.com' });
    const asOther = await app.graphql(
      `query($id: ID!) { member(id: $id) { stats { orderCount } } }`,
      { id: member.globalId },
      await app.token({ role: 'member', subject: other.memberId }),
    );
    expect(asOther.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const asSelf = await app.graphql(
      `query($id: ID!) { member(id: $id) { stats { orderCount } } }`,
      { id: member.globalId },
      await app.token({ role: 'member', subject: member.memberId }),
    );
    expect(asSelf.data!.member.stats.orderCount).toBe(0);
  });
  it('count a guest order for no one until a member claims it, then as it stands after its refunds', async () => {
    const member = await enroll(app, { email: 'claimer@example.com' });
    app.clock.set(day(0));
    await recordOrder(app, { orderId: 'G-1', lines: [line('GREEN', 2, 1000, { category: 'tea' }), line('MUG', 1, 500)] });
    await refundOrder(app, { orderId: 'G-1', lines: [{ sku: 'MUG', quantity: 1 }] });
    expect((await memberStats(app, member.globalId)).orderCount).toBe(0);
    const claimed = await app.graphql(
      `mutation($input: ClaimOrderInput!) { claimOrder(input: $input) { __typename } }`,
      { input: { orderId: 'G-1', memberId: member.globalId, idempotencyKey: key('claim') } },
      await app.token({ role: 'storefront' }),
    );
    expect(claimed.data!.claimOrder.__typename).toBe('ClaimOrderPayload');
    expect(await memberStats(app, member.globalId)).toMatchObject({
      orderCount: 1,
      totalSpend: 2000,
      firstOrderAt: day(0).toISOString(),
      skus: [{ key: 'GREEN', orders: 1 }],
      categories: [{ key: 'tea', orders: 1 }],
    });
    const placed = day(0);
    expect(await dailyActivity(app, member.memberId)).toEqual([
      {
        memberId: member.memberId,
        day: Math.floor(placed.getTime() / DAY),
        month: placed.getUTCFullYear() * 12 + placed.getUTCMonth(),
        orders: 1,
        spend: 2000,
        purchases: '[["category","tea",1],["sku","GREEN",1]]',
      },
    ]);
  });
  it('keep daily activity for imported orders, the orders of a day merged in one row, with the month of each UTC day', async () => {
    await importMembers(app, [{ externalId: 'IMP-1', email: 'imported@example.com' }]);
    const tea = (sku: string, unitPrice: number) => [{ sku, category: 'tea', quantity: 1, unitPrice }];
    await importOrders(app, [
      { memberExternalId: 'IMP-1', orderId: 'I-1', placedAt: '2025-01-31T23:59:59.999Z', currency: 'EUR', total: 1000 },
      {
        memberExternalId: 'IMP-1',
        orderId: 'I-2',
        placedAt: '2025-02-01T00:00:00.000Z',
        currency: 'EUR',
        total: 700,
        lines: tea('GREEN', 700),
      },
      {
        memberExternalId: 'IMP-1',
        orderId: 'I-3',
        placedAt: '2025-02-01T10:00:00.000Z',
        currency: 'EUR',
        total: 300,
        lines: tea('BLACK', 300),
      },
    ]);
    // A later call's order of the same day merges with the row the first one wrote.
    await importOrders(app, [
      {
        memberExternalId: 'IMP-1',
        orderId: 'I-4',
        placedAt: '2025-02-01T20:00:00.000Z',
        currency: 'EUR',
        total: 500,
        lines: tea('GREEN', 500),
      },
    ]);
    const [member] = (await app.client.execute("select id from members where external_id = 'IMP-1'")).rows;
    const memberId = String(member!.id);
    expect(await dailyActivity(app, memberId)).toEqual([
      { memberId, day: 20119, month: 2025 * 12 + 0, orders: 1, spend: 1000, purchases: '[]' },
      {
        memberId,
        day: 20120,
        month: 2025 * 12 + 1,
        orders: 3,
        spend: 1500,
        purchases: '[["category","tea",3],["sku","BLACK",1],["sku","GREEN",2]]',
      },
    ]);
    // A refund takes its order out of the day's purchases, and the day goes with its last counted order.
    await refundOrder(app, { orderId: 'I-4', amount: 500 });
    await refundOrder(app, { orderId: 'I-1', amount: 1000 });
    expect(await dailyActivity(app, memberId)).toEqual([
      {
        memberId,
        day: 20120,
        month: 2025 * 12 + 1,
        orders: 2,
        spend: 1000,
        purchases: '[["category","tea",2],["sku","BLACK",1],["sku","GREEN",1]]',
      },
    ]);
  });

  it('count keys of any text (quotes, backslashes, accents, emoji, half a surrogate pair by import), take them away on refund, and match them in segments', async () => {
    const member = await enroll(app, { email: 'unicode@example.com' });
    app.clock.set(day(0));
    const keys = ['"tea"\\', 'ÉCLAIR', 'TART', '🍵'];
    for (const [index, sku] of keys.entries())
      await recordOrder(app, { memberId: member.globalId, orderId: `U-${index}`, lines: [line(sku, 1, 100, { category: `c-${sku}` })] });
    // Half a surrogate pair comes in by import too, and is stored as U+FFFD.
    await importMembers(app, [{ externalId: 'UNI-1', email: 'unicode-import@example.com' }]);
    const half = { sku: 'x\ud800', category: null, quantity: 1, unitPrice: 100 };
    const imported = await importOrders(app, [
      { memberExternalId: 'UNI-1', orderId: 'UI-1', placedAt: day(-1).toISOString(), currency: 'EUR', total: 100, lines: [half] },
      { memberExternalId: 'UNI-1', orderId: 'UI-2', placedAt: day(-1).toISOString(), currency: 'EUR', total: 100, lines: [half] },
    ]);
    expect(imported.imported).toBe(2);
    expect(await segmentEmails(app, { bought: { sku: 'x\uFFFD', atLeast: 2 } })).toEqual(['unicode-import']);
    const skus = (await memberStats(app, member.globalId)).skus.map((entry: { key: string }) => entry.key);
    expect(skus).toEqual(['"tea"\\', 'TART', 'ÉCLAIR', '🍵']);
    for (const sku of keys) expect(await segmentEmails(app, { bought: { sku, withinDays: 1 } })).toEqual(['unicode']);
    expect(await segmentEmails(app, { bought: { sku: '"tea"' } })).toEqual([]);
    for (const index of keys.keys()) await refundOrder(app, { orderId: `U-${index}`, lines: [{ sku: keys[index]!, quantity: 1 }] });
    expect((await memberStats(app, member.globalId)).skus).toEqual([]);
    expect(await dailyActivity(app, member.memberId)).toEqual([]);
  });

  it('record an order whose SKU holds half a surrogate pair (a GraphQL variable may carry one) as U+FFFD, and replay it by its key', async () => {
    const member = await enroll(app, { email: 'half@example.com' });
    app.clock.set(day(0));
    const input = { memberId: member.globalId, orderId: 'H-1', idempotencyKey: 'half-1', lines: [line('y\ud800', 1, 100)] };
    const recorded = await recordOrder(app, input);
    expect(recorded.__typename).toBe('RecordOrderPayload');
    expect((await recordOrder(app, input)).replayed).toBe(true);
    expect(await segmentEmails(app, { bought: { sku: 'y\uFFFD', withinDays: 1 } })).toEqual(['half']);
    expect((await memberStats(app, member.globalId)).skus.map((entry: { key: string }) => entry.key)).toEqual(['y\uFFFD']);
  });
});
