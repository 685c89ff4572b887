import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobNow } from '../../../src/jobs/runner';
import { expirePoints } from '../../../src/jobs/expire-points';
import { importMembers } from '../../support/history';
import { COHORTS, PURCHASE_SERIES, adminQuery, refundFully, seedOrders } from '../../support/insights';
import { closeSoundly, key, REDEEM, TOP_UP } from '../../support/ledger';
import { refundOrder } from '../../support/offers';
import { createTestApp, TEST_NOW, type TestApp } from '../../support/test-app';

describe('purchase series: period edges and refunds', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    const ids = await seedOrders(app, [
      { member: 'A', at: '2026-01-21T00:00:00.000Z' },
      // Exactly at the start of February: February's, 11 days after A's first.
      { member: 'A', at: '2026-02-01T00:00:00.000Z' },
      // B's first order is refunded in full: it does not count, so B's second is no repeat.
      { member: 'B', at: '2026-02-10T00:00:00.000Z' },
      { member: 'B', at: '2026-02-20T00:00:00.000Z' },
      // Partly refunded: counts at what is left.
      { member: 'C', at: '2026-02-05T00:00:00.000Z', total: 3000 },
      // Exactly at `to`: outside [from, to).
      { member: 'C', at: '2026-03-01T00:00:00.000Z' },
    ]);
    await refundFully(app, ids[2]!);
    await refundOrder(app, { orderId: ids[4]!, amount: 1000 });
  });
  afterAll(() => app.close());

  it('counts orders in [start, end), repeat buyers, revenue net of refunds, AOV and days between purchases', async () => {
    const series = await adminQuery(
      app,
      PURCHASE_SERIES,
      { from: '2026-01-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z', period: 'MONTH' },
      'purchaseSeries',
    );
    expect(series.currency).toBe('EUR');
    expect(series.points).toEqual([
      {
        start: '2026-01-01T00:00:00.000Z',
        end: '2026-02-01T00:00:00.000Z',
        orders: 1,
        buyers: 1,
        repeatBuyers: 0,
        revenue: 1000,
        repeatPurchaseRate: 0,
        ordersPerBuyer: 1,
        averageOrderValue: 1000,
        averageDaysBetweenPurchases: null,
      },
      {
        start: '2026-02-01T00:00:00.000Z',
        end: '2026-03-01T00:00:00.000Z',
        orders: 3,
        buyers: 3,
        repeatBuyers: 1,
        revenue: 4000,
        repeatPurchaseRate: expect.closeTo(100 / 3, 10),
        ordersPerBuyer: 1,
        averageOrderValue: expect.closeTo(4000 / 3, 10),
        averageDaysBetweenPurchases: 11,
      },
    ]);
  });

  it('returns every day of a range, empty ones too, and refuses too many periods', async () => {
    const days = await adminQuery(
      app,
      PURCHASE_SERIES,
      { from: '2026-01-30T00:00:00.000Z', to: '2026-02-02T00:00:00.000Z', period: 'DAY' },
      'purchaseSeries',
    );
    expect(days.points.map((point: any) => point.orders)).toEqual([0, 0, 1]);
    const tooLong = await adminQuery(
      app,
      PURCHASE_SERIES,
      { from: '2020-01-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z', period: 'DAY' },
      'purchaseSeries',
    );
    expect(tooLong).toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('cohorts by month of first counted order', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    const ids = await seedOrders(app, [
      { member: 'P', at: '2026-09-10T00:00:00.000Z' },
      { member: 'P', at: '2026-11-02T00:00:00.000Z' },
      // Q's first order is refunded in full: Q belongs to October's cohort.
      { member: 'Q', at: '2026-09-30T23:59:59.999Z' },
      { member: 'Q', at: '2026-10-05T00:00:00.000Z' },
      { member: 'R', at: '2026-10-31T23:59:59.999Z' },
    ]);
    await refundFully(app, ids[2]!);
  });
  afterAll(() => app.close());

  it('gives each cohort its size and the share buying in each month since', async () => {
    const table = await adminQuery(app, COHORTS, { months: 3, to: '2026-12-01T00:00:00.000Z' }, 'cohorts');
    expect(table.cohorts).toEqual([
      {
        month: '2026-09',
        members: 1,
        cells: [
          { monthsSince: 0, buyers: 1, share: 100 },
          { monthsSince: 1, buyers: 0, share: 0 },
          { monthsSince: 2, buyers: 1, share: 100 },
        ],
      },
      {
        month: '2026-10',
        members: 2,
        cells: [
          { monthsSince: 0, buyers: 2, share: 100 },
          { monthsSince: 1, buyers: 0, share: 0 },
        ],
      },
      { month: '2026-11', members: 0, cells: [{ monthsSince: 0, buyers: 0, share: 0 }] },
    ]);
    expect(await adminQuery(app, COHORTS, { months: 25 }, 'cohorts')).toMatchObject({ code: 'INVALID_INPUT' });
  });
});

const LIABILITY = `query($months: Int) { liability { __typename ... on LiabilityReport {
  asOf currency outstandingPoints outstandingValue byExpiryMonth { month points value } wallet { cash bonus total }
  pointsEarned pointsRedeemed pointsExpired redemptionRate breakageRate
  earnCohorts(months: $months) { month earned expired outstanding breakageRate } partnerFunding { discounts partnerFunded share } } } }`;

describe('liability and breakage', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    await importMembers(app, [{ externalId: 'M1' }, { externalId: 'M2' }]);
    const order = (member: string, orderId: string, placedAt: string, total: number) => ({
      memberExternalId: member,
      orderId,
      placedAt,
      currency: 'EUR',
      total,
    });
    const imported = await app.graphql(
      `mutation($input: ImportOrdersInput!) { importOrders(input: $input) { ... on ImportOrdersPayload { imported rejected { message } } } }`,
      {
        input: {
          earnPoints: true,
          orders: [
            order('M1', 'L-1', '2025-10-10T00:00:00.000Z', 10_000),
            order('M1', 'L-2', '2026-03-15T00:00:00.000Z', 20_000),
            order('M2', 'L-3', '2026-06-01T00:00:00.000Z', 5_000),
          ],
        },
      },
      await app.token({ role: 'admin' }),
    );
    expect(imported.data!.importOrders).toMatchObject({ imported: 3, rejected: [] });
    const run = await runJobNow(app.deps, expirePoints, { now: new Date(TEST_NOW), trigger: 'manual', programId: 'acme' });
    expect(run.error).toBeNull();
    const m1 = await app.graphql(`{ memberByExternalId(externalId: "M1") { id } }`, {}, await app.token({ role: 'admin' }));
    const memberId = m1.data!.memberByExternalId.id;
    const storefront = await app.token({ role: 'storefront' });
    await app.graphql(REDEEM, { input: { memberId, points: 50, idempotencyKey: key('redeem') } }, storefront);
    await app.graphql(TOP_UP, { input: { memberId, currency: 'EUR', amount: 2500, idempotencyKey: key('top-up') } }, storefront);
  });
  afterAll(() => closeSoundly(app));

  it('values open points by expiry month, sums wallets, and breaks earned points down by month earned', async () => {
    const report = await adminQuery(app, LIABILITY, { months: 14 }, 'liability');
    expect(report).toMatchObject({
      __typename: 'LiabilityReport',
      asOf: TEST_NOW,
      currency: 'EUR',
      outstandingPoints: 200,
      outstandingValue: 200,
      byExpiryMonth: [
        { month: '2027-03', points: 150, value: 150 },
        { month: '2027-06', points: 50, value: 50 },
      ],
      wallet: { cash: 2500, bonus: 0, total: 2500 },
      pointsEarned: 350,
      pointsRedeemed: 50,
      pointsExpired: 100,
      redemptionRate: (50 / 350) * 100,
      breakageRate: (100 / 350) * 100,
      partnerFunding: { discounts: 0, partnerFunded: 0, share: null },
    });
    const cohorts = Object.fromEntries(report.earnCohorts.map((cohort: any) => [cohort.month, cohort]));
    expect(report.earnCohorts).toHaveLength(14);
    expect(cohorts['2025-10']).toEqual({ month: '2025-10', earned: 100, expired: 100, outstanding: 0, breakageRate: 100 });
    expect(cohorts['2026-03']).toEqual({ month: '2026-03', earned: 200, expired: 0, outstanding: 150, breakageRate: 0 });
    expect(cohorts['2026-06']).toEqual({ month: '2026-06', earned: 50, expired: 0, outstanding: 50, breakageRate: 0 });
    expect(cohorts['2026-01']).toEqual({ month: '2026-01', earned: 0, expired: 0, outstanding: 0, breakageRate: null });
  });

  it('is for admins only, and shows nothing of another program', async () => {
    for (const role of ['storefront', 'member', 'partner'] as const) {
      const response = await app.graphql(LIABILITY, {}, await app.token({ role, subject: 'x', partnerId: 'beans-inc' }));
      expect(response.errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
    }
    const globex = await app.graphql(LIABILITY, { months: 1 }, await app.token({ role: 'admin', programId: 'globex' }));
    expect(globex.data!.liability).toMatchObject({ outstandingPoints: 0, pointsEarned: 0, wallet: { total: 0 }, byExpiryMonth: [] });
  });
});
