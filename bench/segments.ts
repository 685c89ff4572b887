import { existsSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { members } from '../schema';
import { commandRegistry } from '../src/commands';
import { loadConfig } from '../src/config';
import { createProgramsService } from '../src/modules/programs/service';
import { createServices } from '../src/services';
import { systemClock } from '../src/platform/clock';
import { openNodeDatabase } from '../src/platform/node/database';
import { createInProcessSerializer } from '../src/platform/node/in-process-serializer';
import { freshDataDir, writeResults } from './lib';

export const PROGRAM = 'bench';
const DAY_MS = 86_400_000;
const CALL = 1000;
const SKUS = Array.from({ length: 200 }, (_, index) => `SKU-${index}`);
const CATEGORIES = ['tea', 'coffee', 'kitchen', 'gifts', 'snacks', 'books', 'cups', 'beans'];

let samples: number[] = [];
let walSamples: number[] = [];
/** The WAL of the benchmark's database, whose size is sampled with memory. */
let walFile: string | undefined;
const fileMb = (file: string) => (existsSync(file) ? statSync(file).size / 1e6 : 0);
/**
 * Records resident memory and the WAL's size now (the embedded database answers on the event loop,
 * so timers alone would miss the busy stretches; after a call is when the WAL is largest).
 */
const sample = () => {
  samples.push(process.memoryUsage().rss / 1e6);
  if (walFile) walSamples.push(fileMb(walFile));
};

/** The 1-, 5- and 15-minute load averages: on a shared machine, wall times mean little without them. */
const load = () => loadavg().map((value) => +value.toFixed(2));

/**
 * Runs `work` (`rows` rows of it) and reports its wall time, rows/s, the process's CPU time (user +
 * system, which survives a busy machine where wall time does not) in seconds and µs per row, the
 * load average before and after, and resident memory in MB (RSS), sampled every 250 ms and after
 * each call: flat means no row set is held.
 */
async function sampled<T>(rows: number, work: () => Promise<T>) {
  samples = [];
  walSamples = [];
  sample();
  const timer = setInterval(sample, 250);
  const loadAtStart = load();
  const cpuAtStart = process.cpuUsage();
  const started = performance.now();
  try {
    const result = await work();
    sample();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuAtStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    return {
      result,
      figures: {
        seconds: +seconds.toFixed(2),
        ...(rows > 0 ? { rowsPerSecond: Math.round(rows / seconds) } : {}),
        cpuSeconds: +cpuSeconds.toFixed(2),
        cpuUserSeconds: +(cpu.user / 1e6).toFixed(2),
        cpuSystemSeconds: +(cpu.system / 1e6).toFixed(2),
        ...(rows > 0 ? { cpuMicrosecondsPerRow: Math.round((cpuSeconds * 1e6) / rows) } : {}),
        loadAverage: { start: loadAtStart, end: load() },
        rssMb: { min: Math.round(Math.min(...samples)), max: Math.round(Math.max(...samples)) },
        // The WAL file's largest size: it keeps its high-water mark, written over from the start once copied back.
        ...(walFile ? { walFileMb: { max: Math.round(Math.max(...walSamples)) } } : {}),
      },
    };
  } finally {
    clearInterval(timer);
  }
}

/** A fresh embedded database for a benchmark, migrated, with the app's deps over it. */
export async function openBenchDatabase(name: string) {
  const file = join(freshDataDir(), `${name}.db`);
  walFile = `${file}-wal`;
  const config = loadConfig(
    { JWT_SECRET: 'bench-secret-that-is-at-least-32-characters', ENVIRONMENT: 'test', LIBSQL_URL: `file:${file}` },
    'node',
  );
  const { db, client } = await openNodeDatabase({ ...config.libsql, walCheckpointer: true });
  const clock = systemClock;
  const deps = {
    db,
    clock,
    fingerprints: config.fingerprints,
    serializer: createInProcessSerializer(commandRegistry, { db, clock, fingerprints: config.fingerprints }),
  };
  return { db, client, deps };
}

/** The two years the benchmark's orders span, from 731 days ago to a day ago. */
const SPAN_DAYS = 730;

/**
 * When order n of `orderCount` was placed. By date (the default), as a shop's export lists its
 * orders and `npm run import` receives them: placed times increase with n, evenly over the two
 * years. Shuffled: on a whole day at random over the same two years (order n, 1 + (n × 104,729 mod
 * 730) days ago), so that each call's orders land all over the date-keyed indexes.
 */
function placedAt(n: number, orderCount: number, now: number, shuffled: boolean) {
  if (shuffled) return new Date(now - (1 + ((n * 104_729) % SPAN_DAYS)) * DAY_MS);
  return new Date(Math.round(now - (SPAN_DAYS + 1) * DAY_MS + ((n + 0.5) * SPAN_DAYS * DAY_MS) / orderCount));
}

/**
 * The program the segments benchmark runs on: `memberCount` members, then ten orders each on
 * average over the last two years (in date order unless `shuffled`), imported through the import
 * service (1,000 rows a call, as `npm run import` sends them).
 */
export async function seedBenchProgram({ members: memberCount, shuffled = false }: { members: number; shuffled?: boolean }, name: string) {
  const orderCount = memberCount * 10;
  const { db, client, deps } = await openBenchDatabase(name);
  await createProgramsService(deps).ensure({ id: PROGRAM, name: 'Bench' });
  const services = createServices(deps);
  const now = Date.now();
  const memberImport = await sampled(memberCount, async () => {
    for (let offset = 0; offset < memberCount; offset += CALL) {
      const rows = Array.from({ length: Math.min(CALL, memberCount - offset) }, (_, index) => {
        const n = offset + index;
        return {
          externalId: `C-${n}`,
          email: `c${n}@bench.test`,
          birthday: `19${50 + (n % 50)}-${String(1 + (n % 12)).padStart(2, '0')}-15`,
          consents: { email: n % 3 === 0 },
          tags: n % 5 === 0 ? ['vip'] : ['regular'],
          attributes: { store: n % 2 ? 'Lyon' : 'Paris' },
        };
      });
      const result = await services.imports.importMembers(PROGRAM, rows);
      if (result.rejected.length) throw new Error(JSON.stringify(result.rejected[0]));
      sample();
    }
  });
  // The same members again with a name each: updates of existing members, 1,000 a call.
  const memberUpdate = await sampled(memberCount, async () => {
    for (let offset = 0; offset < memberCount; offset += CALL) {
      const rows = Array.from({ length: Math.min(CALL, memberCount - offset) }, (_, index) => ({
        externalId: `C-${offset + index}`,
        name: `Customer ${offset + index}`,
      }));
      const result = await services.imports.importMembers(PROGRAM, rows);
      if (result.rejected.length || result.updated !== rows.length) throw new Error(JSON.stringify(result));
      sample();
    }
  });
  // How the cost of a call grows with the database: wall and CPU time of each tenth of the orders.
  const orderTenths: Array<{ ordersBefore: number; rowsPerSecond: number; cpuMicrosecondsPerRow: number }> = [];
  const tenth = Math.max(CALL, Math.ceil(orderCount / 10 / CALL) * CALL);
  let tenthStarted = { at: performance.now(), cpu: process.cpuUsage(), offset: 0 };
  const closeTenth = (offset: number) => {
    const cpu = process.cpuUsage(tenthStarted.cpu);
    const rows = offset - tenthStarted.offset;
    orderTenths.push({
      ordersBefore: tenthStarted.offset,
      rowsPerSecond: Math.round(rows / ((performance.now() - tenthStarted.at) / 1000)),
      cpuMicrosecondsPerRow: Math.round((cpu.user + cpu.system) / rows),
    });
    tenthStarted = { at: performance.now(), cpu: process.cpuUsage(), offset };
  };
  const orderImport = await sampled(orderCount, async () => {
    for (let offset = 0; offset < orderCount; offset += CALL) {
      if (offset > 0 && offset % tenth === 0) closeTenth(offset);
      const rows = Array.from({ length: Math.min(CALL, orderCount - offset) }, (_, index) => {
        const n = offset + index;
        const member = (n * 7919) % memberCount;
        return {
          memberExternalId: `C-${member}`,
          orderId: `O-${n}`,
          placedAt: placedAt(n, orderCount, now, shuffled),
          currency: 'EUR',
          lines: [
            { sku: SKUS[n % SKUS.length], category: CATEGORIES[n % CATEGORIES.length], quantity: 1 + (n % 3), unitPrice: 500 + (n % 5000) },
            { sku: SKUS[(n * 31) % SKUS.length], category: CATEGORIES[(n * 3) % CATEGORIES.length], quantity: 1, unitPrice: 900 },
          ],
        };
      });
      const result = await services.imports.importOrders(PROGRAM, rows, { earnPoints: false });
      if (result.rejected.length) throw new Error(JSON.stringify(result.rejected[0]));
      sample();
    }
  });

  closeTenth(orderCount);
  return { db, client, deps, services, now, memberCount, orderCount, memberImport, memberUpdate, orderImport, orderTenths };
}

/**
 * `npm run bench -- segments [--members 100000] [--shuffled]`: the seeded program (orders in date
 * order, or at random dates with `--shuffled`), then a segment of five conditions is refreshed over
 * every member, its count read, and member stats read.
 */
export async function segmentsBenchmark(options: { members: number; shuffled?: boolean }) {
  const { db, client, services, memberCount, orderCount, memberImport, memberUpdate, orderImport, orderTenths } = await seedBenchProgram(
    options,
    'segments',
  );

  const definition = {
    all: [
      { bought: { category: 'tea', atLeast: 2, withinDays: 365 } },
      { daysSinceLastOrder: { min: 30 } },
      { spend: { min: 20_000 } },
      { tags: { any: ['vip', 'regular'] } },
      { not: { consent: 'sms' } },
    ],
  };
  const refresh = await sampled(0, () => services.segments.create(PROGRAM, { name: 'Lapsed tea drinkers', definition }));
  const countTimes: number[] = [];
  for (let index = 0; index < 20; index++) {
    const started = performance.now();
    await services.segments.get(PROGRAM, refresh.result.id);
    countTimes.push(performance.now() - started);
  }
  const ids = (await db.select({ id: members.id }).from(members).limit(1000)).map((row) => row.id);
  const statsStarted = performance.now();
  for (const id of ids) await services.history.stats(PROGRAM, [id]);
  const statsMs = (performance.now() - statsStarted) / ids.length;

  const results = {
    members: memberCount,
    orders: orderCount,
    orderDates: options.shuffled ? 'shuffled' : 'by date',
    memberImport: memberImport.figures,
    memberUpdate: memberUpdate.figures,
    orderImport: { ...orderImport.figures, byTenth: orderTenths },
    refresh: { ...refresh.figures, conditions: 5, matched: refresh.result.memberCount },
    segmentCountMs: { median: +countTimes.sort((a, b) => a - b)[10]!.toFixed(2) },
    memberStatsReadMs: +statsMs.toFixed(3),
  };
  console.log(JSON.stringify(results, null, 2));
  console.log(`written to ${writeResults('segments', results)}`);
  client.close();
}
