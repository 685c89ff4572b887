import { expect } from 'vitest';
import { createTestApp, type TestApp } from './test-app';
import { enroll } from './members';

/** GraphQL documents and helpers for the ledger tests, as a storefront or admin would call them. */
const errorFields = `... on Error { code message } ... on InvalidInputError { issues { path message } }`;

export const RECORD_ORDER = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { __typename ${errorFields}
  ... on RecordOrderPayload { orderId pointsRedeemed pointsEarned pointsBalance replayed pointsPayment { amount currency } amountPaid { amount } }
  ... on InsufficientPointsError { requested available } ... on RedemptionExceedsTotalError { maximum } ... on BelowMinimumRedemptionError { minimum } } }`;
export const REFUND_ORDER = `mutation($input: RefundOrderInput!) { refundOrder(input: $input) { __typename ${errorFields}
  ... on RefundOrderPayload { orderId amount totalRefunded pointsClawedBack pointsNotRecovered pointsReturned pointsBalance replayed }
  ... on RefundExceedsOrderError { refundable } } }`;
export const REDEEM = `mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { __typename ${errorFields}
  ... on PointsPayload { points pointsBalance replayed transfer { id kind amount reason } }
  ... on InsufficientPointsError { requested available } ... on BelowMinimumRedemptionError { minimum } } }`;
export const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { __typename ${errorFields}
  ... on PointsPayload { points pointsBalance replayed transfer { id kind amount reason } }
  ... on InsufficientPointsError { requested available } } }`;
export const REVERSE = `mutation($input: ReverseTransferInput!) { reverseTransfer(input: $input) { __typename ${errorFields}
  ... on ReverseTransferPayload { replayed reversal { id kind amount reversesTransferId reason } }
  ... on TransferNotReversibleError { reason } } }`;
const walletFields = `__typename ${errorFields} ... on WalletPayload { amount bonus fromBonus fromCash replayed wallet { currency cash bonus total } }`;
export const TOP_UP = `mutation($input: WalletInput!) { topUpWallet(input: $input) { ${walletFields} } }`;
export const SPEND_WALLET = `mutation($input: WalletInput!) { spendWallet(input: $input) { ${walletFields}
  ... on InsufficientWalletBalanceError { currency available } } }`;
export const UPDATE_RULES = `mutation($input: UpdateProgramRulesInput!) { updateProgramRules(input: $input) { __typename ${errorFields}
  ... on ProgramRulesPayload { rules { currency earnPoints earnPerAmount earnRounding pointsLifetimeMonths redeemPoints redeemValue minimumRedemption walletBonusThreshold walletBonusBasisPoints } } } }`;
export const MEMBER_LEDGER = `query($id: ID!) { member(id: $id) { pointsBalance walletBalances { currency cash bonus total }
  lots(first: 50, includeClosed: true) { edges { node { amount remaining earnedAt expiresAt } } } } }`;
export const AUDIT = `{ ledgerAudit { sound violations { invariant subject detail } } }`;

let keys = 0;
/** A fresh idempotency key per call. */
export const key = (prefix = 'k') => `${prefix}-${++keys}-${Math.random().toString(36).slice(2, 8)}`;

export async function mutate(app: TestApp, query: string, input: Record<string, unknown>, token?: string) {
  const response = await app.graphql(query, { input: { idempotencyKey: key(), ...input } }, token ?? (await app.token({ role: 'admin' })));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return Object.values(response.data ?? {})[0] as Record<string, any>;
}

export async function memberLedger(app: TestApp, memberGlobalId: string) {
  const response = await app.graphql(MEMBER_LEDGER, { id: memberGlobalId }, await app.token({ role: 'admin' }));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.member as { pointsBalance: number; walletBalances: any[]; lots: { edges: Array<{ node: any }> } };
}

/** The invariants of DESIGN.md §4, checked through the admin `ledgerAudit` query. */
export async function expectLedgerSound(app: TestApp, programId = 'acme') {
  const response = await app.graphql(AUDIT, {}, await app.token({ role: 'admin', programId }));
  expect(response.data?.ledgerAudit, JSON.stringify(response)).toEqual({ sound: true, violations: [] });
}

// ——— Helpers for the ledger module tests (rules, orders, refunds, points and wallet, queries) ———

export const RULES_FIELDS = `currency earnPoints earnPerAmount earnRounding pointsLifetimeMonths redeemPoints redeemValue minimumRedemption walletBonusThreshold walletBonusBasisPoints`;
export const RULES = `{ program { rules { ${RULES_FIELDS} } } }`;
/** What any token that may see a transfer can read (its idempotency key is for admins and storefronts). */
export const MEMBER_TRANSFER_FIELDS = `id kind amount unit ref reason reversesTransferId createdAt debit { ownerType kind unit } credit { ownerType kind unit }`;
export const TRANSFER_FIELDS = `${MEMBER_TRANSFER_FIELDS} idempotencyKey`;
export const TRANSFERS = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) { member(id: $id) {
  transfers(first: $first, after: $after, last: $last, before: $before) { edges { cursor node { ${TRANSFER_FIELDS} } } pageInfo { hasNextPage hasPreviousPage endCursor } } } }`;

/** Changes the program's rules as an admin (of `programId`, acme by default); fails the test on anything but success. */
export async function setRules(app: TestApp, rules: Record<string, unknown>, programId = 'acme') {
  const response = await app.graphql(UPDATE_RULES, { input: rules }, await app.token({ role: 'admin', programId }));
  expect(response.data?.updateProgramRules?.__typename, JSON.stringify(response)).toBe('ProgramRulesPayload');
  return response.data!.updateProgramRules.rules as Record<string, unknown>;
}

/** A member's lots (closed ones too), newest first, as `{ amount remaining earnedAt expiresAt }`. */
export async function lotsOf(app: TestApp, memberGlobalId: string) {
  return (await memberLedger(app, memberGlobalId)).lots.edges.map((edge) => edge.node);
}

/** A member's transfers (up to 50), newest first. */
export async function transfersOf(app: TestApp, memberGlobalId: string) {
  const response = await app.graphql(TRANSFERS, { id: memberGlobalId, first: 50 }, await app.token({ role: 'admin' }));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return (response.data!.member.transfers.edges as Array<{ node: Record<string, any> }>).map((edge) => edge.node);
}

/** A fresh app with one enrolled member, for a test that moves value. */
export async function freshLedgerApp() {
  const app = await createTestApp();
  const member = await enroll(app, { email: 'ada@example.com' });
  return { app, member };
}

/** After a test: both programs' ledgers are sound; then the database is closed. */
export async function closeSoundly(app: TestApp) {
  await expectLedgerSound(app);
  await expectLedgerSound(app, 'globex');
  app.close();
}

/** Runs `scenario` on a fresh app and then checks both ledgers are sound; the database is closed either way. */
export async function inFreshApp(scenario: (app: TestApp) => Promise<void>, options?: Parameters<typeof createTestApp>[0]) {
  const app = await createTestApp(options);
  try {
    await scenario(app);
  } catch (error) {
    app.close();
    throw error;
  }
  await closeSoundly(app);
}
