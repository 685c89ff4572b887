import { afterEach, describe, expect, it } from 'vitest';
import { expirePoints } from '../../src/jobs/expire-points';
import { runJobNow } from '../../src/jobs/runner';
import { enroll } from '../support/members';
import { ADJUST, closeSoundly, memberLedger, mutate, REDEEM, setRules, TOP_UP } from '../support/ledger';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * The serializer keeps a member's ledger state in memory between that member's commands (DESIGN.md
 * §3). Whatever changes the member elsewhere (a set-based job, another app instance on the same
 * database, an operator's new rules) raises the state's version in the database, so a command
 * planned from stale memory trips its guard, reads the database and plans again: never a wrong answer.
 */
const MONTH = 30 * 86_400_000;
let apps: TestApp[] = [];
afterEach(async () => {
  // The first app checks both programs' ledgers; the others share its database.
  for (const app of apps.slice(1)) app.close();
  if (apps[0]) await closeSoundly(apps[0]);
  apps = [];
});

async function started(options: Parameters<typeof createTestApp>[0] = {}) {
  const app = await createTestApp({ networkLatency: true, ...options });
  apps.push(app);
  return app;
}

async function roundTripsOf<T>(app: TestApp, request: () => Promise<T>): Promise<{ result: T; sequential: number }> {
  app.roundTrips.reset();
  const result = await request();
  return { result, sequential: app.roundTrips.sequential };
}

describe('the serializer’s memory of a member', () => {
  it('is used: a member’s next command only writes; with MEMBER_STATE_CACHE_SIZE=0 every command reads', async () => {
    for (const [size, expected] of [
      ['10000', 1],
      ['0', 2],
    ] as const) {
      const app = await started({ env: { MEMBER_STATE_CACHE_SIZE: size } });
      const ada = await enroll(app, { email: 'ada@example.com' });
      await mutate(app, ADJUST, { memberId: ada.globalId, points: 100, reason: 'welcome' });
      const redeem = await roundTripsOf(app, () => mutate(app, TOP_UP, { memberId: ada.globalId, currency: 'EUR', amount: 500 }));
      expect(redeem.result.__typename).toBe('WalletPayload');
      expect(redeem.sequential).toBe(expected);
    }
  });

  it('a set-based job expires points behind it: the version guard trips and the balance answered is the database’s', async () => {
    const app = await started();
    const ada = await enroll(app, { email: 'ada@example.com' });
    await setRules(app, { pointsLifetimeMonths: 12 });
    const start = app.clock.now().getTime();
    await mutate(app, ADJUST, { memberId: ada.globalId, points: 100, reason: 'expires first' });
    app.clock.set(new Date(start + 6 * MONTH));
    await mutate(app, ADJUST, { memberId: ada.globalId, points: 100, reason: 'expires later' });

    // A year on, the first lot has expired; the job writes set-based, outside the serializer.
    app.clock.set(new Date(start + 13 * MONTH));
    const run = await runJobNow(app.deps, expirePoints, { now: app.clock.now(), trigger: 'manual', programId: 'acme' });
    expect(run).toMatchObject({ processed: 1, error: null });
    expect((await memberLedger(app, ada.globalId)).pointsBalance).toBe(100);

    // From memory the redeem would draw from the open lot (a valid draw: no balance or lot CHECK
    // trips) and answer a balance of 150. The version guard trips first: read, plan, write again.
    const redeem = await roundTripsOf(app, () => mutate(app, REDEEM, { memberId: ada.globalId, points: 50 }));
    expect(redeem.result).toMatchObject({ __typename: 'PointsPayload', points: 50, pointsBalance: 50 });
    expect(redeem.sequential).toBe(4); // the tripped write, the read, the write, the transfer read back
    expect((await memberLedger(app, ada.globalId)).pointsBalance).toBe(50);
  });

  it('another app instance on the same database changes the member and the rules: each instance answers from the database', async () => {
    const first = await started();
    const second = await started({ sharing: first });
    const ada = await enroll(first, { email: 'ada@example.com' });
    await mutate(first, ADJUST, { memberId: ada.globalId, points: 100, reason: 'welcome' });
    await mutate(second, ADJUST, { memberId: ada.globalId, points: 500, reason: 'goodwill' });

    // The first instance remembers 100 points: a refusal from memory is checked against the database.
    expect(await mutate(first, REDEEM, { memberId: ada.globalId, points: 300 })).toMatchObject({
      __typename: 'PointsPayload',
      pointsBalance: 300,
    });
    // The second remembers 600: its guard trips, and it answers from the 300 that are left.
    expect(await mutate(second, REDEEM, { memberId: ada.globalId, points: 250 })).toMatchObject({
      __typename: 'PointsPayload',
      pointsBalance: 50,
    });
    expect(await mutate(first, REDEEM, { memberId: ada.globalId, points: 60 })).toMatchObject({
      __typename: 'InsufficientPointsError',
      requested: 60,
      available: 50,
    });

    // An operator sets a top-up bonus through the second instance; the first remembers the old rules.
    await mutate(first, TOP_UP, { memberId: ada.globalId, currency: 'EUR', amount: 1_000 });
    await setRules(second, { walletBonusThreshold: 1_000, walletBonusBasisPoints: 1_000 });
    const topUp = await roundTripsOf(first, () => mutate(first, TOP_UP, { memberId: ada.globalId, currency: 'EUR', amount: 2_000 }));
    expect(topUp.result).toMatchObject({ __typename: 'WalletPayload', bonus: 200, wallet: { cash: 3_000, bonus: 200 } });
    expect(topUp.sequential).toBe(3); // the tripped write, the read, the write
  });
});
