import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { commandRegistry } from '../../src/commands';
import { loadConfig } from '../../src/config';
import { systemClock } from '../../src/platform/clock';
import { runCommand, unwrapOutcome } from '../../src/platform/serializer/commands';
import { signToken } from '../../src/platform/auth/sign';
import { createWorkerDatabase } from '../../src/platform/workers/database';
import type { WorkerEnv } from '../../src/platform/workers/env';
import { graphql, SECRET } from './client';

const ENROLL = `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { ... on MemberPayload { member { id } } } }`;
const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { __typename ... on PointsPayload { pointsBalance } } }`;
const REDEEM = `mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { __typename
  ... on PointsPayload { pointsBalance } ... on InsufficientPointsError { requested available } } }`;
const TOP_UP = `mutation($input: WalletInput!) { topUpWallet(input: $input) { __typename ... on WalletPayload { bonus wallet { cash bonus } } } }`;
const RULES = `mutation($input: UpdateProgramRulesInput!) { updateProgramRules(input: $input) { __typename } }`;
const AUDIT = `{ ledgerAudit { sound violations { invariant subject detail } } }`;

/**
 * Another writer on the same database that no Durable Object orders: another Worker's job, an
 * import, a second deployment. It runs the ledger's own commands, with no memory of its own.
 */
function behindTheObjectsBack(command: 'ledger.adjustPoints' | 'ledger.redeemPoints', input: Record<string, unknown>) {
  const workerEnv = env as unknown as WorkerEnv;
  const config = loadConfig(workerEnv, 'workers');
  const deps = { db: createWorkerDatabase(config, workerEnv), clock: systemClock, fingerprints: config.fingerprints };
  return runCommand(commandRegistry, deps, command, { programId: 'globex', ...input }).then(unwrapOutcome<{ pointsBalance: number }>);
}

describe('the MemberLedger Durable Object keeps its member’s state in memory', () => {
  it('answers from the database when another writer changed the member or the rules behind its back', async () => {
    // In globex: the rules change here must not reach other workerd tests' members in acme.
    const admin = await signToken(SECRET, { role: 'admin', programId: 'globex', subject: 'workerd-test' });
    const memberId: string = (await graphql(ENROLL, { input: { email: 'kept-state@example.com' } }, admin)).data.enrollMember.member.id;
    const rawId = atob(memberId).slice('Member:'.length);
    const send = (query: string, input: Record<string, unknown>) =>
      graphql(query, { input: { idempotencyKey: crypto.randomUUID(), ...input } }, admin).then(
        (response) => Object.values(response.data ?? {})[0] as Record<string, any>,
      );

    // The Durable Object reads the member once and keeps what its write read back: 100 points.
    expect(await send(ADJUST, { memberId, points: 100, reason: 'welcome' })).toMatchObject({ pointsBalance: 100 });
    const other = await behindTheObjectsBack('ledger.adjustPoints', {
      memberId: rawId,
      points: 500,
      reason: 'goodwill',
      idempotencyKey: 'kept-state-goodwill',
    });
    expect(other.pointsBalance).toBe(600);

    // From memory 300 is too much; the refusal is checked against the database, and the redeem goes through.
    expect(await send(REDEEM, { memberId, points: 300 })).toMatchObject({ __typename: 'PointsPayload', pointsBalance: 300 });
    await behindTheObjectsBack('ledger.redeemPoints', {
      memberId: rawId,
      points: 250,
      reference: null,
      reason: null,
      idempotencyKey: 'kept-state-redeem',
    });
    // From memory 60 of 300 would pass; the version guard trips, and the answer is the database's 50.
    expect(await send(REDEEM, { memberId, points: 60 })).toMatchObject({
      __typename: 'InsufficientPointsError',
      requested: 60,
      available: 50,
    });
    expect(await send(REDEEM, { memberId, points: 20 })).toMatchObject({ __typename: 'PointsPayload', pointsBalance: 30 });

    // New rules (program-wide, so no member's object orders them) reach the next top-up.
    expect(await send(TOP_UP, { memberId, currency: 'EUR', amount: 1_000 })).toMatchObject({ bonus: 0 });
    const rules = await graphql(RULES, { input: { walletBonusThreshold: 1_000, walletBonusBasisPoints: 1_000 } }, admin);
    expect(rules.data.updateProgramRules.__typename).toBe('ProgramRulesPayload');
    expect(await send(TOP_UP, { memberId, currency: 'EUR', amount: 2_000 })).toMatchObject({
      __typename: 'WalletPayload',
      bonus: 200,
      wallet: { cash: 3_000, bonus: 200 },
    });

    expect((await graphql(AUDIT, {}, admin)).data.ledgerAudit).toEqual({ sound: true, violations: [] });
  });
});
