import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COHORTS, adminQuery, refundFully, seedOrders, type PlannedOrder } from '../../support/insights';
import { refundOrder } from '../../support/offers';
import { createTestApp, type TestApp } from '../../support/test-app';

/**
 * Cohorts are read from monthly activity; a `to` inside a month with orders placed later that month
 * is answered from the orders. Either way the table is what the orders say, computed here from scratch.
 */
const ORDERS: PlannedOrder[] = [
  { member: 'A', at: '2026-08-03T10:00:00.000Z' },
  { member: 'A', at: '2026-10-31T23:59:59.999Z' },
  { member: 'A', at: '2026-11-20T08:00:00.000Z' },
  // B's August order is refunded in full (B joins September's cohort); its October order in part.
  { member: 'B', at: '2026-08-15T00:00:00.000Z' },
  { member: 'B', at: '2026-09-01T00:00:00.000Z' },
  { member: 'B', at: '2026-10-10T00:00:00.000Z', total: 3000 },
  // C's first order comes after a mid-November `to`.
  { member: 'C', at: '2026-11-20T09:00:00.000Z' },
  { member: 'D', at: '2026-11-02T00:00:00.000Z' },
  { member: 'D', at: '2026-11-03T00:00:00.000Z' },
  { member: 'E', at: '2026-09-30T23:59:59.999Z' },
  { member: 'E', at: '2026-11-21T00:00:00.000Z' },
];
const FULLY_REFUNDED = new Set([3]);

const monthOf = (at: string) => {
  const date = new Date(at);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
};
const label = (month: number) => `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;

/** The cohort table as the counted orders placed before `to` say it is. */
function expectedCohorts(months: number, to: string) {
  const lastMonth = monthOf(new Date(new Date(to).getTime() - 1).toISOString());
  const counted = ORDERS.filter((order, index) => !FULLY_REFUNDED.has(index) && order.at < to);
  const activeMonths = new Map<string, Set<number>>();
  for (const order of counted) activeMonths.set(order.member, (activeMonths.get(order.member) ?? new Set()).add(monthOf(order.at)));
  const cohorts = [];
  for (let month = lastMonth - months + 1; month <= lastMonth; month++) {
    const members = [...activeMonths.values()].filter((active) => Math.min(...active) === month);
    const cells = [];
    for (let since = 0; month + since <= lastMonth; since++) {
      const buyers = members.filter((active) => active.has(month + since)).length;
      cells.push({ monthsSince: since, buyers, share: members.length ? Math.round((buyers / members.length) * 10_000) / 100 : 0 });
    }
    cohorts.push({ month: label(month), members: members.length, cells });
  }
  return cohorts;
}

describe('cohorts from monthly activity', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    const ids = await seedOrders(app, ORDERS);
    for (const index of FULLY_REFUNDED) await refundFully(app, ids[index]!);
    await refundOrder(app, { orderId: ids[5]!, amount: 1000 });
  });
  afterAll(() => app.close());

  it.each([
    ['a month boundary', 4, '2026-12-01T00:00:00.000Z'],
    ['inside a month, before orders placed later that month', 4, '2026-11-20T08:30:00.000Z'],
    ['inside a month, before orders placed later that month (a month later cohort)', 2, '2026-11-03T00:00:00.000Z'],
    ['inside a month, after the last order', 4, '2026-11-22T00:00:00.000Z'],
    ['inside an earlier month', 3, '2026-10-31T23:59:59.999Z'],
  ])('are what the counted orders say at %s', async (_, months, to) => {
    const table = await adminQuery(app, COHORTS, { months, to }, 'cohorts');
    expect(table.cohorts).toEqual(expectedCohorts(months, to));
  });
});
