import { expect } from 'vitest';
import { importMembers, importOrders } from './history';
import { refundOrder } from './offers';
import type { TestApp } from './test-app';

/** GraphQL documents and helpers for the insights reports. */
export const RETENTION = `query($from: DateTime!, $to: DateTime!, $days: Int, $segmentId: ID, $tierId: ID) {
  retention(from: $from, to: $to, activityWindowDays: $days, segmentId: $segmentId, tierId: $tierId) { __typename
    ... on RetentionReport { customersAtStart customersAtEnd newCustomers retainedCustomers lostCustomers rate churn undefinedReason definitions { term } }
    ... on Error { code message } } }`;

export const PURCHASE_SERIES = `query($from: DateTime!, $to: DateTime!, $period: InsightPeriod!) {
  purchaseSeries(from: $from, to: $to, period: $period) { __typename
    ... on PurchaseSeries { currency points { start end orders buyers repeatBuyers revenue repeatPurchaseRate ordersPerBuyer averageOrderValue averageDaysBetweenPurchases } }
    ... on Error { code message } } }`;

export const COHORTS = `query($months: Int, $to: DateTime) {
  cohorts(months: $months, to: $to) { __typename ... on CohortTable { cohorts { month members cells { monthsSince buyers share } } } ... on Error { code message } } }`;

/** Runs a report as admin and returns its union result (fails the test on a GraphQL error). */
export async function adminQuery(app: TestApp, query: string, variables: Record<string, unknown>, field: string) {
  const response = await app.graphql(query, variables, await app.token({ role: 'admin' }));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data![field] as Record<string, any>;
}

export interface PlannedOrder {
  member: string;
  at: string;
  total?: number;
}

let orderNumber = 0;

/** Imports the members named and their orders (EUR, one line each); returns the order ids in the order given. */
export async function seedOrders(app: TestApp, orders: PlannedOrder[]) {
  const externalIds = [...new Set(orders.map((order) => order.member))];
  await importMembers(
    app,
    externalIds.map((externalId) => ({ externalId })),
  );
  const rows = orders.map((order) => ({
    memberExternalId: order.member,
    orderId: `O-${++orderNumber}`,
    placedAt: order.at,
    currency: 'EUR',
    total: order.total ?? 1000,
    lines: [{ sku: 'TEA', quantity: 1, unitPrice: order.total ?? 1000 }],
  }));
  if (rows.length > 0) expect(await importOrders(app, rows)).toMatchObject({ rejected: [] });
  return rows.map((row) => row.orderId);
}

/** Refunds what is left of an order: it no longer counts. */
export const refundFully = (app: TestApp, orderId: string, amount = 1000) => refundOrder(app, { orderId, amount });
