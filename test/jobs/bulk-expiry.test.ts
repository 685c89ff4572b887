import { decodeGlobalID } from '@pothos/plugin-relay';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expirePoints, expirePointsJob } from '../../src/jobs/expire-points';
import { runJobNow } from '../../src/jobs/runner';
import { expireMembersInBulk, expiryKey } from '../../src/modules/ledger/bulk-expiry';
import { createLedgerService } from '../../src/modules/ledger/service';
import type { Database } from '../../src/platform/db/database';
import { enroll } from '../support/members';
import { closeSoundly, freshLedgerApp, memberLedger, mutate, REFUND_ORDER, transfersOf } from '../support/ledger';
import { liabilityPoints, placeOrder } from '../support/tiers';
import { expectValidEvent, readEvents } from '../support/events';
import type { TestApp } from '../support/test-app';
import type { InStatement } from '@libsql/client';
import { openNodeDatabase } from '../../src/platform/node/database';
import { recordingStatements, readsOutsideTheMemberRange, sqlOf } from '../support/query-plans';

/**
 * expire-points writes a chunk of members set-based, in one batch of multi-row statements. It must
 * write exactly what the per-member command writes, and a guard that trips (a member command moved
 * the same points in between, an expiry already recorded) must roll the whole batch back and leave
 * the chunk to the members' serializers. Both ledgers are audited after every test.
 */
let app: TestApp;
let ada: { globalId: string; memberId: string };
const AS_OF = '2027-11-23T10:00:00.000Z';

beforeEach(async () => {
  ({ app, member: ada } = await freshLedgerApp());
});
afterEach(() => closeSoundly(app));

/** Ada and Bob each earn 100 points at TEST_NOW (expiring at AS_OF); Bob's are from order `o-bob`. */
async function twoMembers() {
  const bob = await enroll(app, { email: 'bob@example.com' });
  await placeOrder(app, ada.globalId, 'o-ada', 10_000);
  await placeOrder(app, bob.globalId, 'o-bob', 10_000);
  return bob;
}

/** Cy, Dee and Eve, enrolled after Ada and Bob, each earning 100 points from order `o-<name>`. */
async function threeMore() {
  const others = [];
  for (const name of ['cy', 'dee', 'eve']) {
    const member = await enroll(app, { email: `${name}@example.com` });
    await placeOrder(app, member.globalId, `o-${name}`, 10_000);
    others.push(member);
  }
  return others;
}

/**
 * The app's database, on which the `nth` batch (counting from 1) first refunds 60.00 of `orderId`,
 * clawing back 60 of its points: a member command in between a job's read and its write.
 */
function refundingBefore(nth: number, orderId: string) {
  let batches = 0;
  const db = new Proxy(app.db, {
    get(target, property) {
      if (property !== 'batch') return Reflect.get(target, property, target);
      return async (statements: Parameters<Database['batch']>[0]) => {
        if (++batches === nth) expect(await mutate(app, REFUND_ORDER, { orderId, amount: 6_000 })).toMatchObject({ pointsClawedBack: 60 });
        return target.batch(statements);
      };
    },
  });
  return { db, batches: () => batches };
}

const run = () => runJobNow(app.deps, expirePoints, { now: new Date(AS_OF), trigger: 'manual', programId: 'acme' });

describe('expire-points, set-based', () => {
  it('records for each member what its command would: a retry of that command replays it and moves nothing', async () => {
    const bob = await twoMembers();
    app.clock.set(AS_OF);
    expect(await run()).toMatchObject({ processed: 2, error: null });
    expect(await liabilityPoints(app)).toBe(0);
    const [expiry] = await transfersOf(app, bob.globalId);
    expect(expiry).toMatchObject({ kind: 'EXPIRY', amount: 100 });

    const ledger = createLedgerService(app.deps);
    const retried = await ledger.expirePoints('acme', {
      memberId: bob.memberId,
      asOf: AS_OF,
      idempotencyKey: expiryKey(bob.memberId, AS_OF),
    });
    expect(retried).toEqual({
      memberId: bob.memberId,
      points: 100,
      pointsBalance: 0,
      transferId: decodeGlobalID(expiry!.id).id,
      replayed: true,
    });
    expect(await run()).toMatchObject({ processed: 0 });
    // One points.expired per member, with the lots it took from; the replay wrote none.
    const expired = await readEvents(app, { types: ['points.expired'] });
    expect(expired.map((event) => [event.data.memberId, event.data.points])).toEqual(
      expect.arrayContaining([
        [ada.memberId, expect.any(Number)],
        [bob.memberId, 100],
      ]),
    );
    expect(expired).toHaveLength(2);
    for (const event of expired) expectValidEvent(event);
  });

  it('two runs that read the same chunk before either writes: the second batch trips a guard and writes nothing', async () => {
    const bob = await twoMembers();
    app.clock.set(AS_OF);
    const chunk = [ada.memberId, bob.memberId];
    // Each run reads in its first batch and writes in its second: hold both writes until both have read.
    let reads = 0;
    let bothHaveRead!: () => void;
    const readsDone = new Promise<void>((resolve) => {
      bothHaveRead = resolve;
    });
    const heldUntilBothRead = () => {
      let batches = 0;
      return new Proxy(app.db, {
        get(target, property) {
          if (property !== 'batch') return Reflect.get(target, property, target);
          return async (statements: Parameters<Database['batch']>[0]) => {
            const isRead = ++batches === 1;
            if (!isRead) await readsDone;
            const result = await target.batch(statements);
            if (isRead && ++reads === 2) bothHaveRead();
            return result;
          };
        },
      });
    };
    const outcomes = await Promise.allSettled([
      expireMembersInBulk({ ...app.deps, db: heldUntilBothRead() }, 'acme', chunk, new Date(AS_OF)),
      expireMembersInBulk({ ...app.deps, db: heldUntilBothRead() }, 'acme', chunk, new Date(AS_OF)),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    for (const member of [ada, bob])
      expect((await transfersOf(app, member.globalId)).filter((transfer) => transfer.kind === 'EXPIRY')).toHaveLength(1);
    expect(await liabilityPoints(app)).toBe(0);
    expect(await run()).toMatchObject({ processed: 0, error: null });
    expect(await readEvents(app, { types: ['points.expired'] })).toHaveLength(2);
  });

  it('a member command that draws from the same lot between the read and the write trips the CHECK; nothing is expired twice', async () => {
    const bob = await twoMembers();
    app.clock.set(AS_OF);
    // Bob's refund claws back 60 of his (expired, not yet processed) points after the job has read his lot.
    const { db } = refundingBefore(2, 'o-bob');
    await expect(expireMembersInBulk({ ...app.deps, db }, 'acme', [ada.memberId, bob.memberId], new Date(AS_OF))).rejects.toThrow(/CHECK/i);
    expect((await memberLedger(app, ada.globalId)).pointsBalance).toBe(100);
    expect((await memberLedger(app, bob.globalId)).pointsBalance).toBe(40);

    expect(await run()).toMatchObject({ processed: 2, error: null });
    const expiries = (await transfersOf(app, bob.globalId)).filter((transfer) => transfer.kind === 'EXPIRY');
    expect(expiries.map((transfer) => transfer.amount)).toEqual([40]);
    expect(await liabilityPoints(app)).toBe(0);
  });

  it('a chunk written a few members per batch: a guard that trips in one batch sends only its members to the serializers', async () => {
    const bob = await twoMembers();
    const others = await threeMore();
    const [cy] = others;
    app.clock.set(AS_OF);
    // One chunk of five members (in enrolment order), each batch of two a read and a write: ada and
    // bob, then cy and dee, then eve. Cy's refund claws back 60 of his points after his batch has read his lot.
    const { db, batches } = refundingBefore(4, 'o-cy');
    const job = expirePointsJob({ chunkSize: 5, membersPerBatch: 2 });
    expect(await runJobNow({ ...app.deps, db }, job, { now: new Date(AS_OF), trigger: 'manual', programId: 'acme' })).toMatchObject({
      processed: 5,
      error: null,
    });
    // The third batch went set-based again after the second fell back.
    expect(batches()).toBe(6);
    const expiries = async (globalId: string) =>
      (await transfersOf(app, globalId)).filter((transfer) => transfer.kind === 'EXPIRY').map((transfer) => transfer.amount);
    expect(await expiries(cy!.globalId)).toEqual([40]);
    for (const member of [ada, bob, ...others.slice(1)]) expect(await expiries(member.globalId)).toEqual([100]);
    expect(await liabilityPoints(app)).toBe(0);
    expect(await readEvents(app, { types: ['points.expired'] })).toHaveLength(5);
  });
});

describe('reads of lots by expiry', () => {
  it('read lots by the chunk’s members, never by the program-wide expiry index (whose range is every lot still to expire)', async () => {
    await twoMembers();
    await threeMore();
    const statements: InStatement[] = [];
    const recorded = await openNodeDatabase({ url: `file:${app.databaseFile}`, wrapClient: recordingStatements(statements) });
    try {
      app.clock.set(AS_OF);
      const chunks = runJobNow({ ...app.deps, db: recorded.db }, expirePointsJob({ chunkSize: 2 }), {
        now: new Date(AS_OF),
        trigger: 'manual',
        programId: 'acme',
      });
      expect(await chunks).toMatchObject({ processed: 5, error: null });
      const reads = statements.filter((statement) => sqlOf(statement).includes('"lots"'));
      expect(reads.length).toBeGreaterThan(3);
      const offending = await Promise.all(
        reads.map((statement) => readsOutsideTheMemberRange(app.client, statement, ['lots'], ['lots_member_open'])),
      );
      expect(offending.flat()).toEqual([]);
    } finally {
      recorded.client.close();
    }
  });

  it('a member’s expiring points are read from that member’s lots, not from the program’s lots expiring in the window', async () => {
    await twoMembers();
    const statements: InStatement[] = [];
    const recorded = await openNodeDatabase({ url: `file:${app.databaseFile}`, wrapClient: recordingStatements(statements) });
    try {
      const soon = await createLedgerService({ ...app.deps, db: recorded.db }).expiringSoon('acme', ada.memberId, 800);
      expect(soon.points).toBe(100);
      const offending = await Promise.all(statements.map((statement) => readsOutsideTheMemberRange(app.client, statement, ['lots'])));
      expect(offending.flat()).toEqual([]);
    } finally {
      recorded.client.close();
    }
  });
});
