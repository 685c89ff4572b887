import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enroll } from '../../support/members';
import { createOffer, line, recordOrder, refundOrder } from '../../support/offers';
import { ORDER, ORDERS } from '../../support/history';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('orders you can read', () => {
  let app: TestApp;
  let ada: Awaited<ReturnType<typeof enroll>>;
  let ben: Awaited<ReturnType<typeof enroll>>;
  let offerId: string;

  beforeAll(async () => {
    app = await createTestApp();
    ada = await enroll(app, { email: 'ada@example.com' });
    ben = await enroll(app, { email: 'ben@example.com' });
    offerId = (await createOffer(app, { name: 'Tea 10%', effect: { percentOff: { basisPoints: 1000, items: { categories: ['tea'] } } } }))
      .id;
    await recordOrder(app, {
      memberId: ada.globalId,
      orderId: 'A-1',
      lines: [line('GREEN', 2, 1000, { category: 'tea' }), line('MUG', 1, 1500)],
    });
    await recordOrder(app, { memberId: ada.globalId, orderId: 'A-2', lines: [line('BEANS', 1, 2000, { category: 'coffee' })] });
    await recordOrder(app, { memberId: ben.globalId, orderId: 'B-1', lines: [line('BEANS', 3, 2000, { category: 'coffee' })] });
    await refundOrder(app, { orderId: 'A-1', lines: [{ sku: 'GREEN', quantity: 1 }] });
  });
  afterAll(() => app.close());

  it('shows lines, discounts, applied offers and refunds of an order', async () => {
    const response = await app.graphql(ORDER, { orderId: 'A-1' }, await app.token({ role: 'storefront' }));
    expect(response.errors).toBeUndefined();
    const order = response.data!.order;
    expect(order).toMatchObject({
      orderId: 'A-1',
      member: { id: ada.globalId },
      total: { amount: 3500, currency: 'EUR' },
      discount: { amount: 200 },
      totalAfterDiscount: { amount: 3300 },
      refunded: { amount: 900 },
      fullyRefundedAt: null,
      lines: [
        { lineNo: 0, sku: 'GREEN', category: 'tea', quantity: 2, unitPrice: 1000, discount: 200, refundedQuantity: 1 },
        { lineNo: 1, sku: 'MUG', category: null, quantity: 1, unitPrice: 1500, discount: 0, refundedQuantity: 0 },
      ],
      appliedOffers: [{ offer: { id: offerId, name: 'Tea 10%' }, code: null, discount: 200, releasedAt: null }],
    });
    expect(order.refunds).toHaveLength(1);
    expect(order.refunds[0]).toMatchObject({ amount: 900 });
  });

  it('lists newest first, filters by member and period, and pages with cursors', async () => {
    const admin = await app.token({ role: 'admin' });
    const all = await app.graphql(ORDERS, { first: 2 }, admin);
    expect(all.data!.orders.edges.map((edge: any) => edge.node.orderId)).toEqual(['B-1', 'A-2']);
    expect(all.data!.orders.pageInfo.hasNextPage).toBe(true);
    const next = await app.graphql(ORDERS, { first: 2, after: all.data!.orders.pageInfo.endCursor }, admin);
    expect(next.data!.orders.edges.map((edge: any) => edge.node.orderId)).toEqual(['A-1']);
    const adas = await app.graphql(ORDERS, { memberId: ada.globalId, first: 10 }, admin);
    expect(adas.data!.orders.edges.map((edge: any) => edge.node.orderId)).toEqual(['A-2', 'A-1']);
    const now = app.clock.now().getTime();
    const before = await app.graphql(ORDERS, { to: new Date(now).toISOString(), first: 10 }, admin);
    expect(before.data!.orders.edges).toHaveLength(0);
    const from = await app.graphql(ORDERS, { from: new Date(now).toISOString(), to: new Date(now + 1).toISOString(), first: 10 }, admin);
    expect(from.data!.orders.edges).toHaveLength(3);
  });

  it('member.orders lists the member’s own', async () => {
    const response = await app.graphql(
      `query($id: ID!) { member(id: $id) { orders(first: 5) { edges { node { orderId } } } } }`,
      { id: ben.globalId },
      await app.token({ role: 'admin' }),
    );
    expect(response.data!.member.orders.edges.map((edge: any) => edge.node.orderId)).toEqual(['B-1']);
  });

  it('a member reads only its own orders; another tenant none', async () => {
    const adaToken = await app.token({ role: 'member', subject: ada.memberId });
    const own = await app.graphql(ORDERS, { first: 10 }, adaToken);
    expect(own.data!.orders.edges.map((edge: any) => edge.node.orderId)).toEqual(['A-2', 'A-1']);
    const others = await app.graphql(ORDERS, { memberId: ben.globalId, first: 10 }, adaToken);
    expect(others.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await app.graphql(ORDER, { orderId: 'B-1' }, adaToken)).data!.order).toBeNull();
    expect((await app.graphql(ORDER, { orderId: 'A-2' }, adaToken)).data!.order.orderId).toBe('A-2');
    const stranger = await app.token({ role: 'admin', programId: 'globex' });
    expect((await app.graphql(ORDERS, { first: 10 }, stranger)).data!.orders.edges).toEqual([]);
    expect((await app.graphql(ORDER, { orderId: 'A-1' }, stranger)).data!.order).toBeNull();
    const viaNode = await app.graphql(
      `query($id: ID!) { node(id: $id) { ... on Order { orderId } } }`,
      { id: (await app.graphql(ORDER, { orderId: 'A-1' }, await app.token({ role: 'admin' }))).data!.order.id },
      stranger,
    );
    expect(viaNode.data!.node).toBeNull();
    expect((await app.graphql(ORDERS, { first: 1 })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('reads a page in a constant number of round trips', async () => {
    for (let index = 0; index < 12; index++) {
      await recordOrder(app, {
        memberId: ben.globalId,
        orderId: `B-bulk-${index}`,
        lines: [line('GREEN', 1, 1000, { category: 'tea' }), line('MUG', 1, 1500)],
      });
    }
    await refundOrder(app, { orderId: 'B-bulk-3', amount: 100 });
    const admin = await app.token({ role: 'admin' });
    const roundTripsFor = async (first: number) => {
      const before = app.roundTrips.count;
      const response = await app.graphql(ORDERS, { first }, admin);
      expect(response.errors).toBeUndefined();
      expect(response.data!.orders.edges).toHaveLength(first);
      return app.roundTrips.count - before;
    };
    expect(await roundTripsFor(12)).toBe(await roundTripsFor(2));
  });
});
