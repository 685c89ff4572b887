import { sendReminders } from '../src/jobs/send-reminders';
import { createRemindersService } from '../src/modules/reminders';
import { configureBenchTiers, openBenchProgram, PROGRAM, runInWorkerSizedInvocations, seed, withPeakHeap } from './jobs';
import { writeResults } from './lib';
import { describeCpu, measurePhase, printCalls } from './phase';

/**
 * `npm run bench -- reminders [--members 100000]`: the send-reminders job over every member of a
 * program on the embedded database, in invocations of a Worker-like 25 s budget. Members are seeded
 * as for `jobs` (one order and one lot each, over 10 days), 9 in 10 consent to a channel, they live
 * in three time zones, all hold a tier (whose downgrade the job forecasts) and a tenth left a cart
 * (which the job quotes), so a run meets every decision: sent, held for quiet hours, suppressed
 * without consent, and (lapsed and expiring competing under a cap of 1) suppressed by the cap.
 * Reports members per second, the decisions, the peak heap, the run's CPU time and the load average,
 * and how long the database calls took: each call's own time and CPU time (p50, p99, max), the
 * longest call and the call with the most CPU time, each with the garbage collection that
 * overlapped it (the embedded database answers on the JS thread, so a collection during a call
 * counts in it).
 */
export async function remindersBenchmark({ members: count = 100_000 }: { members?: number }) {
  const seededAt = new Date('2026-01-15T00:00:00Z');
  const { db, client, deps, meter: meterOf, close } = await openBenchProgram('reminders.db');
  const meter = meterOf();
  const started = performance.now();
  await seed(db, count, seededAt);
  await client.execute(`update members set consent_email = (rowid % 10 <> 0), consent_push = (rowid % 3 = 0),
    time_zone = case rowid % 3 when 0 then null when 1 then 'America/Los_Angeles' else 'Europe/Berlin' end`);
  console.log(`seeded ${count} members in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // Everyone holds Silver on their one order, so every member's downgrade is forecast (the orders
  // leave the 12-month window a year after the seed); a tenth left a cart, idle since the seed.
  const silver = await (await configureBenchTiers(deps)).create(PROGRAM, {
    name: 'Silver',
    threshold: 1_000,
    earnMultiplierPermille: 1000,
    discountBasisPoints: 500,
    memberOnlyOffers: false,
  });

  await client.execute({
    sql: `insert into member_tiers (member_id, program_id, tier_id, since, downgrade_due_since) select id, program_id, ?, ?, null from members`,
    args: [silver.id, seededAt.getTime()],
  });
  await client.execute({
    sql: `insert into carts (program_id, cart_id, member_id, currency, lines, codes, attributes, updated_at)
      select program_id, 'cart-' || rowid, id, 'EUR', '[{"sku":"BEANS","category":null,"quantity":2,"unitPrice":1250,"attributes":{}}]', '[]', '{}', ?
      from members where rowid % 10 = 5`,
    args: [seededAt.getTime()],
  });
  await createRemindersService(deps).updateSettings(PROGRAM, {
    pointsExpiringLeadDays: [7, 30],
    lapsedAfterDays: [45, 90],
    cartAbandonedAfterHours: [4],
    tierDowngradeLeadDays: [30],
    frequencyCap: { maxReminders: 1, perDays: 7 },
  });

  const decisions = async () =>
    Object.fromEntries(
      (await client.execute(`select status || coalesce(':' || suppressed_because, ''), count(*) from reminders group by 1`)).rows.map(
        (row) => [row[0], Number(row[1])],
      ),
    );
  const results: Record<string, unknown> = {};
  const runs = [
    // 12:00 UTC: 04:00 in Los Angeles (quiet, held), 13:00 in Berlin. About half the lots expire within 30 days; everyone lapsed 90 days.
    { name: 'first run', now: new Date('2026-12-20T12:00:00Z') },
    { name: 'same now again (idempotent)', now: new Date('2026-12-20T12:00:00Z') },
    // 16:00 UTC: 08:00 in Los Angeles, the held reminders go out.
    { name: 'quiet hours over', now: new Date('2026-12-20T16:00:00Z') },
  ];
  for (const { name, now } of runs) {
    const eventsBefore = Number((await client.execute('select count(*) from events')).rows[0]![0]);
    const heapBefore = process.memoryUsage().heapUsed;
    const { value: measured, cost } = await measurePhase(meter, () =>
      withPeakHeap(() => runInWorkerSizedInvocations(deps, sendReminders, now)),
    );
    const events = Number((await client.execute('select count(*) from events')).rows[0]![0]) - eventsBefore;
    const { run, invocations } = measured.value;
    results[name] = {
      members: count,
      membersPerSecond: count / cost.seconds,
      cpuMsPerMember: (cost.cpuSeconds * 1000) / count,
      ...cost,
      eventsWritten: events,
      decisions: await decisions(),
      invocations,
      heapBeforeMb: heapBefore / 2 ** 20,
      peakHeapMb: measured.peak / 2 ** 20,
      error: run.error,
    };
    console.log(
      `${name.padEnd(28)} ${count} members in ${cost.seconds.toFixed(1)} s = ${(count / cost.seconds).toFixed(0)} members/s (${describeCpu(cost, count, 'member')}), ` +
        `${events} events, ${invocations} invocation(s), heap ${(heapBefore / 2 ** 20).toFixed(0)} → peak ${(measured.peak / 2 ** 20).toFixed(0)} MB${run.error ? `, ERROR ${run.error}` : ''}`,
    );
    printCalls(cost);
    console.log(`  decisions so far: ${JSON.stringify(await decisions())}`);
  }
  console.log(`results: ${writeResults('reminders', { scenario: 'reminders', at: new Date().toISOString(), members: count, results })}`);
  close();
}
