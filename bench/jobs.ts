import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { accounts, lotMovements, lots, members, operations, orders, transfers, type JobRunRow } from '../schema';
import { commandRegistry } from '../src/commands';
import { loadConfig } from '../src/config';
import { jobs } from '../src/jobs/schedule';
import type { Job } from '../src/jobs/job';
import { runJob } from '../src/jobs/runner';
import { account, POINTS } from '../src/modules/ledger/accounts';
import { auditLedger } from '../src/modules/ledger/audit';
import { earnMonthsStatements } from '../src/modules/ledger/earn-months';
import { createProgramsService } from '../src/modules/programs/service';
import { createServices, type ServiceDeps } from '../src/services';
import { systemClock } from '../src/platform/clock';
import type { Database } from '../src/platform/db/database';
import { newId } from '../src/platform/ids';
import { meterRoundTrips, type RoundTripMeter } from '../src/platform/db/round-trip-meter';
import { openNodeDatabase } from '../src/platform/node/database';
import { createInProcessSerializer } from '../src/platform/node/in-process-serializer';
import { addMonthsUtc, DAY_MS } from '../src/platform/time';
import { freshDataDir, writeResults } from './lib';
import { describeCpu, measurePhase, printCalls } from './phase';

export const PROGRAM = 'bench';
const SEED_CHUNK = 500;

/**
 * Seeds `count` members, each with one order whose earned points sit in one lot, written as the
 * ledger writes them (operation, accounts, earn transfer, lot, movement, points by earn month), in bulk. Member n orders
 * `n % 10` days after `at`, so that a tenth of the orders (and lots) leave the window (expire) each day.
 */
export async function seed(db: Database, count: number, at: Date) {
  const issued = account(PROGRAM, 'pointsIssued', POINTS);
  let totalPoints = 0;
  for (let offset = 0; offset < count; offset += SEED_CHUNK) {
    const chunk = Array.from({ length: Math.min(SEED_CHUNK, count - offset) }, (_, index) => {
      const n = offset + index;
      const memberId = newId();
      const total = 1_000 + ((n * 7919) % 200_000);
      const orderedAt = new Date(at.getTime() + (n % 10) * DAY_MS);
      return {
        n,
        memberId,
        total,
        orderedAt,
        points: Math.floor(total / 100),
        operationId: newId(),
        transferId: newId(),
        lotId: newId(),
        memberPoints: account(PROGRAM, 'memberPoints', POINTS, memberId),
      };
    });
    totalPoints += chunk.reduce((sum, row) => sum + row.points, 0);
    await db.batch([
      db
        .insert(members)
        .values(
          chunk.map(({ n, memberId }) => ({ id: memberId, programId: PROGRAM, email: `m${n}@bench.test`, createdAt: at, updatedAt: at })),
        ),
      db.insert(operations).values(
        chunk.map(({ n, memberId, operationId }) => ({
          id: operationId,
          programId: PROGRAM,
          idempotencyKey: `seed-${n}`,
          command: 'seed',
          requestHash: 'seed',
          memberId,
          result: {},
          createdAt: at,
        })),
      ),
      db
        .insert(accounts)
        .values([issued, ...chunk.map((row) => row.memberPoints)].map((ref) => ({ ...ref, balance: 0, createdAt: at })))
        .onConflictDoNothing(),
      db.insert(transfers).values(
        chunk.map((row) => ({
          id: row.transferId,
          programId: PROGRAM,
          operationId: row.operationId,
          debitAccountId: issued.id,
          creditAccountId: row.memberPoints.id,
          amount: row.points,
          unit: POINTS,
          kind: 'earn',
          ref: `order-${row.n}`,
          idempotencyKey: `seed-${row.n}#0`,
          createdAt: row.orderedAt,
        })),
      ),
      db.insert(lots).values(
        chunk.map((row) => ({
          id: row.lotId,
          programId: PROGRAM,
          memberId: row.memberId,
          accountId: row.memberPoints.id,
          sourceTransferId: row.transferId,
          amount: row.points,
          remaining: row.points,
          earnedAt: row.orderedAt,
          expiresAt: addMonthsUtc(row.orderedAt, 12),
        })),
      ),
      db.insert(lotMovements).values(chunk.map((row) => ({ transferId: row.transferId, lotId: row.lotId, delta: row.points }))),
      ...earnMonthsStatements(
        db,
        PROGRAM,
        chunk.map((row) => ({ lotId: row.lotId, delta: row.points, earned: row.points, expired: 0 })),
      ),
      db.insert(orders).values(
        chunk.map((row) => ({
          id: newId(),
          programId: PROGRAM,
          memberId: row.memberId,
          orderId: `order-${row.n}`,
          currency: 'EUR',
          total: row.total,
          pointsRedeemed: 0,
          pointsPayment: 0,
          pointsEarned: row.points,
          createdAt: row.orderedAt,
        })),
      ),
      ...chunk.map((row) => db.update(accounts).set({ balance: row.points }).where(eqId(row.memberPoints.id))),
    ]);
  }
  await db.update(accounts).set({ balance: -totalPoints }).where(eqId(issued.id));
}

const eqId = (id: string) => eq(accounts.id, id);

/** Samples the heap while `work` runs; the peak shows whether memory stays bounded. */
/** Runs a job to the end as a Worker would: invocations of at most 25 s, each resuming the last. */
export async function runInWorkerSizedInvocations(deps: ServiceDeps, job: Job, now: Date) {
  let invocations = 0;
  let run: JobRunRow;
  do {
    invocations++;
    run = await runJob(deps, job, { now, trigger: 'bench', programId: PROGRAM, deadline: Date.now() + 25_000 });
  } while (!run.finishedAt);
  return { run, invocations };
}

export async function withPeakHeap<T>(work: () => Promise<T>): Promise<{ value: T; peak: number }> {
  let peak = process.memoryUsage().heapUsed;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 50);
  try {
    const value = await work();
    return { value, peak };
  } finally {
    clearInterval(timer);
  }
}

/** A fresh embedded database whose round trips are metered, with the bench program and the app's deps on it. */
export async function openBenchProgram(file: string, clock = systemClock) {
  let meter: RoundTripMeter | undefined;
  const dataDir = freshDataDir();
  const { db, client } = await openNodeDatabase({
    url: `file:${join(dataDir, file)}`,
    walCheckpointer: true,
    wrapClient: (raw) => {
      // The embedded database has one connection: the meter hands it one call at a time, so each call's time is its own.
      const metered = meterRoundTrips(raw, { oneAtATime: true });
      meter = metered.meter;
      return metered.client;
    },
  });
  const { fingerprints } = loadConfig({}, 'node');
  const serializer = createInProcessSerializer(commandRegistry, { db, clock, fingerprints });
  const deps = { db, clock, serializer, fingerprints };
  await createProgramsService(deps).ensure({ id: PROGRAM, name: 'Bench' });
  // The database of 100,000 members takes about half a gigabyte: gone with the bench.
  const close = () => {
    client.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { db, client, deps, meter: () => meter!, close };
}

/** Tiers on spend over a rolling 12 months without grace; returns the tiers service to create them with. */
export async function configureBenchTiers(deps: ServiceDeps) {
  const tiers = createServices(deps).tiers;
  await tiers.configure(PROGRAM, {
    metric: 'spend',
    window: 'rolling_months',
    windowMonths: 12,
    downgradeGraceDays: 0,
    pendingPointsCount: 'at_once',
  });
  return tiers;
}

/**
 * `npm run bench -- jobs [--members 100000]`: the ledger audit, recalculate-tiers and expire-points
 * over every member of a program on the embedded database, each job in invocations of a Worker-like
 * 25 s budget, with some members changing and with all of them changing. Reports members per second
 * (all members of the program over the run's time), how many changed, the peak heap, the audit's time,
 * each phase's CPU time and the load average around it (wall times on a shared machine count waiting
 * for a core), and its database calls: their own and CPU times, the longest call and the one with the
 * most CPU (on Node the embedded database answers on the event loop: a long call freezes every request).
 */
export async function jobsBenchmark({ members: count = 100_000 }: { members?: number }) {
  const seededAt = new Date('2026-01-15T00:00:00Z');
  // Jobs run "as of" their `now`; the clock only stamps writes and measures the 25 s budget.
  const clock = systemClock;
  const { db, client, deps, meter: meterOf, close } = await openBenchProgram('jobs.db', clock);
  const meter = meterOf();

  const started = performance.now();
  await seed(db, count, seededAt);
  const seedSeconds = (performance.now() - started) / 1000;
  console.log(`seeded ${count} members with an order and a lot each (a tenth per day over 10 days) in ${seedSeconds.toFixed(1)} s`);

  const tiers = await configureBenchTiers(deps);
  await tiers.create(PROGRAM, {
    name: 'Bronze',
    threshold: 0,
    earnMultiplierPermille: 1000,
    discountBasisPoints: 0,
    memberOnlyOffers: false,
  });
  await tiers.create(PROGRAM, {
    name: 'Silver',
    threshold: 50_000,
    earnMultiplierPermille: 1250,
    discountBasisPoints: 0,
    memberOnlyOffers: false,
  });
  await tiers.create(PROGRAM, {
    name: 'Gold',
    threshold: 150_000,
    earnMultiplierPermille: 1500,
    discountBasisPoints: 500,
    memberOnlyOffers: true,
  });

  const results: Record<string, unknown> = {};
  const audit = async (name: string) => {
    const { value: violations, cost } = await measurePhase(meter, () => auditLedger(db, PROGRAM));
    results[name] = { sound: violations.length === 0, ...cost };
    console.log(
      `${name.padEnd(30)} ${violations.length === 0 ? 'sound' : `${violations.length} VIOLATIONS`} in ${cost.seconds.toFixed(2)} s, ${cost.calls.count} reads (${describeCpu(cost, count, 'member')})`,
    );
    printCalls(cost);
    return violations.length === 0;
  };
  const changedSince = async (sql: string, since: number) => Number((await client.execute({ sql, args: [since] })).rows[0]![0]);
  const runs = [
    // Every member reaches a tier (Bronze from 0): all change.
    {
      name: 'recalculate-tiers, all change',
      job: 'recalculate-tiers',
      now: new Date('2026-06-01T02:30:00Z'),
      changed: 'select count(*) from tier_history where at >= ?',
    },
    // The first day's orders leave the 12-month window: those above Bronze fall back to it.
    {
      name: 'recalculate-tiers, some change',
      job: 'recalculate-tiers',
      now: new Date('2027-01-15T12:00:00Z'),
      changed: 'select count(*) from tier_history where at >= ?',
    },
    // The first day's lots expire: a tenth of the members.
    {
      name: 'expire-points, 10 % change',
      job: 'expire-points',
      now: new Date('2027-01-15T12:00:00Z'),
      changed: "select count(*) from transfers where kind = 'expiry' and created_at >= ?",
    },
    // The other nine days' lots: every member still holding points.
    {
      name: 'expire-points, all change',
      job: 'expire-points',
      now: new Date('2027-02-01T00:05:00Z'),
      changed: "select count(*) from transfers where kind = 'expiry' and created_at >= ?",
    },
  ] as const;

  await audit('audit before');
  for (const { name, job, now, changed } of runs) {
    const stampedFrom = Date.now();
    const heapBefore = process.memoryUsage().heapUsed;
    const { value: measured, cost } = await measurePhase(meter, () =>
      withPeakHeap(() => runInWorkerSizedInvocations(deps, jobs[job]!, now)),
    );
    const { run, invocations } = measured.value;
    // Tier changes are stamped with the job's `now`, expiries with the clock.
    const changes = await changedSince(changed, job === 'recalculate-tiers' ? now.getTime() : stampedFrom);
    results[name] = {
      members: count,
      processed: run.processed,
      changed: changes,
      membersPerSecond: count / cost.seconds,
      cpuMsPerMember: (cost.cpuSeconds * 1000) / count,
      ...cost,
      invocations,
      heapBeforeMb: heapBefore / 2 ** 20,
      peakHeapMb: measured.peak / 2 ** 20,
      error: run.error,
    };
    console.log(
      `${name.padEnd(30)} ${count} members (${changes} changed) in ${cost.seconds.toFixed(1)} s = ${(count / cost.seconds).toFixed(0)} members/s (${describeCpu(cost, count, 'member')}), ` +
        `${invocations} invocation(s) of 25 s, heap ${(heapBefore / 2 ** 20).toFixed(0)} → peak ${(measured.peak / 2 ** 20).toFixed(0)} MB${run.error ? `, ERROR ${run.error}` : ''}`,
    );
    printCalls(cost);
  }
  const sound = await audit('audit after');
  console.log(
    `results: ${writeResults('jobs', { scenario: 'jobs', at: new Date().toISOString(), members: count, seedSeconds, results, ledgerSound: sound })}`,
  );
  close();
}
