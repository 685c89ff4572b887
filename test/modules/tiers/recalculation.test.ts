import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { memberTiers } from '../../../schema';
import type { TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { ERASE } from '../../support/operations';
import { closeSoundly, freshLedgerApp, mutate, REFUND_ORDER } from '../../support/ledger';
import {
  JOB_RUNS,
  RUN_JOB,
  UPDATE_TIER,
  jobRunsOf,
  placeOrder,
  runJob,
  runJobAt,
  send,
  setUpTiers,
  standingOf,
  tierOf,
} from '../../support/tiers';

/**
 * The recalculate-tiers job, run by an admin through `runJob(RECALCULATE_TIERS, now)`: the window
 * edges (rolling months, calendar year, month ends and leap days), downgrades with and without
 * grace, idempotence for a given `now`, and the job's run records.
 *
 * `LADDER` (SPEND): Silver from 10,000, Gold from 50,000, Platinum from 200,000. Orders are placed
 * with the clock moved to the instant they happen; the job runs with the clock at its own `now`,
 * as the daily cron would.
 */

let app: TestApp;
let ada: { globalId: string; memberId: string };

beforeEach(async () => {
  ({ app, member: ada } = await freshLedgerApp());
});
afterEach(() => closeSoundly(app));

const recalculate = (now: string) => runJobAt(app, 'RECALCULATE_TIERS', now);
const refund = (orderId: string, amount: number) => mutate(app, REFUND_ORDER, { orderId, amount });
const enrollBob = () => enroll(app, { email: 'bob@example.com' });
/** When the member's pending downgrade was first found due (not in the API; read from the table). */
const downgradeDueSince = async (memberId: string) => {
  const [row] = await app.db.select().from(memberTiers).where(eq(memberTiers.memberId, memberId));
  return row?.downgradeDueSince?.toISOString() ?? null;
};

describe('rolling window', () => {
  it('excludes an order placed exactly N months before now; one placed a second later still counts', async () => {
    await setUpTiers(app, { window: 'ROLLING_MONTHS', windowMonths: 12 });
    await placeOrder(app, ada.globalId, 'a', 6_000, { at: '2026-11-23T10:00:00Z' });
    expect(await placeOrder(app, ada.globalId, 'b', 4_000, { at: '2026-11-23T10:00:01Z' })).toMatchObject({
      upgradedTier: { name: 'Silver' },
    });

    // Window (2026-11-23T09:59:59, 2027-11-23T09:59:59]: both orders, 10,000.
    expect(await recalculate('2027-11-23T09:59:59Z')).toMatchObject({ processed: 1 });
    expect(await standingOf(app, ada.globalId)).toMatchObject({
      tier: 'Silver',
      progress: { value: 10_000, windowStart: '2026-11-23T09:59:59.000Z' },
    });

    // Window (2026-11-23T10:00:00, 2027-11-23T10:00:00]: order a is exactly 12 months old and out; b is in.
    await recalculate('2027-11-23T10:00:00Z');
    const standing = await standingOf(app, ada.globalId);
    expect(standing.tier).toBeNull();
    expect(standing.history[0]).toEqual({
      from: { name: 'Silver' },
      to: null,
      reason: 'downgrade',
      metricValue: 4_000,
      at: '2027-11-23T10:00:00.000Z',
    });

    // A second later b is out too.
    app.clock.set('2027-11-23T10:00:01Z');
    expect((await standingOf(app, ada.globalId)).progress).toMatchObject({ value: 0, windowStart: '2026-11-23T10:00:01.000Z' });
  });

  it('upgrades members whose past orders qualify, with the window start clamped to the end of a shorter month', async () => {
    const bob = await enrollBob();
    // Orders from before the program had tiers.
    await placeOrder(app, ada.globalId, 'ada-1', 10_000, { at: '2027-02-28T10:00:00Z' });
    await placeOrder(app, bob.globalId, 'bob-1', 10_000, { at: '2027-02-28T10:00:01Z' });
    await setUpTiers(app, { window: 'ROLLING_MONTHS', windowMonths: 1 });

    // 2027-03-31T10:00 − 1 month = 2027-02-28T10:00 (31 March has no 31 February): Ada's order sits
    // exactly on the excluded start, Bob's is a second inside.
    expect(await recalculate('2027-03-31T10:00:00Z')).toMatchObject({ processed: 2 });
    expect(await standingOf(app, ada.globalId)).toMatchObject({
      tier: null,
      progress: { value: 0, windowStart: '2027-02-28T10:00:00.000Z' },
      history: [],
    });
    expect((await standingOf(app, bob.globalId)).history).toEqual([
      { from: null, to: { name: 'Silver' }, reason: 'upgrade', metricValue: 10_000, at: '2027-03-31T10:00:00.000Z' },
    ]);
  });

  it('counts an order of 29 February 2028 until 28 February 2029 ends (now − 12 months = 28 February 2028)', async () => {
    await setUpTiers(app, { window: 'ROLLING_MONTHS', windowMonths: 12 });
    const bob = await enrollBob();
    await placeOrder(app, bob.globalId, 'bob-feb-28', 10_000, { at: '2028-02-28T10:00:00Z' });
    await placeOrder(app, ada.globalId, 'ada-leap-day', 10_000, { at: '2028-02-29T10:00:00Z' });
    expect(await tierOf(app, ada.globalId)).toBe('Silver');
    expect(await tierOf(app, bob.globalId)).toBe('Silver');

    // At 2029-02-28T10:00 the window is (2028-02-28T10:00, 2029-02-28T10:00]: Bob's order is exactly
    // 12 months old and out, Ada's leap-day order is in.
    await recalculate('2029-02-28T10:00:00Z');
    expect(await tierOf(app, bob.globalId)).toBeNull();
    expect(await standingOf(app, ada.globalId)).toMatchObject({
      tier: 'Silver',
      progress: { value: 10_000, windowStart: '2028-02-28T10:00:00.000Z' },
    });

    // The last second of 28 February 2029: start 2028-02-28T23:59:59, the leap-day order still counts.
    await recalculate('2029-02-28T23:59:59Z');
    expect(await tierOf(app, ada.globalId)).toBe('Silver');

    // 1 March 2029: start 2028-03-01T00:00, the leap-day order is out.
    await recalculate('2029-03-01T00:00:00Z');
    expect((await standingOf(app, ada.globalId)).history[0]).toEqual({
      from: { name: 'Silver' },
      to: null,
      reason: 'downgrade',
      metricValue: 0,
      at: '2029-03-01T00:00:00.000Z',
    });
  });
});

describe('calendar year', () => {
  it('counts from 1 January 00:00:00 UTC inclusive: 31 December 23:59:59 is last year', async () => {
    await setUpTiers(app, { window: 'CALENDAR_YEAR' });
    const bob = await enrollBob();
    expect(await placeOrder(app, ada.globalId, 'ada-nye', 10_000, { at: '2026-12-31T23:59:59Z' })).toMatchObject({
      upgradedTier: { name: 'Silver' },
    });
    expect(await recalculate('2026-12-31T23:59:59Z')).toMatchObject({ processed: 2 });
    expect(await tierOf(app, ada.globalId)).toBe('Silver');

    expect(await placeOrder(app, bob.globalId, 'bob-nyd', 10_000, { at: '2027-01-01T00:00:00Z' })).toMatchObject({
      upgradedTier: { name: 'Silver' },
    });
    await recalculate('2027-01-01T00:00:00Z');
    expect((await standingOf(app, ada.globalId)).history[0]).toEqual({
      from: { name: 'Silver' },
      to: null,
      reason: 'downgrade',
      metricValue: 0,
      at: '2027-01-01T00:00:00.000Z',
    });
    expect(await standingOf(app, bob.globalId)).toMatchObject({
      tier: 'Silver',
      progress: { value: 10_000, windowStart: '2027-01-01T00:00:00.000Z' },
    });
    expect((await standingOf(app, bob.globalId)).history).toHaveLength(1);
  });
});

describe('downgrades', () => {
  it('with no grace, downgrades at the first recalculation, to the tier the metric still reaches', async () => {
    await setUpTiers(app, { downgradeGraceDays: 0 });
    await placeOrder(app, ada.globalId, 'big', 60_000); // Gold
    await refund('big', 45_000); // 15,000 left: Silver

    expect(await tierOf(app, ada.globalId)).toBe('Gold');
    await recalculate('2026-11-24T02:30:00Z');
    expect((await standingOf(app, ada.globalId)).history[0]).toEqual({
      from: { name: 'Gold' },
      to: { name: 'Silver' },
      reason: 'downgrade',
      metricValue: 15_000,
      at: '2026-11-24T02:30:00.000Z',
    });

    await refund('big', 15_000);
    await recalculate('2026-11-25T02:30:00Z');
    expect(
      (await standingOf(app, ada.globalId)).history.map((change) => [
        change.from?.name ?? null,
        change.to?.name ?? null,
        change.metricValue,
      ]),
    ).toEqual([
      ['Silver', null, 0],
      ['Gold', 'Silver', 15_000],
      [null, 'Gold', 60_000],
    ]);
  });

  describe('with 30 days of grace', () => {
    // Silver at once on 23 November; a refund the same day leaves 7,000. The first recalculation to
    // find the downgrade due runs five days later, on 28 November at 02:30: the grace counts from there.
    const D0 = '2026-11-28T02:30:00Z';
    beforeEach(async () => {
      await setUpTiers(app, { downgradeGraceDays: 30 });
      await placeOrder(app, ada.globalId, 'o-1', 12_000, { at: '2026-11-23T10:00:00Z' });
      app.clock.set('2026-11-23T12:00:00Z');
      await refund('o-1', 5_000);
    });

    it('records the due date, keeps the tier for 30 days, and downgrades at exactly 30 days', async () => {
      await recalculate(D0);
      expect(await tierOf(app, ada.globalId)).toBe('Silver');
      expect(await downgradeDueSince(ada.memberId)).toBe('2026-11-28T02:30:00.000Z');

      // Later recalculations do not restart the clock.
      await recalculate('2026-12-08T02:30:00Z'); // +10 days
      await recalculate('2026-12-27T02:30:00Z'); // +29 days
      await recalculate('2026-12-28T02:29:59Z'); // 1 s short of 30 days
      expect(await downgradeDueSince(ada.memberId)).toBe('2026-11-28T02:30:00.000Z');
      const before = await standingOf(app, ada.globalId);
      expect(before.tier).toBe('Silver');
      expect(before.history).toHaveLength(1);

      await recalculate('2026-12-28T02:30:00Z'); // +30 days
      const after = await standingOf(app, ada.globalId);
      expect(after.tier).toBeNull();
      expect(after.history[0]).toEqual({
        from: { name: 'Silver' },
        to: null,
        reason: 'downgrade',
        metricValue: 7_000,
        at: '2026-12-28T02:30:00.000Z',
      });
      expect(await downgradeDueSince(ada.memberId)).toBeNull();
    });

    it('forgets the due downgrade when the member qualifies again; a later drop starts a new grace period', async () => {
      await recalculate(D0);
      // Ten days later an order brings the metric back to 12,000.
      await placeOrder(app, ada.globalId, 'o-2', 5_000, { at: '2026-12-08T09:00:00Z' });
      await recalculate('2026-12-09T02:30:00Z');
      expect(await downgradeDueSince(ada.memberId)).toBeNull();

      // Past D0 + 30 days: still Silver.
      await recalculate('2026-12-28T02:30:00Z');
      expect(await tierOf(app, ada.globalId)).toBe('Silver');

      // o-2 refunded on 29 December: due again from that night's recalculation.
      app.clock.set('2026-12-29T12:00:00Z');
      await refund('o-2', 5_000);
      await recalculate('2026-12-30T02:30:00Z');
      expect(await downgradeDueSince(ada.memberId)).toBe('2026-12-30T02:30:00.000Z');
      await recalculate('2027-01-28T02:30:00Z'); // +29 days
      expect(await tierOf(app, ada.globalId)).toBe('Silver');
      await recalculate('2027-01-29T02:30:00Z'); // +30 days
      expect(await tierOf(app, ada.globalId)).toBeNull();
      expect((await standingOf(app, ada.globalId)).history.map((change) => change.reason)).toEqual(['downgrade', 'upgrade']);
    });

    it('still upgrades at once at recalculation, grace or not', async () => {
      // Lowering Silver's threshold does nothing by itself; Bob (6,000) reaches it at the next recalculation.
      const bob = await enrollBob();
      await placeOrder(app, bob.globalId, 'bob-1', 6_000);
      const tiers = (await app.graphql(`{ program { tiers { id name } } }`, {}, await app.token({ role: 'admin' }))).data!.program.tiers;
      await send(app, UPDATE_TIER, { id: tiers.find((tier: any) => tier.name === 'Silver').id, threshold: 5_000 });
      expect(await tierOf(app, bob.globalId)).toBeNull();

      await recalculate(D0);
      expect((await standingOf(app, bob.globalId)).history).toEqual([
        { from: null, to: { name: 'Silver' }, reason: 'upgrade', metricValue: 6_000, at: '2026-11-28T02:30:00.000Z' },
      ]);
      // Ada (7,000) qualifies again for the lowered Silver: nothing is due.
      expect(await downgradeDueSince(ada.memberId)).toBeNull();
    });
  });
});

describe('a run as of an earlier instant', () => {
  it('does not undo an upgrade an order made after that instant', async () => {
    // The nightly run is for 02:30. Ada orders at 02:45 and is upgraded at once. The 02:30 run then
    // reaches her late (a run resumed after its time budget, or one started by hand for 02:30): as
    // of 02:30 her metric is 0, but her tier dates from 02:45 and is not the run's to take back.
    await setUpTiers(app, { downgradeGraceDays: 0 });
    expect(await placeOrder(app, ada.globalId, 'o-1', 12_000, { at: '2026-11-24T02:45:00Z' })).toMatchObject({
      upgradedTier: { name: 'Silver' },
    });
    app.clock.set('2026-11-24T02:50:00Z');
    await runJob(app, 'RECALCULATE_TIERS', '2026-11-24T02:30:00Z');

    const standing = await standingOf(app, ada.globalId);
    expect(standing.tier).toBe('Silver');
    expect(standing.history.map((change) => [change.reason, change.at])).toEqual([['upgrade', '2026-11-24T02:45:00.000Z']]);
  });
});

describe('idempotence', () => {
  it('running twice at the same now changes nothing the second time', async () => {
    await setUpTiers(app, { downgradeGraceDays: 0 });
    const bob = await enrollBob();
    const cleo = await enroll(app, { email: 'cleo@example.com' });
    await placeOrder(app, ada.globalId, 'ada-1', 60_000); // Gold, refunded to 20,000 → Silver due
    await refund('ada-1', 40_000);
    await placeOrder(app, bob.globalId, 'bob-1', 12_000); // Silver, stays
    await placeOrder(app, cleo.globalId, 'cleo-1', 3_000); // nothing

    const first = await recalculate('2026-11-24T02:30:00Z');
    const snapshot = await Promise.all([ada, bob, cleo].map((member) => standingOf(app, member.globalId)));
    expect(snapshot.map((standing) => standing.tier)).toEqual(['Silver', 'Silver', null]);

    const second = await recalculate('2026-11-24T02:30:00Z');
    expect(second).toMatchObject({ processed: first.processed, now: first.now, cursor: null, error: null });
    expect(first.processed).toBe(3);
    expect(await Promise.all([ada, bob, cleo].map((member) => standingOf(app, member.globalId)))).toEqual(snapshot);
  });

  it('keeps the first due date when a grace-period recalculation runs twice', async () => {
    await setUpTiers(app, { downgradeGraceDays: 30 });
    await placeOrder(app, ada.globalId, 'o-1', 12_000);
    await refund('o-1', 12_000);
    await recalculate('2026-11-24T02:30:00Z');
    await recalculate('2026-11-24T02:30:00Z');
    expect(await downgradeDueSince(ada.memberId)).toBe('2026-11-24T02:30:00.000Z');
    expect((await standingOf(app, ada.globalId)).history).toHaveLength(1);
  });

  it('processes the active members of the program only; without tier settings it does nothing', async () => {
    expect(await recalculate('2026-11-24T02:30:00Z')).toMatchObject({ processed: 0, cursor: null });

    await setUpTiers(app);
    const bob = await enrollBob();
    await enroll(app, { email: 'cleo@example.com' });
    await enroll(app, { email: 'linus@example.com' }, await app.token({ role: 'admin', programId: 'globex' }));
    const erased = await app.graphql(ERASE, { input: { id: bob.globalId } }, await app.token({ role: 'admin' }));
    expect(erased.data?.eraseMember?.__typename).toBe('MemberPayload');

    // Ada and Cleo: Bob is erased, Linus belongs to globex.
    expect(await recalculate('2026-11-25T02:30:00Z')).toMatchObject({ processed: 2 });
  });
});

describe('job runs', () => {
  it('returns the run and lists the program runs newest first, by job', async () => {
    await setUpTiers(app);
    app.clock.set('2026-11-24T02:30:05Z');
    // Without `now`, the run is for the clock's instant.
    const manual = await runJob(app, 'RECALCULATE_TIERS');
    expect(manual).toEqual({
      job: 'recalculate-tiers',
      trigger: 'manual',
      now: '2026-11-24T02:30:05.000Z',
      startedAt: '2026-11-24T02:30:05.000Z',
      finishedAt: '2026-11-24T02:30:05.000Z',
      processed: 1,
      cursor: null,
      error: null,
    });
    // A run as of another instant than the clock's.
    const backdated = await runJob(app, 'RECALCULATE_TIERS', '2026-11-20T00:00:00Z');
    expect(backdated).toMatchObject({ now: '2026-11-20T00:00:00.000Z', startedAt: '2026-11-24T02:30:05.000Z' });
    app.clock.set('2026-11-24T03:00:00Z');
    const expiry = await runJob(app, 'EXPIRE_POINTS');

    expect(await jobRunsOf(app)).toEqual([expiry, backdated, manual]);
    expect(await jobRunsOf(app, 'acme', 'RECALCULATE_TIERS')).toEqual([backdated, manual]);
    expect(await jobRunsOf(app, 'acme', 'EXPIRE_POINTS')).toEqual([expiry]);

    const page = await app.graphql(JOB_RUNS, { first: 2 }, await app.token({ role: 'admin' }));
    expect(page.data!.jobRuns.pageInfo.hasNextPage).toBe(true);
    const rest = await app.graphql(
      JOB_RUNS,
      { first: 2, after: page.data!.jobRuns.pageInfo.endCursor },
      await app.token({ role: 'admin' }),
    );
    expect(rest.data!.jobRuns.edges.map((edge: any) => edge.node)).toEqual([manual]);
  });

  it('shows a program admin its own runs only, and runs only for its own program', async () => {
    await setUpTiers(app);
    await placeOrder(app, ada.globalId, 'o-1', 12_000);
    await refund('o-1', 12_000);
    await recalculate('2026-11-24T02:30:00Z');
    expect(await jobRunsOf(app)).toHaveLength(1);
    expect(await jobRunsOf(app, 'globex')).toEqual([]);

    // globex's run touches none of acme's members.
    await setUpTiers(app, {}, [{ name: 'Silver', threshold: 1 }], 'globex');
    const linus = await enroll(app, { email: 'linus@example.com' }, await app.token({ role: 'admin', programId: 'globex' }));
    const globexRun = await runJobAt(app, 'RECALCULATE_TIERS', '2026-11-25T02:30:00Z', 'globex');
    expect(globexRun.processed).toBe(1);
    expect(await jobRunsOf(app, 'globex')).toEqual([globexRun]);
    expect(await jobRunsOf(app)).toHaveLength(1);
    expect(await tierOf(app, linus.globalId, 'globex')).toBeNull();
  });

  it.each([
    ['storefront', 'FORBIDDEN'],
    ['member', 'FORBIDDEN'],
    ['partner', 'FORBIDDEN'],
    ['anonymous', 'UNAUTHENTICATED'],
  ] as const)('refuses runJob and jobRuns for %s (%s)', async (role, code) => {
    const token =
      role === 'anonymous'
        ? undefined
        : await app.token({
            role,
            subject: role === 'member' ? ada.memberId : `test-${role}`,
            partnerId: role === 'partner' ? 'beans-inc' : undefined,
          });
    const run = await app.graphql(RUN_JOB, { input: { job: 'EXPIRE_POINTS' } }, token);
    expect(run.errors?.[0]?.extensions?.code).toBe(code);
    expect(run.data?.runJob ?? null).toBeNull();
    const runs = await app.graphql(JOB_RUNS, { first: 5 }, token);
    expect(runs.errors?.[0]?.extensions?.code).toBe(code);
    expect(await jobRunsOf(app)).toEqual([]);
  });
});
