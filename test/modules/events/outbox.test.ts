import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { ADJUST, expectLedgerSound, key, mutate, REDEEM, REVERSE, SPEND_WALLET, TOP_UP } from '../../support/ledger';
import { recordOrder, refundOrder } from '../../support/offers';
import { ERASE, UPDATE } from '../../support/operations';
import { eventSchemas, expectValidEvent, readEvents } from '../../support/events';
import { eventTypes } from '../../../src/platform/outbox';

let app: TestApp;
let admin: string;

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.token({ role: 'admin' });
});
afterAll(() => app.close());

const countEvents = async () => (await app.db.all<{ n: number }>(sql`select count(*) as n from events`))[0]!.n;

describe('the outbox', () => {
  it('has a JSON Schema for every event type of the catalog', () => {
    const schemas = eventSchemas();
    expect([...schemas.keys()].sort()).toEqual(eventTypes.map((type) => `${type}.v1`).sort());
  });

  it('writes an event with each change, in commit order, each matching its JSON Schema and carrying no personal data', async () => {
    const ada = await enroll(app, {
      externalId: 'shop-ada',
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      birthday: '1990-12-10',
      consents: { email: true },
    });
    await app.graphql(UPDATE, { input: { id: ada.globalId, name: 'Ada King', email: 'ada.king@example.com' } }, admin);
    await mutate(app, ADJUST, { memberId: ada.globalId, points: 500, reason: 'welcome' });
    await mutate(app, REDEEM, { memberId: ada.globalId, points: 100, reason: 'a mug', reference: 'reward-1' });
    await mutate(app, TOP_UP, { memberId: ada.globalId, currency: 'EUR', amount: 5000 });
    const spent = await mutate(app, SPEND_WALLET, { memberId: ada.globalId, currency: 'EUR', amount: 1000 });
    expect(spent.__typename).toBe('WalletPayload');
    const order = await recordOrder(app, { memberId: ada.globalId, total: 2000, orderId: 'outbox-order-1' });
    expect(order.__typename).toBe('RecordOrderPayload');
    await refundOrder(app, { orderId: 'outbox-order-1', amount: 500 });
    const adjusted = await mutate(app, ADJUST, { memberId: ada.globalId, points: -50, reason: 'typo' });
    const reversed = await mutate(app, REVERSE, { transferId: adjusted.transfer?.id ?? adjusted.transferId, reason: 'undo' });
    expect(reversed.__typename, JSON.stringify(reversed)).toBe('ReverseTransferPayload');
    await app.graphql(ERASE, { input: { id: ada.globalId } }, admin);

    const events = await readEvents(app, { memberId: ada.globalId });
    expect(events.map((event) => event.type)).toEqual([
      'member.enrolled',
      'member.updated',
      'points.adjusted',
      'points.redeemed',
      'wallet.topped_up',
      'wallet.spent',
      'order.recorded',
      'points.earned',
      'order.refunded',
      'points.adjusted',
      'points.adjusted',
      'member.erased',
    ]);
    for (const event of events) expectValidEvent(event);
    const text = JSON.stringify(events);
    for (const personal of ['ada@example.com', 'ada.king', 'Ada', '1990-12-10']) expect(text).not.toContain(personal);
    expect(events[1]!.data.changed).toEqual(['email', 'name']);
    expect(events.find((event) => event.type === 'order.recorded')!.data).toMatchObject({
      orderId: 'outbox-order-1',
      total: 2000,
      pointsEarned: 20,
    });
    expect(events.at(-2)!.data).toMatchObject({ points: 50, reversesTransferId: expect.any(String) });
    // Cursors are the commit order.
    expect(events.map((event) => Number(event.cursor))).toEqual(events.map((event) => Number(event.cursor)).sort((a, b) => a - b));
    await expectLedgerSound(app);
  });

  it('reports a guest order without a member, and its claim with the points the member earned', async () => {
    const guest = await recordOrder(app, { orderId: 'outbox-guest-1', total: 3000 });
    expect(guest.__typename).toBe('RecordOrderPayload');
    const { globalId, memberId } = await enroll(app, { externalId: 'shop-claimer' });
    const claim = await app.graphql(
      `mutation($input: ClaimOrderInput!) { claimOrder(input: $input) { __typename ... on Error { code message } } }`,
      { input: { orderId: 'outbox-guest-1', memberId: globalId, idempotencyKey: key('claim') } },
      await app.token({ role: 'storefront' }),
    );
    expect(claim.data!.claimOrder.__typename, JSON.stringify(claim)).not.toMatch(/Error|NotFound/);
    const recorded = (await readEvents(app, { types: ['order.recorded'] })).find((event) => event.data.orderId === 'outbox-guest-1')!;
    expect(recorded.data).toMatchObject({ memberId: null, pointsBalance: null });
    expectValidEvent(recorded);
    const claimed = await readEvents(app, { memberId: globalId });
    expect(claimed.map((event) => event.type)).toEqual(['member.enrolled', 'order.claimed', 'points.earned']);
    expect(claimed[1]!.data).toMatchObject({ memberId, orderId: 'outbox-guest-1', pointsEarned: 30, pointsBalance: 30 });
    for (const event of claimed) expectValidEvent(event);
  });

  it('writes no second event for a replayed idempotent command', async () => {
    const { globalId } = await enroll(app, { externalId: 'shop-replay' });
    const idempotencyKey = key('replay');
    const first = await mutate(app, ADJUST, { memberId: globalId, points: 70, reason: 'once', idempotencyKey });
    const again = await mutate(app, ADJUST, { memberId: globalId, points: 70, reason: 'once', idempotencyKey });
    expect([first.replayed, again.replayed]).toEqual([false, true]);
    const events = await readEvents(app, { memberId: globalId, types: ['points.adjusted'] });
    expect(events).toHaveLength(1);
  });

  it('writes no event when the batch fails (a duplicate order id trips the UNIQUE guard and rolls everything back)', async () => {
    const { globalId } = await enroll(app, { externalId: 'shop-atomic' });
    await recordOrder(app, { memberId: globalId, total: 1000, orderId: 'atomic-1' });
    const before = await countEvents();
    const duplicate = await recordOrder(app, { memberId: globalId, total: 3000, orderId: 'atomic-1' });
    expect(duplicate.__typename).toBe('DuplicateOrderError');
    const refused = await mutate(app, REDEEM, { memberId: globalId, points: 1_000_000, reason: 'too much' });
    expect(refused.__typename).toBe('InsufficientPointsError');
    expect(await countEvents()).toBe(before);
  });

  it('an erased member’s events, earlier and later, carry nothing personal', async () => {
    const { globalId, memberId } = await enroll(app, { externalId: 'shop-gone', email: 'gone@example.com', consents: { sms: true } });
    await mutate(app, ADJUST, { memberId: globalId, points: 30, reason: 'before' });
    await app.graphql(ERASE, { input: { id: globalId } }, admin);
    const result = await app.deps.serializer.execute(`acme:${memberId}`, 'ledger.expirePoints', {
      programId: 'acme',
      memberId,
      idempotencyKey: key('late'),
      asOf: '2099-01-01T00:00:00.000Z',
    });
    const after = (await readEvents(app, { memberId: globalId })).filter((event) => event.type !== 'member.enrolled');
    expect(after.map((event) => event.type)).toEqual([
      'points.adjusted',
      'member.erased',
      ...(result.points > 0 ? ['points.expired'] : []),
    ]);
    expect(JSON.stringify(after)).not.toMatch(/gone@|shop-gone/);
    // Erasure also removed the external id from the member's earlier events.
    const enrolled = await readEvents(app, { memberId: globalId, types: ['member.enrolled'] });
    expect(enrolled[0]!.data).toMatchObject({ memberId, externalId: null });
  });

  it('filters by type, resumes from a cursor and stays within the program', async () => {
    const all = await readEvents(app);
    const middle = all[Math.floor(all.length / 2)]!;
    const response = await app.graphql(
      `query($after: String) { events(after: $after, first: 100) { edges { node { id } } } }`,
      { after: middle.cursor },
      admin,
    );
    expect(response.data!.events.edges.map((edge: any) => edge.node.id)).toEqual(
      all.slice(all.indexOf(middle) + 1).map((event) => event.id),
    );
    const enrolled = await readEvents(app, { types: ['member.enrolled'] });
    expect(enrolled.length).toBeGreaterThan(0);
    expect(enrolled.every((event) => event.type === 'member.enrolled')).toBe(true);
    expect(await readEvents(app, { programId: 'globex' })).toEqual([]);
  });

  it('is for admins only, and refuses a cursor it did not issue', async () => {
    for (const role of ['storefront', 'member'] as const) {
      const response = await app.graphql(
        `{ events(first: 1) { edges { node { id } } } }`,
        {},
        await app.token({ role, subject: 'someone' }),
      );
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const bad = await app.graphql(`{ events(after: "drop table", first: 1) { edges { node { id } } } }`, {}, admin);
    expect(bad.errors?.[0]?.message).toMatch(/cursor/);
  });
});
