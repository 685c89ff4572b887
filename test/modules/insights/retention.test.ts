import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/test-app';
import { adminQuery, RETENTION, refundFully, seedOrders } from '../../support/insights';

const retention = (app: TestApp, from: string, to: string, days = 30) => adminQuery(app, RETENTION, { from, to, days }, 'retention');

describe('retention: S, E, N at the period edges', () => {
  let app: TestApp;
  let refunded: string;
  beforeAll(async () => {
    app = await createTestApp();
    const ids = await seedOrders(app, [
      // A: a customer at the start (order exactly at `from`) and at the end (order exactly at `to`).
      { member: 'A', at: '2026-03-01T00:00:00.000Z' },
      { member: 'A', at: '2026-04-30T00:00:00.000Z' },
      // B: ordered exactly 30 days before `from`: outside (from − 30 days, from], so not a customer at the start.
      { member: 'B', at: '2026-01-30T00:00:00.000Z' },
      // C: a customer at the start who lapses (last order more than 30 days before `to`).
      { member: 'C', at: '2026-02-20T00:00:00.000Z' },
      // D: new in the period and a customer at the end.
      { member: 'D', at: '2026-04-15T00:00:00.000Z' },
      // E: new in the period and gone again before its end: in neither E nor N.
      { member: 'E', at: '2026-03-10T00:00:00.000Z' },
      // F: its only order in the start window is fully refunded: not a customer at the start.
      { member: 'F', at: '2026-02-25T00:00:00.000Z' },
      // G: an order 1 ms after `to` is not counted at `to`.
      { member: 'G', at: '2026-04-30T00:00:00.001Z' },
    ]);
    refunded = ids[6]!;
    await refundFully(app, refunded);
  });
  afterAll(() => app.close());

  it('counts customers in (t − window, t] at both instants, new ones, and the rate ((E − N) / S) × 100', async () => {
    const report = await retention(app, '2026-03-01T00:00:00.000Z', '2026-04-30T00:00:00.000Z');
    // S = {A, C}; E = {A, D}; N = {D}; retained = {A}.
    expect(report).toMatchObject({
      __typename: 'RetentionReport',
      customersAtStart: 2,
      customersAtEnd: 2,
      newCustomers: 1,
      retainedCustomers: 1,
      lostCustomers: 1,
      rate: 50,
      churn: 50,
      undefinedReason: null,
    });
    expect(report.definitions.map((definition: { term: string }) => definition.term)).toEqual(
      expect.arrayContaining(['customer', 'S', 'E', 'N', 'retention rate', 'churn']),
    );
  });

  it('leaves out an order placed exactly one window before the instant, and counts it with a window a day longer', async () => {
    // B ordered exactly 30 days before `from`: outside (from − 30 days, from], inside (from − 31 days, from].
    const report = await retention(app, '2026-03-01T00:00:00.000Z', '2026-04-30T00:00:00.000Z', 31);
    expect(report.customersAtStart).toBe(3);
  });

  it('has no rate when nobody was a customer at the start, and says why', async () => {
    const report = await retention(app, '2025-01-01T00:00:00.000Z', '2026-04-20T00:00:00.000Z');
    expect(report).toMatchObject({ customersAtStart: 0, customersAtEnd: 1, newCustomers: 1, rate: null, churn: null });
    expect(report.undefinedReason).toMatch(/S = 0/);
  });

  it('refuses a period that ends before it starts, and a window out of range, with typed errors', async () => {
    expect(await retention(app, '2026-03-31T00:00:00.000Z', '2026-03-01T00:00:00.000Z')).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await retention(app, '2026-03-01T00:00:00.000Z', '2026-04-30T00:00:00.000Z', 0)).toMatchObject({ code: 'INVALID_INPUT' });
  });
});
