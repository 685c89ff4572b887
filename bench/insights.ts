import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../src/platform/db/database';
import { DAY_MS } from '../src/platform/time';
import { monthIndex, monthLabel, periodSpans } from '../src/modules/insights/domain/periods';
import { experimentPopulation, monthRanges, rangeNumber } from '../src/modules/insights/service';
import { monthlyCohortsQuery } from '../src/modules/history';
import {
  customersInWindows,
  discountsGivenQuery,
  periodTotalsQuery,
  populationWindowsQuery,
  type CountedOrdersScope,
} from '../src/modules/orders';
import { earnMonthsQuery, openPointsByExpiryMonthQuery, programTotalsQuery, rebuildEarnMonthsStatements } from '../src/modules/ledger';
import { openBenchDatabase, PROGRAM } from './segments';
import { createServices } from '../src/services';
import { runJobNow } from '../src/jobs/runner';
import { expirePoints } from '../src/jobs/expire-points';
import { writeResults } from './lib';

const RUNS = 5;

/**
 * The segments benchmark's program, written set-based: the same members (`C-n`) and the same orders as its `--shuffled` import
 * (order n belongs to member (n × 7919) mod members, placed 1 + (n × 104729 mod 730) days ago, two
 * lines; every fourth with a 10 % discount), with the member stats and daily activity the order
 * batches keep (the orders have no lines, so no purchases). The segments benchmark times the import
 * path itself; here it would only add its own minutes (an hour on a busy machine) before the reports.
 */
export async function seedProgram(db: Database, memberCount: number, now: number) {
  const orderCount = memberCount * 10;
  const total = sql.raw('((1 + s.n % 3) * (500 + s.n % 5000) + 900)');
  const placed = sql.raw(`(${now} - (1 + (s.n * 104729) % 730) * ${DAY_MS})`);
  const memberOf = sql.raw(`'M' || printf('%08d', (s.n * 7919) % ${memberCount})`);
  await db.batch([
    db.run(sql`insert into programs (id, name, created_at) values (${PROGRAM}, 'Bench', ${now}) on conflict do nothing`),
    db.run(sql`with recursive s(n) as (select 0 union all select n + 1 from s where n + 1 < ${memberCount})
      insert into members (id, program_id, external_id, email, tags, attributes, created_at, updated_at)
      select 'M' || printf('%08d', s.n), ${PROGRAM}, 'C-' || s.n, 'c' || s.n || '@bench.test',
        case when s.n % 5 = 0 then '["vip"]' else '["regular"]' end,
        case when s.n % 2 = 1 then '{"store":"Lyon"}' else '{"store":"Paris"}' end, ${now - 800 * DAY_MS}, ${now} from s`),
    db.run(sql`with recursive s(n) as (select 0 union all select n + 1 from s where n + 1 < ${orderCount})
      insert into orders (id, program_id, member_id, order_id, currency, total, discount, points_redeemed, points_payment, points_earned, created_at)
      select 'O' || printf('%09d', s.n), ${PROGRAM}, ${memberOf}, 'O-' || s.n, 'EUR', ${total}, case when s.n % 4 = 0 then ${total} / 10 else 0 end, 0, 0, 0, ${placed} from s`),
    db.run(sql`insert into member_stats (member_id, program_id, first_order_at, last_order_at, order_count, total_spend)
      select member_id, ${PROGRAM}, min(created_at), max(created_at), count(*), sum(total - discount - refunded_amount)
      from orders where program_id = ${PROGRAM} and member_id is not null group by member_id`),
    db.run(sql`insert into member_daily_activity (program_id, member_id, day, month, orders, spend, purchases)
      select ${PROGRAM}, member_id, created_at / ${sql.raw(String(DAY_MS))},
        cast(strftime('%Y', created_at / 1000.0, 'unixepoch') as integer) * 12 + cast(strftime('%m', created_at / 1000.0, 'unixepoch') as integer) - 1,
        count(*), sum(total - discount - refunded_amount), '[]'
      from orders where program_id = ${PROGRAM} and member_id is not null and fully_refunded_at is null group by member_id, 3`),
  ]);
  return { memberCount, orderCount };
}

/**
 * Points for the liability report: every order earns a lot (1 point per 100 minor units, a year to
 * live) through one balanced earn transfer, written set-based here because the import's earning
 * path goes member by member through the serializer (hours at this size), with the points by earn
 * month rebuilt from the lots as the ledger's batches would keep them; the expiry job then runs for
 * real. The ledger stays balanced: each member's balance is the sum of its lots.
 */
export async function earnPointsOnEveryOrder(db: Database, now: number) {
  const issued = `${PROGRAM}/program/${PROGRAM}/points_issued/POINTS`;
  const memberAccount = sql.raw(`'${PROGRAM}/member/' || o.member_id || '/points/POINTS'`);
  const points = sql.raw('max(1, (o.total - o.discount) / 100)');
  const counted = sql`from orders o where o.program_id = ${PROGRAM} and o.member_id is not null`;
  await db.batch([
    db.run(sql`insert into accounts (id, program_id, owner_type, owner_id, kind, unit, balance, floor, created_at)
      values (${issued}, ${PROGRAM}, 'program', ${PROGRAM}, 'points_issued', 'POINTS', 0, null, ${now}) on conflict do nothing`),
    db.run(sql`insert into accounts (id, program_id, owner_type, owner_id, kind, unit, balance, floor, created_at)
      select ${sql.raw(`'${PROGRAM}/member/' || m.id || '/points/POINTS'`)}, ${PROGRAM}, 'member', m.id, 'points', 'POINTS', 0, 0, ${now}
      from members m where m.program_id = ${PROGRAM} on conflict do nothing`),
    db.run(sql`insert into operations (id, program_id, idempotency_key, command, request_hash, member_id, result, created_at)
      select 'op-' || o.id, ${PROGRAM}, 'bench-earn-' || o.id, 'bench.earn', '', o.member_id, '{}', o.created_at ${counted}`),
    db.run(sql`insert into transfers (id, program_id, operation_id, debit_account_id, credit_account_id, amount, unit, kind, ref, idempotency_key, created_at)
      select 'tr-' || o.id, ${PROGRAM}, 'op-' || o.id, ${issued}, ${memberAccount}, ${points}, 'POINTS', 'earn', o.order_id, 'bench-earn-' || o.id || '#0', o.created_at ${counted}`),
    db.run(sql`insert into lots (id, program_id, member_id, account_id, source_transfer_id, amount, remaining, earned_at, expires_at, vests_at)
      select 'lot-' || o.id, ${PROGRAM}, o.member_id, ${memberAccount}, 'tr-' || o.id, ${points}, ${points}, o.created_at, o.created_at + ${365 * DAY_MS}, null ${counted}`),
    db.run(sql`update accounts set balance = (select coalesce(sum(l.remaining), 0) from lots l where l.program_id = ${PROGRAM} and l.member_id = accounts.owner_id)
      where program_id = ${PROGRAM} and owner_type = 'member' and kind = 'points'`),
    db.run(
      sql`update accounts set balance = -(select coalesce(sum(l.amount), 0) from lots l where l.program_id = ${PROGRAM}) where id = ${issued}`,
    ),
    ...rebuildEarnMonthsStatements(db, PROGRAM),
  ]);
}

const load = () => loadavg().map((value) => +value.toFixed(2));

/**
 * The median of `RUNS` timed calls (the first call warms the page cache and is not counted): wall
 * time, and the process's CPU time (user + system, `process.cpuUsage()`), which a machine shared
 * with other work does not inflate the way it does wall time; with the load average at the end.
 */
async function timed<T>(work: () => Promise<T>, name?: string): Promise<{ ms: number; cpuMs: number; load: number[]; result: T }> {
  let result = await work();
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const label = name ?? work.toString().match(/insights\.(\w+)/)?.[1] ?? 'report';
  for (let run = 0; run < RUNS; run++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    result = await work();
    times.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
  }
  const median = (values: number[]) => +values.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!.toFixed(1);
  const [ms, cpuMs] = [median(times), median(cpuTimes)];
  console.log(`${label}: median ${ms} ms wall, ${cpuMs} ms CPU (load ${load().join(' ')})`);
  return { ms, cpuMs, load: load(), result };
}

/** SQLite's plan of a statement, one line per step (indexes used, temp b-trees). */
async function plan(db: Database, query: SQL): Promise<string[]> {
  const rows = await db.all<{ detail: string }>(sql`explain query plan ${query}`);
  return rows.map((row) => row.detail);
}

/**
 * `npm run bench -- insights [--members 100000]`: the segments benchmark's program (members and ten
 * orders each over two years) with points on every order and the expiry job run, an experiment over
 * the last 60 days; then each report timed through its service (median of 5 after a warm-up) with
 * the plans of its queries.
 */
export async function insightsBenchmark(options: { members: number }) {
  const { db, client, deps } = await openBenchDatabase('insights');
  const loadAtStart = load();
  console.log(`load average ${loadAtStart.join(' ')} (1, 5, 15 min) on ${availableParallelism()} cores`);
  const services = createServices(deps);
  const now = Date.now();
  const seedStarted = performance.now();
  const seeded = await seedProgram(db, options.members, now);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  console.log(`seeded ${seeded.memberCount} members, ${seeded.orderCount} orders in ${seedSeconds.toFixed(0)} s`);
  const to = new Date(now);
  const from = new Date(now - 365 * DAY_MS);
  const experiment = await services.experiments.create(PROGRAM, {
    name: 'Bench pilot',
    holdoutBasisPoints: 2000,
    startsAt: new Date(now - 60 * DAY_MS),
    endsAt: new Date(now - DAY_MS),
    segmentId: null,
  });

  const retention = await timed(() =>
    services.insights.retention(PROGRAM, { from, to, activityWindowDays: 365, segmentId: null, tierId: null }),
  );
  const cohorts = await timed(() => services.insights.cohorts(PROGRAM, { months: 24, to, segmentId: null, tierId: null }));
  const report = await timed(() => services.insights.experimentReport(PROGRAM, experiment.id));
  const earnStarted = performance.now();
  await earnPointsOnEveryOrder(db, now);
  const expiry = await runJobNow(deps, expirePoints, { now: new Date(now), trigger: 'manual', programId: PROGRAM, budgetMs: 3_600_000 });
  if (expiry.error) throw new Error(String(expiry.error));
  console.log(`points earned on every order and expired up to now in ${((performance.now() - earnStarted) / 1000).toFixed(0)} s`);
  const liability = await timed(() => services.insights.liability(PROGRAM));
  const earnCohorts = await timed(() => services.insights.earnCohorts(PROGRAM, new Date(now), 24));
  const series = await timed(() => services.insights.purchaseSeries(PROGRAM, { from, to, period: 'month', segmentId: null, tierId: null }));
  const partnerFunding = await timed(() => services.insights.partnerFunding(PROGRAM, 'EUR'));
  // What `liability { … earnCohorts(months: 24) partnerFunding { … } }` asks: the report, then its two fields side by side.
  const fullLiability = await timed(async () => {
    const report = await services.insights.liability(PROGRAM);
    return Promise.all([
      services.insights.earnCohorts(PROGRAM, report.asOf, 24),
      services.insights.partnerFunding(PROGRAM, report.currency),
    ]);
  }, 'liability with earnCohorts and partnerFunding');

  const scope: CountedOrdersScope = { programId: PROGRAM, members: null };
  const window = 365 * DAY_MS;
  const lastMonth = monthIndex(new Date(now - 1));
  const spans = periodSpans(from, to, 'month');
  const length = experiment.endsAt.getTime() - experiment.startsAt.getTime();
  const start = experiment.startsAt.getTime();
  const plans = {
    retention: await plan(
      db,
      customersInWindows(
        scope,
        { after: from.getTime() - window, upTo: from.getTime() },
        { after: to.getTime() - window, upTo: to.getTime() },
      ),
    ),
    cohorts: await plan(db, monthlyCohortsQuery(scope, lastMonth - 23, lastMonth)),
    experimentReport: await plan(
      db,
      populationWindowsQuery(
        scope,
        { earlier: start - 2 * length, before: start - length, during: start, end: start + length },
        experimentPopulation(scope, experiment.endsAt),
      ),
    ),
    liabilityByExpiry: await plan(db, openPointsByExpiryMonthQuery(PROGRAM, monthRanges(lastMonth, lastMonth + 12))),
    earnCohorts: await plan(db, earnMonthsQuery(PROGRAM, lastMonth - 23, lastMonth)),
    liabilityTotals: await plan(db, programTotalsQuery(PROGRAM, 'EUR')),
    purchaseSeries: await plan(
      db,
      periodTotalsQuery(scope, from.getTime(), to.getTime(), rangeNumber(spans.map((span) => span.end.getTime()))),
    ),
    partnerFunding: await plan(db, discountsGivenQuery(PROGRAM, 'EUR')),
  };
  for (const [name, steps] of Object.entries(plans)) console.log(`EXPLAIN QUERY PLAN ${name}:\n  ${steps.join('\n  ')}`);

  const results = {
    members: seeded.memberCount,
    orders: seeded.orderCount,
    seedSeconds: +seedSeconds.toFixed(0),
    medianMs: {
      retentionYear: retention.ms,
      cohorts24Months: cohorts.ms,
      experimentReport: report.ms,
      liability: liability.ms,
      liabilityEarnCohorts24Months: earnCohorts.ms,
      purchaseSeriesYearByMonth: series.ms,
      partnerFunding: partnerFunding.ms,
      liabilityWithEarnCohortsAndPartnerFunding: fullLiability.ms,
    },
    medianCpuMs: {
      retentionYear: retention.cpuMs,
      cohorts24Months: cohorts.cpuMs,
      experimentReport: report.cpuMs,
      liability: liability.cpuMs,
      liabilityEarnCohorts24Months: earnCohorts.cpuMs,
      purchaseSeriesYearByMonth: series.cpuMs,
      partnerFunding: partnerFunding.cpuMs,
      liabilityWithEarnCohortsAndPartnerFunding: fullLiability.cpuMs,
    },
    loadAverage: { start: loadAtStart, end: load() },
    limitsMs: {
      retentionYear: 500,
      cohorts24Months: 1000,
      experimentReport: 1000,
      liability: 200,
      liabilityWithEarnCohortsAndPartnerFunding: 200,
    },
    sample: {
      retention: {
        S: retention.result.customersAtStart,
        E: retention.result.customersAtEnd,
        N: retention.result.newCustomers,
        rate: retention.result.rate,
      },
      cohorts: cohorts.result.cohorts.length,
      experimentMembers: { treatment: report.result.treatment.during.members, control: report.result.control.during.members },
      liability: {
        outstandingPoints: liability.result.outstandingPoints,
        expiryMonths: liability.result.byExpiryMonth.length,
        firstCohort: monthLabel(lastMonth - 23),
      },
    },
    plans,
  };
  console.log(JSON.stringify({ ...results, plans: undefined }, null, 2));
  console.log(`written to ${writeResults('insights', results)}`);
  client.close();
}
