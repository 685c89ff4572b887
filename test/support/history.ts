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
