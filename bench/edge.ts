import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../src/app';
import { commandRegistry } from '../src/commands';
import { loadConfig } from '../src/config';
import { createProgramsService } from '../src/modules/programs/service';
import { signToken } from '../src/platform/auth/sign';
import { systemClock } from '../src/platform/clock';
import { meterRoundTrips, type RoundTripMeter } from '../src/platform/db/round-trip-meter';
import { openNodeDatabase } from '../src/platform/node/database';
import { createInProcessSerializer } from '../src/platform/node/in-process-serializer';
import { nodeGraphQLPlugins } from '../src/platform/node/graphql-jit';
import { createMemoryRateLimiter } from '../src/platform/node/rate-limiter';
import { cartOf, MEMBERS, QUOTE, RECORD_ORDER, seedOffers, seedProgram } from './checkout';
import { BENCH_SECRET, freshDataDir, UNTHROTTLED, writeResults } from './lib';
import { workerStartup, type WorkerStartup } from './worker-startup';

const PROGRAMS = { offers: 'bench', plain: 'bench-plain' } as const;
const errorFields = `... on Error { code message }`;
const REDEEM = `mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { __typename ${errorFields} ... on PointsPayload { pointsBalance } } }`;
const TOP_UP = `mutation($input: WalletInput!) { topUpWallet(input: $input) { __typename ${errorFields} ... on WalletPayload { wallet { currency cash bonus total } } } }`;
const ENROLL = `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { __typename ${errorFields} ... on MemberPayload { member { id } } } }`;
/** What a member's account page shows: balances, tier, progress to the next tier and the offers they can use. */
const MEMBER_PAGE = `query($id: ID!) { member(id: $id) { __typename pointsBalance walletBalances { currency cash bonus total }
  tier { id name } tierProgress { metric value missing windowStart windowEnd currentTier { name } nextTier { name threshold } }
  availableOffers { offer { id name description } codes } } }`;
const AVAILABLE_OFFERS = `query($id: ID!) { member(id: $id) { __typename availableOffers { offer { id name description } codes } } }`;

interface Operation {
  /** The request body of request `index` of a run (ids of one run never repeat another's). */
  body: (run: string, index: number) => { query: string; variables: Record<string, unknown> };
  program: keyof typeof PROGRAMS;
  /** The `__typename` a successful answer carries. */
  expect: string;
  /** The app whose serializer keeps no member in memory (MEMBER_STATE_CACHE_SIZE=0). */
  withoutMemory?: boolean;
}

interface Latency {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
}

/**
 * `npm run bench -- edge [--delay 20] [--seconds 10]`: the app in this process, over an embedded
 * database behind a simulated network (every `execute` or `batch` first waits `--delay` ms, as a
 * round trip from a Worker to Turso does). Per operation: its round trips to the database, all of
 * them and the *sequential* ones (calls that overlap count once: what latency is made of), and its
 * latency at 1 and at 10 concurrent requests. Also the Worker script's size and start-up CPU time.
 */
export async function edgeBenchmark({ seconds, delayMs }: { seconds: number; delayMs: number }) {
  let delay = 0;
  let meter: RoundTripMeter | undefined;
  const { db, client } = await openNodeDatabase({
    url: `file:${join(freshDataDir(), 'edge.db')}`,
    wrapClient: (raw) => {
      const metered = meterRoundTrips(raw, { before: () => (delay > 0 ? sleep(delay) : new Promise((resolve) => setImmediate(resolve))) });
      meter = metered.meter;
      return metered.client;
    },
  });
  const clock = systemClock;
  const config = loadConfig(
    { JWT_SECRET: BENCH_SECRET, FINGERPRINT_SECRET: BENCH_SECRET, ENVIRONMENT: 'production', ...UNTHROTTLED },
    'node',
  );
  const { fingerprints } = config;
  // The serializer keeps members' hot state as `npm start` does; a second app over the same database
  // runs without that memory, for the side-by-side rows.
  const serializer = createInProcessSerializer(commandRegistry, { db, clock, fingerprints }, { hotStateSize: config.memberStateCacheSize });
  const deps = {
    db,
    clock,
    config,
    fingerprints,
    serializer,
    rateLimiter: createMemoryRateLimiter(config.rateLimits),
    clientAddress: () => '127.0.0.1',
    graphqlPlugins: nodeGraphQLPlugins(config),
  };
  const programs = createProgramsService(deps);
  await programs.ensure({ id: PROGRAMS.offers, name: 'Bench, 200 offers' });
  await programs.ensure({ id: PROGRAMS.plain, name: 'Bench, no offer' });
  const apps = {
    memory: createApp(deps),
    noMemory: createApp({ ...deps, serializer: createInProcessSerializer(commandRegistry, { db, clock, fingerprints }) }),
  };
  const app = apps.memory;
  const tokens = Object.fromEntries(
    await Promise.all(
      Object.entries(PROGRAMS).map(async ([name, programId]) => [
        name,
        {
          storefront: { authorization: `Bearer ${await signToken(BENCH_SECRET, { role: 'storefront', programId, subject: 'bench' })}` },
          admin: { authorization: `Bearer ${await signToken(BENCH_SECRET, { role: 'admin', programId, subject: 'bench' })}` },
        },
      ]),
    ),
  ) as Record<keyof typeof PROGRAMS, { storefront: Record<string, string>; admin: Record<string, string> }>;

  // Seeding goes through the same app over loopback, with no delay.
  const port = 18790;
  const server = serve({ fetch: app.fetch, port });
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const [offers, plain] = await Promise.all([seedProgram(url, tokens.offers.admin), seedProgram(url, tokens.plain.admin)]);
  await seedOffers(url, tokens.offers.admin, offers.tierIds);
  server.close();
  console.log(
    `seeded ${MEMBERS} members with an order each in two programs, and 200 offers in one, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const memberIds = { offers: offers.memberIds, plain: plain.memberIds };

  const order = (program: keyof typeof PROGRAMS): Operation => ({
    program,
    expect: 'RecordOrderPayload',
    body: (run, index) => {
      const { member, ...cart } = cartOf(index);
      return {
        query: RECORD_ORDER,
        variables: {
          input: { ...cart, memberId: memberIds[program][member], orderId: `${run}-${index}`, idempotencyKey: `${run}-${index}` },
        },
      };
    },
  });
  const member = (index: number) => memberIds.offers[(index * 7919) % MEMBERS]!;
  const redeemFor = (memberAt: (index: number) => string): Operation => ({
    program: 'offers',
    expect: 'PointsPayload',
    body: (run, index) => ({
      query: REDEEM,
      variables: { input: { memberId: memberAt(index), points: 1, idempotencyKey: `${run}-${index}` } },
    }),
  });
  const topUpFor = (memberAt: (index: number) => string): Operation => ({
    program: 'offers',
    expect: 'WalletPayload',
    body: (run, index) => ({
      query: TOP_UP,
      variables: { input: { memberId: memberAt(index), currency: 'EUR', amount: 1000, idempotencyKey: `${run}-${index}` } },
    }),
  });
  /** Members 0–9 only (request i: member i mod 10), acting again and again; funded so that their redeems never run out. */
  const activeMember = (index: number) => member(index % 10);
  for (let index = 0; index < 10; index++) {
    const funded = await app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...tokens.offers.admin },
      body: JSON.stringify({
        query: `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { __typename } }`,
        variables: { input: { memberId: activeMember(index), points: 1_000_000, reason: 'bench', idempotencyKey: `fund-${index}` } },
      }),
    });
    if (!(await funded.text()).includes('PointsPayload')) throw new Error(`could not fund active member ${index}`);
  }
  const operations: Record<string, Operation> = {
    'recordOrder (no offer)': order('plain'),
    'recordOrder (200 offers)': order('offers'),
    'quote (200 offers)': {
      program: 'offers',
      expect: 'Quote',
      body: (_run, index) => {
        const { member: n, ...cart } = cartOf(index);
        return { query: QUOTE, variables: { cart: { ...cart, memberId: memberIds.offers[n] } } };
      },
    },
    redeemPoints: redeemFor(member),
    topUpWallet: topUpFor(member),
    // Ten members acting again and again: after its first command, the serializer keeps each in memory.
    ...Object.fromEntries(
      [false, true].flatMap((withoutMemory) => {
        const suffix = withoutMemory ? ', 10 members, memory off' : ', 10 members';
        return [
          [`redeemPoints${suffix}`, { ...redeemFor(activeMember), withoutMemory }],
          [`topUpWallet${suffix}`, { ...topUpFor(activeMember), withoutMemory }],
        ];
      }),
    ),
    enrollMember: {
      program: 'offers',
      expect: 'MemberPayload',
      body: (run, index) => ({ query: ENROLL, variables: { input: { email: `${run}-${index}@edge.test` } } }),
    },
    'member page': {
      program: 'offers',
      expect: 'Member',
      body: (_run, index) => ({ query: MEMBER_PAGE, variables: { id: member(index) } }),
    },
    availableOffers: {
      program: 'offers',
      expect: 'Member',
      body: (_run, index) => ({ query: AVAILABLE_OFFERS, variables: { id: member(index) } }),
    },
  };

  async function request(operation: Operation, run: string, index: number) {
    const response = await apps[operation.withoutMemory ? 'noMemory' : 'memory'].request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...tokens[operation.program].storefront },
      body: JSON.stringify(operation.body(run, index)),
    });
    const text = await response.text();
    if (!text.includes(`"__typename":"${operation.expect}"`)) throw new Error(`${run}: ${text.slice(0, 400)}`);
  }

  /** `connections` loops, each sending its next request when the last one answered, for `seconds`. */
  async function latency(operation: Operation, run: string, connections: number): Promise<Latency> {
    const times: number[] = [];
    let next = 0;
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < until) {
          const start = performance.now();
          await request(operation, run, next++);
          times.push(performance.now() - start);
        }
      }),
    );
    times.sort((a, b) => a - b);
    const at = (quantile: number) => Math.round(times[Math.min(times.length - 1, Math.floor(quantile * times.length))]! * 10) / 10;
    return { requests: times.length, requestsPerSecond: times.length / seconds, p50: at(0.5), p99: at(0.99) };
  }

  delay = delayMs;
  const results: Record<string, { roundTrips: number; sequential: number; c1: Latency; c10: Latency }> = {};
  console.log(`\nsimulated network: ${delayMs} ms per database round trip; ${seconds} s per operation and concurrency`);
  console.log(`${'operation'.padEnd(38)} round trips  sequential   c1 p50   c1 p99  c10 p50  c10 p99  c10 req/s`);
  for (const [name, operation] of Object.entries(operations)) {
    const run = `edge-${name.replace(/\W+/g, '-')}`;
    // Warm, then meter one request alone.
    for (let index = 0; index < 5; index++) await request(operation, `${run}-warm`, index);
    meter!.reset();
    await request(operation, `${run}-metered`, 0);
    const { count, sequential } = meter!;
    const c1 = await latency(operation, `${run}-c1`, 1);
    const c10 = await latency(operation, `${run}-c10`, 10);
    results[name] = { roundTrips: count, sequential, c1, c10 };
    console.log(
      `${name.padEnd(38)} ${String(count).padStart(11)}  ${String(sequential).padStart(10)}  ${c1.p50.toFixed(1).padStart(7)}  ${c1.p99.toFixed(1).padStart(7)}  ${c10.p50.toFixed(1).padStart(7)}  ${c10.p99.toFixed(1).padStart(7)}  ${c10.requestsPerSecond.toFixed(0).padStart(9)}`,
    );
  }
  delay = 0;
  client.close();

  const worker: WorkerStartup | { error: string } = await workerStartup().catch((error: unknown) => ({ error: String(error) }));
  if ('error' in worker) console.log(`worker script: could not measure (${worker.error})`);
  else
    console.log(
      `worker script: ${(worker.bytes / 1024).toFixed(0)} KiB, ${(worker.gzipBytes / 1024).toFixed(0)} KiB gzipped; start-up (module evaluation) ${worker.startupMs.toFixed(1)} ms CPU (median of ${worker.samples}; Workers allow 400 ms)`,
    );
  console.log(
    `results: ${writeResults('edge', { scenario: 'edge', at: new Date().toISOString(), delayMs, seconds, members: MEMBERS, results, worker })}`,
  );
}
