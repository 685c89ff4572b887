import { expect } from 'vitest';
import type { TestApp } from './test-app';
import { key } from './ledger';

/**
 * GraphQL documents and helpers for the tier and job tests: configuring tiers, recording orders
 * that may upgrade, reading a member's standing, and running jobs as a program admin would.
 */
const errorFields = `... on Error { code message } ... on InvalidInputError { issues { path message } }`;
export const TIER_FIELDS = `id name threshold earnMultiplierPermille discountBasisPoints memberOnlyOffers`;
export const SETTINGS_FIELDS = `metric window windowMonths downgradeGraceDays`;

export const CONFIGURE_TIERS = `mutation($input: ConfigureTiersInput!) { configureTiers(input: $input) { __typename ${errorFields}
  ... on TierSettingsPayload { settings { ${SETTINGS_FIELDS} } } } }`;
export const CREATE_TIER = `mutation($input: CreateTierInput!) { createTier(input: $input) { __typename ${errorFields}
  ... on TierPayload { tier { ${TIER_FIELDS} } } ... on DuplicateTierError { field } } }`;
export const UPDATE_TIER = `mutation($input: UpdateTierInput!) { updateTier(input: $input) { __typename ${errorFields}
  ... on TierPayload { tier { ${TIER_FIELDS} } } ... on DuplicateTierError { field } } }`;
export const DELETE_TIER = `mutation($input: DeleteTierInput!) { deleteTier(input: $input) { __typename ${errorFields}
  ... on TierPayload { tier { ${TIER_FIELDS} } } ... on TierInUseError { members } } }`;
export const PROGRAM_TIERS = `{ program { tierSettings { ${SETTINGS_FIELDS} } tiers { ${TIER_FIELDS} } } }`;

/** recordOrder with the tier it lifted the member into. */
export const RECORD_ORDER_WITH_TIER = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { __typename ${errorFields}
  ... on RecordOrderPayload { orderId pointsEarned pointsBalance amountPaid { amount } upgradedTier { name } } } }`;

export const TIER_CHANGE_FIELDS = `from { name } to { name } reason metricValue at`;
export const MEMBER_TIER = `query($id: ID!) { member(id: $id) {
  tier { name }
  tierProgress { metric value windowStart windowEnd currentTier { name } nextTier { name } missing }
  tierHistory(first: 50) { edges { node { ${TIER_CHANGE_FIELDS} } } } } }`;
export const TIER_HISTORY_PAGE = `query($id: ID!, $first: Int, $after: String) { member(id: $id) {
  tierHistory(first: $first, after: $after) { edges { cursor node { ${TIER_CHANGE_FIELDS} } } pageInfo { hasNextPage endCursor } } } }`;

export const RUN_FIELDS = `job trigger now startedAt finishedAt processed cursor error`;
export const RUN_JOB = `mutation($input: RunJobInput!) { runJob(input: $input) { __typename ${errorFields}
  ... on RunJobPayload { run { ${RUN_FIELDS} } } } }`;
export const JOB_RUNS = `query($first: Int, $after: String, $job: JobName) { jobRuns(first: $first, after: $after, job: $job) {
  edges { node { ${RUN_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;

export const EXPIRING_SOON = `query($id: ID!, $days: Int!) { member(id: $id) { pointsBalance
  pointsExpiringSoon(days: $days) { points until lots { amount remaining expiresAt } } } }`;
export const LIABILITY = `{ program { liability { points } } }`;

export type TierSettingsInput = {
  metric: 'SPEND' | 'POINTS_EARNED';
  window: 'ROLLING_MONTHS' | 'CALENDAR_YEAR';
  windowMonths?: number | null;
  downgradeGraceDays?: number | null;
};

const adminOf = (app: TestApp, programId: string) => app.token({ role: 'admin', programId });

/** Sends one mutation as the given token (admin of acme by default) and returns its result union. */
export async function send(app: TestApp, document: string, input: Record<string, unknown>, token?: string) {
  const response = await app.graphql(document, { input }, token ?? (await adminOf(app, 'acme')));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return Object.values(response.data ?? {})[0] as Record<string, any>;
}

/** Configures how the program qualifies members; fails the test on anything but success. */
export async function configureTiers(app: TestApp, settings: TierSettingsInput, programId = 'acme') {
  const result = await send(app, CONFIGURE_TIERS, settings, await adminOf(app, programId));
  expect(result.__typename, JSON.stringify(result)).toBe('TierSettingsPayload');
  return result.settings as Record<string, unknown>;
}

/** Creates a tier as the program's admin; returns it (with its global id). */
export async function createTier(app: TestApp, tier: Record<string, unknown>, programId = 'acme') {
  const result = await send(app, CREATE_TIER, tier, await adminOf(app, programId));
  expect(result.__typename, JSON.stringify(result)).toBe('TierPayload');
  return result.tier as { id: string; name: string; threshold: number; earnMultiplierPermille: number };
}

/**
 * The ladder most tests use. Thresholds are minor units of spend (SPEND) or points (POINTS_EARNED):
 * Silver from 100.00 at ×1.5, Gold from 500.00 at ×2, Platinum from 2,000.00 at ×3.
 */
export const LADDER = [
  { name: 'Silver', threshold: 10_000, earnMultiplierPermille: 1_500 },
  { name: 'Gold', threshold: 50_000, earnMultiplierPermille: 2_000 },
  { name: 'Platinum', threshold: 200_000, earnMultiplierPermille: 3_000 },
] as const;

/** Configures the program and creates `LADDER` (or the given tiers). */
export async function setUpTiers(
  app: TestApp,
  settings: Partial<TierSettingsInput> = {},
  tiers: ReadonlyArray<Record<string, unknown>> = LADDER,
  programId = 'acme',
) {
  await configureTiers(app, { metric: 'SPEND', window: 'ROLLING_MONTHS', windowMonths: 12, downgradeGraceDays: 0, ...settings }, programId);
  const created: Record<string, { id: string; name: string }> = {};
  for (const tier of tiers) {
    const made = await createTier(app, tier, programId);
    created[made.name] = made;
  }
  return created;
}

/**
 * Records an order in EUR for the member, optionally at a given instant (the clock moves there and
 * stays). Returns the payload: `pointsEarned`, `upgradedTier { name }` …
 */
export async function placeOrder(
  app: TestApp,
  memberGlobalId: string,
  orderId: string,
  total: number,
  options: { at?: string; redeemPoints?: number; programId?: string } = {},
) {
  if (options.at) app.clock.set(options.at);
  const input = {
    memberId: memberGlobalId,
    orderId,
    currency: 'EUR',
    total,
    redeemPoints: options.redeemPoints ?? 0,
    idempotencyKey: key('order'),
  };
  const result = await send(app, RECORD_ORDER_WITH_TIER, input, await adminOf(app, options.programId ?? 'acme'));
  expect(result.__typename, JSON.stringify(result)).toBe('RecordOrderPayload');
  return result as { pointsEarned: number; pointsBalance: number; upgradedTier: { name: string } | null };
}

/** A member's tier, progress and history (newest first, up to 50), read by the program's admin. */
export async function standingOf(app: TestApp, memberGlobalId: string, programId = 'acme') {
  const response = await app.graphql(MEMBER_TIER, { id: memberGlobalId }, await adminOf(app, programId));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const member = response.data!.member;
  return {
    tier: (member.tier?.name ?? null) as string | null,
    progress: member.tierProgress as Record<string, any> | null,
    history: (member.tierHistory.edges as Array<{ node: Record<string, any> }>).map((edge) => edge.node),
  };
}

/** The name of the member's tier, or null. */
export const tierOf = async (app: TestApp, memberGlobalId: string, programId = 'acme') =>
  (await standingOf(app, memberGlobalId, programId)).tier;

export type JobName = 'EXPIRE_POINTS' | 'RECALCULATE_TIERS' | 'SETTLE_REFERRALS' | 'REKEY_FINGERPRINTS';

/** Runs a job for the program as its admin, as of `now` (the clock when omitted); returns the run. */
export async function runJob(app: TestApp, job: JobName, now?: string, programId = 'acme') {
  const result = await send(app, RUN_JOB, { job, ...(now ? { now } : {}) }, await adminOf(app, programId));
  expect(result.__typename, JSON.stringify(result)).toBe('RunJobPayload');
  expect(result.run.error, 'the run recorded an error').toBeNull();
  return result.run as {
    job: string;
    trigger: string;
    now: string;
    startedAt: string;
    finishedAt: string | null;
    processed: number;
    cursor: string | null;
    error: string | null;
  };
}

/** Moves the clock to `now` and runs the job as of that instant, as the daily cron would. */
export async function runJobAt(app: TestApp, job: JobName, now: string, programId = 'acme') {
  app.clock.set(now);
  return runJob(app, job, now, programId);
}

/** The program's job runs, newest first (up to 50), as its admin sees them. */
export async function jobRunsOf(app: TestApp, programId = 'acme', job?: JobName) {
  const response = await app.graphql(JOB_RUNS, { first: 50, ...(job ? { job } : {}) }, await adminOf(app, programId));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return (response.data!.jobRuns.edges as Array<{ node: Record<string, any> }>).map((edge) => edge.node);
}

/** The points all the program's members hold. */
export async function liabilityPoints(app: TestApp, programId = 'acme') {
  const response = await app.graphql(LIABILITY, {}, await adminOf(app, programId));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.program.liability.points as number;
}

/** `pointsExpiringSoon(days)` and the balance, read by the admin at the clock's instant. */
export async function expiringSoon(app: TestApp, memberGlobalId: string, days: number) {
  const response = await app.graphql(EXPIRING_SOON, { id: memberGlobalId, days }, await adminOf(app, 'acme'));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.member as {
    pointsBalance: number;
    pointsExpiringSoon: { points: number; until: string; lots: Array<Record<string, any>> };
  };
}
