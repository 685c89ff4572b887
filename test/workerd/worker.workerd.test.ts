import { env, exports } from 'cloudflare:workers';
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { createClient } from '@libsql/client/web';
import { describe, expect, it } from 'vitest';
import worker from '../../src/worker';
import { signToken } from '../../src/platform/auth/sign';
import type { WorkerEnv } from '../../src/platform/workers/env';
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
const ERASE = `mutation($input: EraseMemberInput!) { eraseMember(input: $input) {
  __typename ... on MemberPayload { member { id email status } } ... on Error { code } } }`;

describe('Worker fetch', () => {
  it('answers /health', async () => {
    const response = await exports.default.fetch('http://edge-loyalty.test/health');
    expect(await response.json()).toEqual({ status: 'ok', environment: 'test' });
  });

  it('enrolls, updates (inside the member\'s Durable Object) and erases a member over libSQL', async () => {
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

  it('serializes concurrent changes of one member through its Durable Object', async () => {
    const token = await admin();
    const enrolled = await graphql(ENROLL, { input: { email: 'busy@example.com' } }, token);
    const id = enrolled.data.enrollMember.member.id;
    const names = Array.from({ length: 12 }, (_, index) => `Name ${index}`);
    const results = await Promise.all(names.map((name) => graphql(UPDATE, { input: { id, name } }, token)));
    expect(results.every((result) => result.data?.updateMember.__typename === 'MemberPayload')).toBe(true);
    const rows = await sql().execute({ sql: 'select name from members where email = ?', args: ['busy@example.com'] });
    expect(names).toContain(rows.rows[0]!.name);
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
    ['5 * * * *', ['expire-points', 'settle-referrals'], ['acme', 'globex']],
    ['30 2 * * *', ['recalculate-tiers', 'rekey-fingerprints'], ['acme', 'globex']],
    ['15 3 * * *', ['prune-job-runs'], [null]],
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
      jobs.flatMap((job) => programs.map((programId) => ({ job, program_id: programId, scheduled_for: scheduledTime, finished_at: expect.any(Number), error: null }))),
    );
  });
});
