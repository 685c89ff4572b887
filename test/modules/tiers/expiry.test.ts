import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import {
  ADJUST,
  closeSoundly,
  freshLedgerApp,
  lotsOf,
  memberLedger,
  mutate,
  REDEEM,
  REFUND_ORDER,
  setRules,
  transfersOf,
} from '../../support/ledger';
import { expiringSoon, jobRunsOf, liabilityPoints, placeOrder, runJob, runJobAt } from '../../support/tiers';
import { runJobNow } from '../../../src/jobs/runner';
import { expirePointsJob } from '../../../src/jobs/expire-points';

/**
 * The expire-points job, run by an admin through `runJob(EXPIRE_POINTS, now)`: a lot expires from
 * the instant `now >= expiresAt`; the job moves what is left of it to the program's breakage
 * account (`points_expired`), per member, in chunks of 100 members, and moves nothing twice.
 *
 * Default rules: 1 point per 100 minor units paid, points live 12 months (same instant, clamped to
 * the end of the month). The clock starts at 2026-11-23T10:00:00Z, so the first points earned
 * expire at 2027-11-23T10:00:00Z. Both programs' ledgers are audited after every test.
 */

let app: TestApp;
let ada: { globalId: string; memberId: string };

beforeEach(async () => {
  ({ app, member: ada } = await freshLedgerApp());
});
afterEach(() => closeSoundly(app));

const expire = (now: string, programId = 'acme') => runJobAt(app, 'EXPIRE_POINTS', now, programId);
const balance = async (globalId = ada.globalId) => (await memberLedger(app, globalId)).pointsBalance;
/** Credits `points` in a new lot earned at the clock's instant (an operator's adjustment). */
const adjust = (memberGlobalId: string, points: number, token?: string) =>
  mutate(app, ADJUST, { memberId: memberGlobalId, points, reason: 'seed' }, token);
const redeem = (points: number) => mutate(app, REDEEM, { memberId: ada.globalId, points });

describe('the expiry instant', () => {
  it('expires nothing one second before expiresAt, and everything left at expiresAt', async () => {
    await placeOrder(app, ada.globalId, 'o-1', 10_000); // 100 points, expire 2027-11-23T10:00:00Z

    expect(await expire('2027-11-23T09:59:59Z')).toMatchObject({ processed: 0, cursor: null });
    expect(await balance()).toBe(100);
    expect((await transfersOf(app, ada.globalId)).map((transfer) => transfer.kind)).toEqual(['EARN']);

    expect(await expire('2027-11-23T10:00:00Z')).toMatchObject({ processed: 1, cursor: null, finishedAt: '2027-11-23T10:00:00.000Z' });
    expect(await balance()).toBe(0);
    expect(await lotsOf(app, ada.globalId)).toEqual([
      { amount: 100, remaining: 0, earnedAt: '2026-11-23T10:00:00.000Z', expiresAt: '2027-11-23T10:00:00.000Z' },
    ]);
  });

  it('records an EXPIRY transfer from the member to the program breakage account', async () => {
    await placeOrder(app, ada.globalId, 'o-1', 10_000);
    await expire('2027-11-23T10:00:00Z');
    const [expiry, earn, ...others] = await transfersOf(app, ada.globalId);
    expect(others).toEqual([]);
    expect(earn).toMatchObject({ kind: 'EARN', amount: 100 });
    expect(expiry).toMatchObject({
      kind: 'EXPIRY',
      amount: 100,
      unit: 'POINTS',
      ref: null,
      reversesTransferId: null,
      createdAt: '2027-11-23T10:00:00.000Z',
      debit: { ownerType: 'member', kind: 'points', unit: 'POINTS' },
      credit: { ownerType: 'program', kind: 'points_expired', unit: 'POINTS' },
    });
  });

  it('never expires points of a program without a lifetime', async () => {
    await setRules(app, { pointsLifetimeMonths: null });
    await adjust(ada.globalId, 40);
    expect(await expire('2036-11-23T10:00:00Z')).toMatchObject({ processed: 0 });
    expect(await balance()).toBe(40);
  });
});

describe('what expires', () => {
  it('expires only what is left of a partly spent lot; later lots stay', async () => {
    await placeOrder(app, ada.globalId, 'o-1', 10_000); // lot A: 100, expires 2027-11-23T10:00
    app.clock.set('2027-01-10T10:00:00Z');
    await redeem(30); // A: 70 left
    await placeOrder(app, ada.globalId, 'o-2', 5_000, { at: '2027-06-01T10:00:00Z' }); // lot B: 50, expires 2028-06-01T10:00

    await expire('2027-11-23T10:00:00Z');
    expect(await balance()).toBe(50);
    expect((await transfersOf(app, ada.globalId))[0]).toMatchObject({ kind: 'EXPIRY', amount: 70 });
    expect(await lotsOf(app, ada.globalId)).toEqual([
      { amount: 50, remaining: 50, earnedAt: '2027-06-01T10:00:00.000Z', expiresAt: '2028-06-01T10:00:00.000Z' },
      { amount: 100, remaining: 0, earnedAt: '2026-11-23T10:00:00.000Z', expiresAt: '2027-11-23T10:00:00.000Z' },
    ]);

    await expire('2028-06-01T10:00:00Z');
    expect(await balance()).toBe(0);
  });

  it('has nothing to expire where spending already took the soonest-expiring lot (FIFO by expiry)', async () => {
    await adjust(ada.globalId, 100); // lot A: earned 2026-11-23, 12 months → 2027-11-23T10:00
    await setRules(app, { pointsLifetimeMonths: 3 });
    app.clock.set('2026-12-01T10:00:00Z');
    await adjust(ada.globalId, 100); // lot B: earned later but 3 months → 2027-03-01T10:00, the first to expire

    app.clock.set('2027-01-15T10:00:00Z');
    await redeem(80); // all from B: B 20 left, A untouched
    expect((await lotsOf(app, ada.globalId)).map((lot) => [lot.amount, lot.remaining, lot.expiresAt])).toEqual([
      [100, 20, '2027-03-01T10:00:00.000Z'],
      [100, 100, '2027-11-23T10:00:00.000Z'],
    ]);

    await expire('2027-03-01T10:00:00Z');
    expect((await transfersOf(app, ada.globalId))[0]).toMatchObject({ kind: 'EXPIRY', amount: 20 });
    expect(await balance()).toBe(100);

    // Spending the rest before A's expiry leaves the job nothing to do for Ada.
    app.clock.set('2027-11-01T10:00:00Z');
    await redeem(100);
    expect(await expire('2027-11-23T10:00:00Z')).toMatchObject({ processed: 0 });
    expect((await transfersOf(app, ada.globalId)).filter((transfer) => transfer.kind === 'EXPIRY')).toHaveLength(1);
  });

  it('lowers the program liability by what expired, and leaves another program alone', async () => {
    const bob = await enroll(app, { email: 'bob@example.com' });
    const globexAdmin = await app.token({ role: 'admin', programId: 'globex' });
    const linus = await enroll(app, { email: 'linus@example.com' }, globexAdmin);
    await adjust(ada.globalId, 100); // expires 2027-11-23T10:00
    await adjust(linus.globalId, 70, globexAdmin); // expires 2027-11-23T10:00 too, in globex
    app.clock.set('2027-02-01T10:00:00Z');
    await adjust(bob.globalId, 50); // expires 2028-02-01T10:00
    expect(await liabilityPoints(app)).toBe(150);

    expect(await expire('2027-11-23T10:00:00Z')).toMatchObject({ processed: 1 });
    expect(await liabilityPoints(app)).toBe(50);
    expect(await balance(bob.globalId)).toBe(50);
    // globex's points are expired by globex's own run only.
    expect(await liabilityPoints(app, 'globex')).toBe(70);
    expect(await expire('2027-11-23T10:00:00Z', 'globex')).toMatchObject({ processed: 1 });
    expect(await liabilityPoints(app, 'globex')).toBe(0);
    expect(await liabilityPoints(app)).toBe(50);
  });
});

describe('idempotence', () => {
  it('moves nothing when run twice at the same now (processed 0 the second time)', async () => {
    const bob = await enroll(app, { email: 'bob@example.com' });
    await adjust(ada.globalId, 100);
    await adjust(bob.globalId, 60);

    const first = await expire('2027-11-23T10:00:00Z');
    expect(first.processed).toBe(2);
    const transfersAfterFirst = await transfersOf(app, ada.globalId);

    const second = await expire('2027-11-23T10:00:00Z');
    expect(second).toMatchObject({ processed: 0, now: first.now, cursor: null, error: null });
    expect(await transfersOf(app, ada.globalId)).toEqual(transfersAfterFirst);
    expect(await liabilityPoints(app)).toBe(0);
    // A later run finds nothing either; each run is recorded.
    expect(await expire('2027-11-23T11:05:00Z')).toMatchObject({ processed: 0 });
    expect((await jobRunsOf(app, 'acme', 'EXPIRE_POINTS')).map((run) => [run.now, run.processed])).toEqual([
      ['2027-11-23T11:05:00.000Z', 0],
      ['2027-11-23T10:00:00.000Z', 0],
      ['2027-11-23T10:00:00.000Z', 2],
    ]);
  });
});

describe('pointsExpiringSoon', () => {
  beforeEach(async () => {
    await placeOrder(app, ada.globalId, 'o-1', 10_000); // lot A: 100, expires 2027-11-23T10:00
    app.clock.set('2027-01-01T10:00:00Z');
    await adjust(ada.globalId, 40); // lot B: 40, expires 2028-01-01T10:00
  });

  it('counts the unexpired points of lots expiring within the next N days, soonest first', async () => {
    app.clock.set('2027-10-24T10:00:00Z'); // exactly 30 days before A expires
    expect((await expiringSoon(app, ada.globalId, 30)).pointsExpiringSoon).toEqual({
      points: 100,
      until: '2027-11-23T10:00:00.000Z',
      lots: [{ amount: 100, remaining: 100, expiresAt: '2027-11-23T10:00:00.000Z' }],
    });
    expect((await expiringSoon(app, ada.globalId, 29)).pointsExpiringSoon).toEqual({
      points: 0,
      until: '2027-11-22T10:00:00.000Z',
      lots: [],
    });
    // 70 days reach 2028-01-02: both lots, A first.
    expect((await expiringSoon(app, ada.globalId, 70)).pointsExpiringSoon).toMatchObject({
      points: 140,
      lots: [{ expiresAt: '2027-11-23T10:00:00.000Z' }, { expiresAt: '2028-01-01T10:00:00.000Z' }],
    });

    // Spending takes A first, so fewer points are about to expire.
    await redeem(30);
    expect((await expiringSoon(app, ada.globalId, 30)).pointsExpiringSoon).toMatchObject({
      points: 70,
      lots: [{ amount: 100, remaining: 70 }],
    });
  });

  it('leaves out lots already expired, whether or not the job has run', async () => {
    app.clock.set('2027-11-23T10:00:00Z');
    // A has expired but is still in the balance until the job runs.
    let seen = await expiringSoon(app, ada.globalId, 60);
    expect(seen.pointsBalance).toBe(140);
    expect(seen.pointsExpiringSoon).toMatchObject({ points: 40, lots: [{ amount: 40, expiresAt: '2028-01-01T10:00:00.000Z' }] });

    await runJob(app, 'EXPIRE_POINTS');
    seen = await expiringSoon(app, ada.globalId, 60);
    expect(seen.pointsBalance).toBe(40);
    expect(seen.pointsExpiringSoon.points).toBe(40);
  });

  it('a member reads its own', async () => {
    app.clock.set('2027-11-01T00:00:00Z');
    const response = await app.graphql(
      `{ me { pointsExpiringSoon(days: 30) { points until } } }`,
      {},
      await app.token({ role: 'member', subject: ada.memberId }),
    );
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    expect(response.data!.me.pointsExpiringSoon).toEqual({ points: 100, until: '2027-12-01T00:00:00.000Z' });
  });
});

describe('refunds after expiry', () => {
  it('do not take the expired earned points back a second time from other lots', async () => {
    await placeOrder(app, ada.globalId, 'o-1', 10_000); // lot A: 100, expires 2027-11-23T10:00
    app.clock.set('2027-06-01T10:00:00Z');
    await adjust(ada.globalId, 50); // lot B: 50, expires 2028-06-01T10:00

    await expire('2027-11-23T10:00:00Z'); // A's 100 points go to breakage
    expect(await balance()).toBe(50);

    // A late refund of o-1: its 100 earned points already left the member (they expired, unused).
    // Taking 50 of B's points as well would recover 150 points for an order that earned 100.
    app.clock.set('2027-12-01T10:00:00Z');
    const refund = await mutate(app, REFUND_ORDER, { orderId: 'o-1', amount: 10_000 });
    expect(refund).toMatchObject({ __typename: 'RefundOrderPayload', pointsClawedBack: 0 });
    expect(await balance()).toBe(50);
  });
});

describe('many members', () => {
  /** Enrolls `count` acme members with 10 points each, earned at the clock's instant; in parallel batches. */
  async function seedMembers(count: number) {
    const token = await app.token({ role: 'admin' });
    const seeded: Array<{ globalId: string }> = [];
    for (let start = 0; start < count; start += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, count - start) }, async (_, offset) => {
          const member = await enroll(app, { externalId: `bulk-${start + offset}` }, token);
          await adjust(member.globalId, 10, token);
          return member;
        }),
      );
      seeded.push(...batch);
    }
    return seeded;
  }

  const MEMBERS_PAGE = `query($after: String) { members(first: 100, after: $after) { edges { node { pointsBalance } } pageInfo { hasNextPage endCursor } } }`;
  async function allBalances() {
    const balances: number[] = [];
    const token = await app.token({ role: 'admin' });
    let after: string | null = null;
    do {
      const response = await app.graphql(MEMBERS_PAGE, { after }, token);
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      const page: any = response.data!.members;
      balances.push(...page.edges.map((edge: any) => edge.node.pointsBalance));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return balances;
  }

  it('expires 250 members in chunks of 100 in one run', async () => {
    await seedMembers(250); // 2,500 points expiring 2027-11-23T10:00 (Ada has none)
    expect(await liabilityPoints(app)).toBe(2_500);

    const run = await expire('2027-11-23T10:00:00Z');
    expect(run).toMatchObject({ processed: 250, cursor: null, error: null, finishedAt: '2027-11-23T10:00:00.000Z' });
    const balances = await allBalances();
    expect(balances).toHaveLength(251); // with Ada
    expect(balances.every((points) => points === 0)).toBe(true);
    expect(await liabilityPoints(app)).toBe(0);

    expect(await expire('2027-11-23T10:00:00Z')).toMatchObject({ processed: 0 });
  });

  it('stops after a chunk when out of time and finishes that run first at the next invocation', async () => {
    await seedMembers(150);
    const now = new Date('2027-11-23T10:00:00Z');
    app.clock.set(now);
    // No time budget: one chunk of 100 members, then the run waits with its cursor.
    const partial = await runJobNow(app.deps, expirePointsJob({ chunkSize: 100 }), {
      now,
      trigger: 'manual',
      programId: 'acme',
      budgetMs: 0,
    });
    expect(partial).toMatchObject({ processed: 100, finishedAt: null, error: null });
    expect(partial.cursor).toEqual(expect.any(String));
    expect(await liabilityPoints(app)).toBe(500); // 50 members × 10 points still to expire
    expect((await jobRunsOf(app))[0]).toMatchObject({ processed: 100, finishedAt: null, cursor: partial.cursor });

    // The next run (here by hand, an hour later) first finishes the earlier one, then does its own.
    const later = await runJobAt(app, 'EXPIRE_POINTS', '2027-11-23T11:00:00Z');
    expect(later).toMatchObject({ processed: 0, cursor: null });
    expect((await jobRunsOf(app)).map((run) => [run.now, run.processed, run.cursor, run.finishedAt !== null])).toEqual([
      ['2027-11-23T11:00:00.000Z', 0, null, true],
      ['2027-11-23T10:00:00.000Z', 150, null, true],
    ]);
    expect((await allBalances()).every((points) => points === 0)).toBe(true);
  });
});
