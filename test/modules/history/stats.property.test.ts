import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT } from '../../../src/platform/bounds';
import { inFreshApp } from '../../support/ledger';
import { enroll } from '../../support/members';
import { recordOrder } from '../../support/offers';
import { dailyActivity, importOrders, memberStats } from '../../support/history';
import { REFUND_CHECKOUT } from '../../support/offers';
import { key } from '../../support/ledger';
import { assertProperty, propertySettings } from '../../support/property';
import { TEST_NOW, type TestApp } from '../../support/test-app';

/**
 * "Member stats equal a recomputation from the orders": random histories of orders (recorded,
 * imported a few at a time into past days, or recorded as a guest's and claimed; lines of a few
 * SKUs and categories, amounts up to the maxima, days apart) and refunds (by amount or by lines,
 * partial, full, or refused), after which every stat and the daily activity (per UTC day: counted
 * orders, net spend, and how many of them bought each SKU and category, as canonical JSON) must be
 * what the orders and their lines now say.
 */

const SKUS = ['GREEN', 'BLACK', 'BEANS', 'MUG'] as const;
const CATEGORY: Record<string, string | null> = { GREEN: 'tea', BLACK: 'tea', BEANS: 'coffee', MUG: null };
const DAY = 86_400_000;

const orderLine = fc.record({
  sku: fc.constantFrom(...SKUS),
  quantity: fc.integer({ min: 1, max: 3 }),
  unitPrice: fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.constant(Math.floor(MAX_AMOUNT / 12))),
});

const step = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      daysLater: fc.integer({ min: 0, max: 40 }),
      lines: fc.array(orderLine, { minLength: 0, maxLength: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('import' as const),
      orders: fc.array(fc.record({ hoursAgo: fc.integer({ min: 1, max: 72 }), lines: fc.array(orderLine, { maxLength: 4 }) }), {
        minLength: 1,
        maxLength: 3,
      }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('claim' as const), lines: fc.array(orderLine, { minLength: 1, maxLength: 3 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('refundAmount' as const),
      order: fc.nat(),
      share: fc.double({ min: 0, max: 1.2, noNaN: true }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('refundLines' as const),
      order: fc.nat(),
      sku: fc.constantFrom(...SKUS),
      quantity: fc.integer({ min: 1, max: 3 }),
    }),
  },
);

interface Row {
  [column: string]: unknown;
}

async function rows(app: TestApp, sql: string, args: unknown[]) {
  return (await app.client.execute({ sql, args: args as never })).rows as unknown as Row[];
}

/** The stats as the orders say they are, computed from scratch (independently of the code under test). */
async function recomputed(app: TestApp, memberId: string) {
  const orders = await rows(
    app,
    'select id, created_at, total, discount, refunded_amount, fully_refunded_at from orders where member_id = ?',
    [memberId],
  );
  const counted = orders.filter((order) => order.fully_refunded_at === null);
  const placed = orders.map((order) => Number(order.created_at));
  const counts = new Map<string, number>();
  const days = new Map<number, { month: number; orders: number; spend: number; purchases: Map<string, number> }>();
  for (const order of counted) {
    const lines = await rows(app, 'select sku, category, quantity, refunded_quantity from order_lines where order_id = ?', [order.id]);
    const held = new Set<string>();
    for (const line of lines.filter((candidate) => Number(candidate.refunded_quantity) < Number(candidate.quantity))) {
      held.add(`sku|${line.sku}`);
      if (line.category !== null) held.add(`category|${line.category}`);
    }
    const placedAt = new Date(Number(order.created_at));
    const day = Math.floor(placedAt.getTime() / DAY);
    const entry = days.get(day) ?? {
      month: placedAt.getUTCFullYear() * 12 + placedAt.getUTCMonth(),
      orders: 0,
      spend: 0,
      purchases: new Map(),
    };
    entry.orders += 1;
    entry.spend += Number(order.total) - Number(order.discount) - Number(order.refunded_amount);
    for (const bought of held) {
      entry.purchases.set(bought, (entry.purchases.get(bought) ?? 0) + 1);
      counts.set(bought, (counts.get(bought) ?? 0) + 1);
    }
    days.set(day, entry);
  }
  // As stored: `[kind, key, orders]` sorted by kind then key (the keys here are ASCII, so JavaScript's order is SQLite's).
  const daily = [...days]
    .sort(([a], [b]) => a - b)
    .map(([day, { month, orders, spend, purchases }]) => ({
      day,
      month,
      orders,
      spend,
      purchases: JSON.stringify(
        [...purchases].sort(([a], [b]) => (a < b ? -1 : 1)).map(([bought, count]) => [...bought.split('|'), count]),
      ),
    }));
  const totalSpend = orders.reduce((sum, order) => sum + Number(order.total) - Number(order.discount) - Number(order.refunded_amount), 0);
  return {
    stats: {
      firstOrderAt: placed.length ? new Date(Math.min(...placed)).toISOString() : null,
      lastOrderAt: placed.length ? new Date(Math.max(...placed)).toISOString() : null,
      orderCount: counted.length,
      totalSpend,
      averageOrderValue: counted.length ? Math.floor(totalSpend / counted.length) : null,
    },
    counts,
    daily,
  };
}

describe('member stats', () => {
  const settings = propertySettings(25, 60);
  it(
    'equal a recomputation from the orders on random histories of orders, imports, claims and refunds',
    async () => {
      await inFreshApp(async (app) => {
        let run = 0;
        await assertProperty(
          fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
            app.clock.set(TEST_NOW);
            const member = await enroll(app, { email: `m${++run}@example.com`, externalId: `M-${run}` });
            const orderIds: string[] = [];
            let now = new Date(TEST_NOW).getTime();
            for (const action of steps) {
              if (action.kind === 'order') {
                now += action.daysLater * DAY + 1;
                app.clock.set(new Date(now));
                const lines = action.lines.map((line) => ({ ...line, category: CATEGORY[line.sku] }));
                const total = lines.length ? undefined : 1000;
                const recorded = await recordOrder(app, { memberId: member.globalId, lines, ...(total ? { total } : {}) });
                if (recorded.__typename === 'RecordOrderPayload') orderIds.push(recorded.orderId);
              } else if (action.kind === 'import') {
                // Placed up to three days before now: merged into days the member already has, or days of their own.
                const orders = action.orders.map(({ hoursAgo, lines }, index) => {
                  const withCategories = lines.map((line) => ({ ...line, category: CATEGORY[line.sku] }));
                  return {
                    memberExternalId: `M-${run}`,
                    orderId: `I-${run}-${orderIds.length}-${index}`,
                    placedAt: new Date(now - hoursAgo * 3_600_000).toISOString(),
                    currency: 'EUR',
                    total: lines.length ? lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0) : 1000,
                    lines: withCategories,
                  };
                });
                expect((await importOrders(app, orders)).imported).toBe(orders.length);
                orderIds.push(...orders.map((order) => order.orderId));
              } else if (action.kind === 'claim') {
                const lines = action.lines.map((line) => ({ ...line, category: CATEGORY[line.sku] }));
                const guest = await recordOrder(app, { lines });
                const claimed = await app.graphql(
                  `mutation($input: ClaimOrderInput!) { claimOrder(input: $input) { __typename } }`,
                  { input: { orderId: guest.orderId, memberId: member.globalId, idempotencyKey: key('claim') } },
                  await app.token({ role: 'storefront' }),
                );
                expect(claimed.data!.claimOrder.__typename, JSON.stringify(claimed)).toBe('ClaimOrderPayload');
                orderIds.push(guest.orderId);
              } else if (orderIds.length > 0) {
                const orderId = orderIds[action.order % orderIds.length]!;
                const order = (
                  await rows(app, 'select total - discount - refunded_amount as left from orders where order_id = ?', [orderId])
                )[0]!;
                const input =
                  action.kind === 'refundAmount'
                    ? { amount: Math.max(0, Math.floor(Number(order.left) * action.share)) }
                    : { lines: [{ sku: action.sku, quantity: action.quantity }] };
                const storefront = await app.token({ role: 'storefront' });
                const response = await app.graphql(
                  REFUND_CHECKOUT,
                  { input: { orderId, idempotencyKey: key('refund'), ...input } },
                  storefront,
                );
                expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
              }
            }
            const expected = await recomputed(app, member.memberId);
            const { skus, categories, ...stats } = await memberStats(app, member.globalId);
            expect(stats).toEqual(expected.stats);
            expect((await dailyActivity(app, member.memberId)).map(({ memberId, ...row }) => row)).toEqual(expected.daily);
            const lifetime = (kind: string) => {
              const totals = new Map<string, number>();
              for (const [entry, orders] of expected.counts) {
                const [entryKind, entryKey] = entry.split('|');
                if (entryKind === kind) totals.set(entryKey!, orders);
              }
              return totals;
            };
            expect(new Map(skus.map((entry: any) => [entry.key, entry.orders]))).toEqual(lifetime('sku'));
            expect(new Map(categories.map((entry: any) => [entry.key, entry.orders]))).toEqual(lifetime('category'));
          }),
          settings,
        );
      });
    },
    settings.testTimeoutMs,
  );
});
