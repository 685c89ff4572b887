import { readFileSync } from 'node:fs';
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

/** A migration's statements, in order, as drizzle's migrator splits them. */
export const migrationStatements = (file: string) =>
  readFileSync(new URL(`../../migrations/${file}`, import.meta.url), 'utf8')
    .split('--> statement-breakpoint')
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);

/** A member's history per UTC day as stored: the purchases parsed, the text kept to check its form. */
export async function dailyActivity(app: TestApp, memberId?: string) {
  const rows = await app.client.execute({
    sql: `select member_id, day, month, orders, spend, purchases from member_daily_activity${memberId ? ' where member_id = ?' : ''} order by member_id, day`,
    args: memberId ? [memberId] : [],
  });
  return rows.rows.map((row) => ({
    memberId: String(row.member_id),
    day: Number(row.day),
    month: Number(row.month),
    orders: Number(row.orders),
    spend: Number(row.spend),
    purchases: String(row.purchases),
  }));
}

/**
 * The tables migration 0020 replaced by the daily activity, as migration 0019 left them: purchase
 * counts filled from the daily activity's purchases (a row per member, key and day), monthly
 * activity empty. What migrations 0019 and 0020 read, for the tests of their backfills.
 */
export async function recreateTablesBeforeDailyActivity(app: TestApp) {
  const before = migrationStatements('0019_history_trees.sql');
  for (const table of ['member_purchase_counts', 'member_monthly_activity'])
    await app.client.execute(
      before.find((statement) => statement.startsWith(`CREATE TABLE \`__new_${table}\``))!.replaceAll(`__new_${table}`, table),
    );
  await app.client.execute(`insert into member_purchase_counts (program_id, member_id, kind, key, day, orders)
    select program_id, member_id, bought.value ->> 0, bought.value ->> 1, day, bought.value ->> 2
    from member_daily_activity, json_each(purchases) as bought`);
}
