import { expect } from 'vitest';
import type { TestApp } from './test-app';

/** GraphQL documents for purchase history and member stats. */
export const ORDER_FIELDS = `id orderId placedAt member { id } total { amount currency } discount { amount } totalAfterDiscount { amount }
  pointsRedeemed pointsEarned refunded { amount } fullyRefundedAt
  lines { lineNo sku category quantity unitPrice discount refundedQuantity }
  appliedOffers { offer { id name } code discount bonusPoints stamps releasedAt }
  refunds { amount pointsClawedBack pointsReturned refundedAt }`;

export const ORDERS = `query($memberId: ID, $from: DateTime, $to: DateTime, $first: Int, $after: String) {
  orders(memberId: $memberId, from: $from, to: $to, first: $first, after: $after) { edges { node { ${ORDER_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;

export const ORDER = `query($orderId: String!) { order(orderId: $orderId) { ${ORDER_FIELDS} } }`;

export const STATS_FIELDS = `firstOrderAt lastOrderAt orderCount totalSpend averageOrderValue`;
export const MEMBER_STATS = `query($id: ID!) { member(id: $id) { stats { ${STATS_FIELDS}
  skus: purchases(kind: SKU) { key orders } categories: purchases(kind: CATEGORY) { key orders } } } }`;

/** A member's stats as an admin reads them; fails the test on any error. */
export async function memberStats(app: TestApp, globalId: string) {
  const response = await app.graphql(MEMBER_STATS, { id: globalId }, await app.token({ role: 'admin' }));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.member.stats as Record<string, any>;
}

const rejectedFields = `rejected { index id code message path }`;
export const IMPORT_ORDERS = `mutation($input: ImportOrdersInput!) { importOrders(input: $input) { __typename
  ... on ImportOrdersPayload { imported skipped ${rejectedFields} } ... on Error { code message } } }`;
export const IMPORT_MEMBERS = `mutation($input: ImportMembersInput!) { importMembers(input: $input) { __typename
  ... on ImportMembersPayload { created updated ${rejectedFields} } ... on Error { code message } } }`;

/** Imports orders as admin; returns the payload (fails the test on a GraphQL error). */
export async function importOrders(
  app: TestApp,
  orders: Record<string, unknown>[],
  options: { earnPoints?: boolean; token?: string } = {},
) {
  const response = await app.graphql(
    IMPORT_ORDERS,
    { input: { orders, ...(options.earnPoints ? { earnPoints: true } : {}) } },
    options.token ?? (await app.token({ role: 'admin' })),
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.importOrders as Record<string, any>;
}

export async function importMembers(app: TestApp, members: Record<string, unknown>[], token?: string) {
  const response = await app.graphql(IMPORT_MEMBERS, { input: { members } }, token ?? (await app.token({ role: 'admin' })));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.importMembers as Record<string, any>;
}
