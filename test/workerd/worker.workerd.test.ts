import { env, exports } from 'cloudflare:workers';
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { createClient } from '@libsql/client/web';
import { describe, expect, it } from 'vitest';
import worker from '../../src/worker';
import { signToken } from '../../src/platform/auth/sign';
import type { WorkerEnv } from '../../src/platform/workers/env';
import { createWorkerDatabase } from '../../src/platform/workers/database';
import { runCommand, type CommandDeps } from '../../src/platform/serializer/commands';
import type { Database } from '../../src/platform/db/database';
import { commandRegistry } from '../../src/commands';
import { loadConfig } from '../../src/config';
import { systemClock } from '../../src/platform/clock';
import { graphql, SECRET } from './client';

const workerEnv = env as unknown as WorkerEnv;
const admin = () => signToken(SECRET, { role: 'admin', programId: 'acme', subject: 'workerd-test' });

/** Reads the test database directly, through the same service binding the Worker uses. */
function sql() {
  const service = workerEnv.LIBSQL_SERVICE!;
  return createClient({ url: 'http://libsql.bridge', fetch: (request: Request) => service.fetch(request) });
}

const ENROLL = `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) {
  __typename ... on MemberPayload { member { id email name status } } ... on Error { code } } }`;
const UPDATE = `mutation($input: UpdateMemberInput!) { updateMember(input: $input) {
  __typename ... on MemberPayload { member { id name } } ... on Error { code } } }`;
const RECORD_ORDER = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) {
  __typename ... on RecordOrderPayload { upgradedTier { name } discount { amount } } ... on Error { code } } }`;
const ERASE = `mutation($input: EraseMemberInput!) { eraseMember(input: $input) {
  __typename ... on MemberPayload { member { id email status } } ... on Error { code } } }`;

/**
 * Deps like the Durable Object's own, used here directly: commands that no serializer orders. The
 * first `commands` write batches wait until all of them are ready to write, so that every command
 * reads before any writes.
 */
function writesAfterAllRead(commands: number): CommandDeps {
  const config = loadConfig(workerEnv, 'workers');
  const db = createWorkerDatabase(config, workerEnv);
  const waiting: Array<() => void> = [];
  const allRead = () =>
    new Promise<void>((release) => {
      waiting.push(release);
      if (waiting.length === commands) waiting.splice(0).forEach((go) => go());
    });
  const batch: Database['batch'] = async (statements) => {
    await allRead();
    return db.batch(statements);
  };
  const proxied = new Proxy(db, { get: (target, property) => (property === 'batch' ? batch : Reflect.get(target, property, target)) });
  return { db: proxied, clock: systemClock, fingerprints: config.fingerprints };
}

async function enrollWith(token: string, input: Record<string, unknown>) {
  const enrolled = await graphql(ENROLL, { input }, token);
  expect(enrolled.data.enrollMember.__typename).toBe('MemberPayload');
  const id: string = enrolled.data.enrollMember.member.id;
  return { id, memberId: atob(id).slice('Member:'.length) };
}

async function identifiersOf(memberId: string) {
  const rows = await sql().execute({ sql: 'select email, external_id from members where id = ?', args: [memberId] });
  return [rows.rows[0]!.email, rows.rows[0]!.external_id].filter((value) => value !== null);
}

// The race tests order in globex, so that their tiers and offers change none of the orders other workerd tests record in acme.
const globexAdmin = () => signToken(SECRET, { role: 'admin', programId: 'globex', subject: 'workerd-test' });
const orderInput = (memberId: string, index: number, total: number) => ({
  memberId,
  orderId: `${memberId}-${index}`,
  currency: 'EUR',
  total,
  idempotencyKey: `${memberId}-${index}`,
});

/** recordOrder commands run at once on this Worker's own database, with no serializer: all read, then all write. */
async function recordWithoutSerializer(inputs: Array<ReturnType<typeof orderInput> & { lines?: unknown[] }>) {
  const deps = writesAfterAllRead(inputs.length);
  const outcomes = await Promise.all(
    inputs.map((input) =>
      runCommand(commandRegistry, deps, 'checkout.recordOrder', {
        lines: [],
        codes: [],
        attributes: {},
        redeemPoints: 0,
        expectedDiscount: null,
        walletPayment: null,
        placedAt: null,
        ...input,
        programId: 'globex',
      }),
    ),
  );
  return outcomes.map((outcome) => {
    expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    return (outcome as { value: { upgradedTierId: string | null; discount: number } }).value;
  });
}

async function tierNameOf(id: string, token: string): Promise<string | null> {
  const response = await graphql(`query($id: ID!) { member(id: $id) { tier { name } } }`, { id }, token);
  return response.data.member.tier?.name ?? null;
}

describe('Worker fetch', () => {
  it('answers /health after asking the database', async () => {
    const response = await exports.default.fetch('http://edge-loyalty.test/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', environment: 'test', database: 'ok' });
  });

  it('answers /health with 503 and the reason when the database cannot be reached', async () => {
    // What a fetch to a libSQL server that is not there fails with in workerd.
    const lost = { fetch: () => Promise.reject(new Error('Network connection lost.')) } as unknown as Fetcher;
    const unreachable = { ...workerEnv, LIBSQL_SERVICE: lost } as WorkerEnv;
    const request = new Request('http://edge-loyalty.test/health') as Request<unknown, IncomingRequestCfProperties>;
    const response = await worker.fetch(request, unreachable);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'unavailable',
      environment: 'test',
      database: 'unavailable',
      reason: 'the database cannot be reached: Network connection lost.',
    });
  });

  it("enrolls, updates (inside the member's Durable Object) and erases a member over libSQL", async () => {
    const token = await admin();
    const enrolled = await graphql(ENROLL, { input: { email: 'Worker@Example.com', name: 'Wanda' } }, token);
    expect(enrolled.data.enrollMember).toMatchObject({ __typename: 'MemberPayload', member: { email: 'worker@example.com' } });
    const id = enrolled.data.enrollMember.member.id;

    const duplicate = await graphql(ENROLL, { input: { email: 'worker@example.com' } }, token);
    expect(duplicate.data.enrollMember).toEqual({ __typename: 'DuplicateMemberError', code: 'DUPLICATE_MEMBER' });

    const updated = await graphql(UPDATE, { input: { id, name: 'Wanda W.' } }, token);
    expect(updated.data.updateMember.member.name).toBe('Wanda W.');

    const erased = await graphql(ERASE, { input: { id } }, token);
    expect(erased.data.eraseMember.member).toMatchObject({ email: null, status: 'ERASED' });
    const afterErase = await graphql(UPDATE, { input: { id, name: 'Back' } }, token);
    expect(afterErase.data.updateMember).toEqual({ __typename: 'MemberErasedError', code: 'MEMBER_ERASED' });
  });

  it("serializes one member's read-modify-writes in its Durable Object; run without it, they interleave", async () => {
    // Each update keeps "an externalId or an email" by reading the row first: one clears the email,
    // the other the externalId. In order, the second sees the first and is refused.
    const token = await admin();
    const serialized = await enrollWith(token, { email: 'busy@example.com', externalId: 'busy-1' });
    const outcomes = await Promise.all(
      [{ email: null }, { externalId: null }].map((change) => graphql(UPDATE, { input: { id: serialized.id, ...change } }, token)),
    );
    expect(outcomes.map((outcome) => outcome.data.updateMember.__typename).sort()).toEqual(['InvalidInputError', 'MemberPayload']);
    expect(await identifiersOf(serialized.memberId)).toHaveLength(1);

    // The same two commands on this Worker's own database, without the Durable Object, each writing
    // once both have read (the interleaving the Durable Object rules out): both pass their check.
    const unserialized = await enrollWith(token, { email: 'racy@example.com', externalId: 'racy-1' });
    const deps = writesAfterAllRead(2);
    const results = await Promise.all(
      [{ email: null }, { externalId: null }].map((update) =>
        runCommand(commandRegistry, deps, 'members.update', { programId: 'acme', memberId: unserialized.memberId, update }),
      ),
    );
    expect(results.map((result) => result.ok)).toEqual([true, true]);
    expect(await identifiersOf(unserialized.memberId)).toEqual([]);
  });

  it('upgrades a member exactly once when concurrent orders cross a tier threshold together; without it, never', async () => {
    const token = await globexAdmin();
    const configured = await graphql(
      `mutation { configureTiers(input: { metric: SPEND, window: ROLLING_MONTHS, windowMonths: 12, downgradeGraceDays: 0 }) { __typename } }`,
      {},
      token,
    );
    expect(configured.data.configureTiers.__typename).toBe('TierSettingsPayload');
    const silver = await graphql(
      `mutation { createTier(input: { name: "Silver", threshold: 10000, earnMultiplierPermille: 1500 }) { __typename } }`,
      {},
      token,
    );
    expect(silver.data.createTier.__typename).toBe('TierPayload');

    const serialized = await enrollWith(token, { email: 'threshold@example.com' });
    const orders = await Promise.all(
      [1, 2, 3].map((index) => graphql(RECORD_ORDER, { input: orderInput(serialized.id, index, 4_000) }, token)),
    );
    expect(orders.map((result) => result.data.recordOrder.__typename)).toEqual([
      'RecordOrderPayload',
      'RecordOrderPayload',
      'RecordOrderPayload',
    ]);
    expect(orders.filter((result) => result.data.recordOrder.upgradedTier).map((result) => result.data.recordOrder.upgradedTier)).toEqual([
      { name: 'Silver' },
    ]);
    expect(await tierNameOf(serialized.id, token)).toBe('Silver');

    const unserialized = await enrollWith(token, { email: 'racy-threshold@example.com' });
    const results = await recordWithoutSerializer([1, 2, 3].map((index) => orderInput(unserialized.memberId, index, 4_000)));
    expect(results.map((result) => result.upgradedTierId)).toEqual([null, null, null]);
    expect(await tierNameOf(unserialized.id, token)).toBeNull();
  });

  it('gives the third stamp of concurrent stamp-card orders its free unit exactly once; without it, never', async () => {
    const token = await globexAdmin();
    const offer = await graphql(
      `mutation { createOffer(input: { name: "Third coffee free", effect: { stampCard: { stampsRequired: 3, items: { skus: ["COFFEE"] } } } }) { __typename } }`,
      {},
      token,
    );
    expect(offer.data.createOffer.__typename).toBe('OfferPayload');
    const coffee = [{ sku: 'COFFEE', category: null, quantity: 1, unitPrice: 300, attributes: {} }];

    const serialized = await enrollWith(token, { email: 'stamps@example.com' });
    const orders = await Promise.all(
      [1, 2, 3].map((index) => graphql(RECORD_ORDER, { input: { ...orderInput(serialized.id, index, 300), lines: coffee } }, token)),
    );
    expect(orders.map((result) => result.data.recordOrder.discount.amount).sort()).toEqual([0, 0, 300]);

    const unserialized = await enrollWith(token, { email: 'racy-stamps@example.com' });
    const results = await recordWithoutSerializer(
      [1, 2, 3].map((index) => ({ ...orderInput(unserialized.memberId, index, 300), lines: coffee })),
    );
    expect(results.map((result) => result.discount)).toEqual([0, 0, 0]);
  });

  it('refuses to serve without a JWT secret, with a clear message', async () => {
    const request = new Request('http://edge-loyalty.test/graphql') as Request<unknown, IncomingRequestCfProperties>;
    const response = await worker.fetch(request, { ...workerEnv, JWT_SECRET: undefined });
    expect(response.status).toBe(500);
    expect(await response.text()).toMatch(/Refusing to start: set JWT_SECRET/);
  });
});

describe('MemberLedger Durable Object', () => {
  it('runs named commands by RPC and returns domain failures as data', async () => {
    const ledger = workerEnv.MEMBER_LEDGER.get(workerEnv.MEMBER_LEDGER.idFromName('acme:missing'));
    const outcome = await ledger.execute('members.update', { programId: 'acme', memberId: 'missing', update: { name: 'X' } });
    expect(outcome).toEqual({
      ok: false,
      error: { code: 'MEMBER_NOT_FOUND', message: 'No member missing in this program', details: { memberId: 'missing' } },
    });
    const unknown = await ledger.execute('no.such.command', {}).then(
      () => null,
      (error: unknown) => error,
    );
    expect(String(unknown)).toMatch(/Unknown command/);
  });

  it('applies a command to the database it reaches on its own', async () => {
    const token = await admin();
    const enrolled = await graphql(ENROLL, { input: { email: 'rpc@example.com' } }, token);
    const memberId = atob(enrolled.data.enrollMember.member.id).slice('Member:'.length);
    const ledger = workerEnv.MEMBER_LEDGER.get(workerEnv.MEMBER_LEDGER.idFromName(`acme:${memberId}`));
    const outcome = await ledger.execute('members.update', { programId: 'acme', memberId, update: { name: 'Via RPC' } });
    expect(outcome).toEqual({ ok: true, value: { programId: 'acme', memberId } });
    const rows = await sql().execute({ sql: 'select name from members where id = ?', args: [memberId] });
    expect(rows.rows[0]!.name).toBe('Via RPC');
  });
});

describe('Worker scheduled', () => {
  // Each Cron Trigger of wrangler.toml and the runs it must leave: one per program for program jobs.
  it.each([
    ['5 * * * *', ['expire-points', 'publish-partner-campaigns', 'settle-referrals'], ['acme', 'globex']],
    ['30 2 * * *', ['recalculate-tiers', 'refresh-segments', 'rekey-fingerprints'], ['acme', 'globex']],
    ['15 3 * * *', ['prune-events', 'prune-job-runs'], [null]],
    ['* * * * *', ['dispatch-webhooks'], [null]],
  ])('cron "%s" runs %s and records each run', async (cron, jobs, programs) => {
    const scheduledTime = Date.UTC(2026, 10, 23, 3, 15);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron, scheduledTime }), workerEnv, ctx);
    await waitOnExecutionContext(ctx);
    const runs = await sql().execute({
      sql: 'select job, program_id, scheduled_for, finished_at, error from job_runs where "trigger" = ? order by job, program_id',
      args: [cron],
    });
    expect(runs.rows.map((row) => ({ ...row }))).toEqual(
      jobs.flatMap((job) =>
        programs.map((programId) => ({
          job,
          program_id: programId,
          scheduled_for: scheduledTime,
          finished_at: expect.any(Number),
          error: null,
        })),
      ),
    );
  });
});
