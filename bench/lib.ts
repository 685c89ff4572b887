import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { signToken } from '../src/platform/auth/sign';

export const BENCH_SECRET = 'bench-secret-that-is-at-least-32-characters';
export const BENCH_PROGRAM = 'bench';

export interface Server {
  url: string;
  /** The server's process: its CPU time is read from /proc while it is loaded. */
  pid?: number;
  stop(): void;
}

/** CPU time (user + system, all threads) a process has used so far, in ms; undefined where /proc is not there. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks of 10 ms.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** The machine's 1-minute load average, to read next to every figure (the machine may be shared). */
export const loadAverage = () => Number(loadavg()[0]!.toFixed(2));

export interface ProcessOptions {
  /** Node's own flags (`--cpu-prof` …). */
  nodeArgs?: string[];
  /** Where the entry point is taken from: another checkout of the project (`--before`), else this one. */
  cwd?: string;
}

/**
 * The checkout whose app a bench also runs as "before" (`npm run bench -- ledger --before <dir>`:
 * e.g. `git archive main | tar -x -C <dir>` with a link to this node_modules), side by side with this
 * one in the same run; undefined without the flag.
 */
export const beforeCheckout = (): string | undefined => process.env.BENCH_BEFORE_DIR || undefined;

/** Starts a TypeScript entry point in its own Node process and waits until it listens. */
export async function startServer(
  entry: string,
  env: Record<string, string>,
  ready: RegExp,
  { nodeArgs = [], cwd }: ProcessOptions = {},
): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${entry} exited with ${code}:\n${output}`)));
  });
  return { url: `http://127.0.0.1:${env.PORT}`, pid: child.pid, stop: () => child.kill('SIGTERM') };
}

/** The load is the point of a bench: rate limits far above what it sends (production defaults would throttle it). */
export const UNTHROTTLED = Object.fromEntries(
  ['ANONYMOUS', 'MEMBER', 'PARTNER', 'ADMIN', 'STOREFRONT', 'EXPENSIVE'].map((bucket) => [`RATE_LIMIT_${bucket}_PER_MINUTE`, '10000000']),
);

/** `npm start` in production mode on its own database file, with the bench program as its default program. */
export function startApp(
  port: number,
  databaseFile: string,
  env: Record<string, string> = {},
  options: ProcessOptions = {},
): Promise<Server> {
  return startServer(
    'src/node.ts',
    {
      PORT: String(port),
      LIBSQL_URL: `file:${databaseFile}`,
      JWT_SECRET: BENCH_SECRET,
      FINGERPRINT_SECRET: BENCH_SECRET,
      DEFAULT_PROGRAM_ID: BENCH_PROGRAM,
      NODE_ENV: 'production',
      // No cron job or webhook dispatcher in a timed window: the bare route's server runs none either.
      SCHEDULED_JOBS: 'false',
      ...UNTHROTTLED,
      ...env,
    },
    /\/graphql/,
    options,
  );
}

/** Authorization headers of a storefront and an admin of the bench program. */
export async function benchTokens() {
  const bearer = async (role: 'admin' | 'storefront') => ({
    authorization: `Bearer ${await signToken(BENCH_SECRET, { role, programId: BENCH_PROGRAM, subject: 'bench' })}`,
  });
  return { storefront: await bearer('storefront'), admin: await bearer('admin') };
}

export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'edge-loyalty-bench-'));
}

export interface LoadResult {
  requestsPerSecond: number;
  latencyP50: number;
  latencyP99: number;
  requests: number;
  /** Requests sent, the ones still in flight at the window's end included (the server answers them too). */
  sent: number;
  errors: number;
  non2xx: number;
  /** 2xx responses that `check` refused (e.g. a GraphQL error union member); the first one is kept. */
  unexpected: number;
  firstUnexpected?: string;
  /**
   * The serving process's own CPU time per request sent (ms), from /proc (the figure a shared
   * machine distorts least); undefined where the process is unknown or /proc is not there.
   */
  cpuMsPerRequest?: number;
  /** The serving process's CPU time in the window (ms). */
  cpuMs?: number;
  /** The machine's 1-minute load average when the measurement ended. */
  loadAverage: number;
}

/**
 * Loopback load with autocannon: each request's body comes from `body(index)`. With `check`, every
 * response body is read and the ones it refuses are counted as `unexpected` (GraphQL answers 200).
 */
export async function load(options: {
  url: string;
  seconds: number;
  connections: number;
  headers?: Record<string, string>;
  body: (index: number) => unknown;
  check?: (body: string) => boolean;
}): Promise<LoadResult> {
  let index = 0;
  let unexpected = 0;
  let firstUnexpected: string | undefined;
  const { check } = options;
  const onResponse = check
    ? (status: number, body: string) => {
        if (status < 200 || status >= 300 || check(body)) return;
        unexpected++;
        firstUnexpected ??= body.slice(0, 500);
      }
    : undefined;
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    duration: options.seconds,
    connections: options.connections,
    headers: { 'content-type': 'application/json', ...options.headers },
    requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(options.body(index++)) }), onResponse }],
  });
  return {
    loadAverage: loadAverage(),
    requestsPerSecond: result.requests.average,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    requests: result.requests.total,
    sent: result.requests.sent,
    errors: result.errors,
    non2xx: result.non2xx,
    unexpected,
    ...(firstUnexpected === undefined ? {} : { firstUnexpected }),
  };
}

/** One thing to load: `body(run)` gives the request bodies of one run (a run's ids never repeat another's). */
export interface Target {
  url: string;
  /** The process serving `url`, whose CPU time is measured. */
  server?: Server;
  headers?: Record<string, string>;
  body: (run: string) => (index: number) => unknown;
  check?: (body: string) => boolean;
}

export interface MeasureOptions {
  /** Seconds each target is loaded in all, split into `rounds` windows of equal length. */
  seconds: number;
  connections: number;
  /** How many windows each target gets, interleaved with the others' (default: windows of about 3 s, at least 3). */
  rounds?: number;
}

/** Each path over all rounds, and each round's results: a ratio is taken per round (`ratio`). */
export interface Measured {
  /** Over all rounds: requests and CPU summed (req/s and CPU per request of the total), p50/p99 the rounds' medians. */
  paths: Record<string, LoadResult>;
  rounds: Array<Record<string, LoadResult>>;
}

/** The rounds a `--seconds` total is split into when `--rounds` is not given: windows of about 3 s, at least 3. */
export const roundsFor = (seconds: number) => Math.max(3, Math.round(seconds / 3));

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * Warms every target for 2 s, then loads them in interleaved rounds (A B C, C B A, A B C …), each for
 * `seconds / rounds`: drift of the machine's load hits every target alike, and a ratio taken per
 * round compares windows seconds apart. A target's CPU time is its own server process's (from
 * /proc, not the load generator's), per request sent in the window (the servers finish the
 * requests still in flight before it is read).
 */
export async function measure(scenario: string, targets: Record<string, Target>, options: MeasureOptions): Promise<Measured> {
  const rounds = options.rounds ?? roundsFor(options.seconds);
  const window = options.seconds / rounds;
  const run = (target: Target, name: string, phase: string, seconds: number) =>
    load({
      url: target.url,
      headers: target.headers,
      check: target.check,
      seconds,
      connections: options.connections,
      body: target.body(`${scenario}-${name}-${phase}`),
    });
  // autocannon stops at its deadline without waiting for the requests still in flight: let the
  // servers finish them, so that what runs next (another path, a CPU reading, the audit) sees no half-done load.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 500));
  for (const [name, target] of Object.entries(targets)) await run(target, name, 'warm', 2);
  await settle();
  const names = Object.keys(targets);
  const results: Array<Record<string, LoadResult>> = [];
  for (let round = 0; round < rounds; round++) {
    const inRound: Record<string, LoadResult> = {};
    for (const name of round % 2 ? [...names].reverse() : names) {
      const target = targets[name]!;
      const before = processCpuMs(target.server?.pid);
      const result = await run(target, name, `run${round}`, window);
      await settle();
      const after = processCpuMs(target.server?.pid);
      inRound[name] = {
        ...result,
        ...(before !== undefined && after !== undefined && result.sent > 0
          ? { cpuMs: after - before, cpuMsPerRequest: (after - before) / result.sent }
          : {}),
      };
    }
    results.push(inRound);
  }
  const paths = Object.fromEntries(
    names.map((name) => {
      const each = results.map((round) => round[name]!);
      const sum = (field: 'requests' | 'sent' | 'errors' | 'non2xx' | 'unexpected') =>
        each.reduce((total, result) => total + result[field], 0);
      const cpuMs = each.every((result) => result.cpuMs !== undefined)
        ? each.reduce((total, result) => total + result.cpuMs!, 0)
        : undefined;
      const firstUnexpected = each.find((result) => result.firstUnexpected)?.firstUnexpected;
      const total: LoadResult = {
        requestsPerSecond: sum('requests') / options.seconds,
        latencyP50: median(each.map((result) => result.latencyP50)),
        latencyP99: median(each.map((result) => result.latencyP99)),
        requests: sum('requests'),
        sent: sum('sent'),
        errors: sum('errors'),
        non2xx: sum('non2xx'),
        unexpected: sum('unexpected'),
        ...(firstUnexpected === undefined ? {} : { firstUnexpected }),
        ...(cpuMs === undefined ? {} : { cpuMs, cpuMsPerRequest: cpuMs / sum('sent') }),
        loadAverage: median(each.map((result) => result.loadAverage)),
      };
      return [name, total];
    }),
  );
  return { paths, rounds: results };
}

/** A ratio of two paths taken in each round: its median, its range and every round's value. */
export interface Ratio {
  median: number;
  min: number;
  max: number;
  rounds: number[];
}

function ratioOf(values: number[]): Ratio {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), rounds: values };
}

/**
 * `of` as a share of `to`, round by round: by throughput (req/s of `of` ÷ req/s of `to`), and by CPU
 * time per request, inverted so that it reads like a throughput ratio (80 %: `of` spends 1.25 times
 * the CPU `to` spends on a request; NaN without CPU figures). Named `<of>/<to>` and `<of>/<to> by CPU`.
 */
export function ratios(measured: Measured, of: string, to: string, { byCpu = true } = {}): Record<string, Ratio> {
  const each = (value: (round: Record<string, LoadResult>) => number) => ratioOf(measured.rounds.map(value));
  return {
    [`${of}/${to}`]: each((round) => round[of]!.requestsPerSecond / round[to]!.requestsPerSecond),
    ...(byCpu
      ? {
          [`${of}/${to}${CPU_RATIO}`]: each(
            (round) => (round[to]!.cpuMsPerRequest ?? Number.NaN) / (round[of]!.cpuMsPerRequest ?? Number.NaN),
          ),
        }
      : {}),
  };
}

/** The suffix of a ratio made of CPU time per request rather than throughput. */
export const CPU_RATIO = ' by CPU';

const percent = (value: number) => `${(value * 100).toFixed(0)} %`;

/**
 * Prints each scenario's paths (req/s, p50, p99, failed requests, the server's CPU per request, the
 * load) and its ratios: the median of the rounds' ratios with their range.
 */
export function printResults(scenarios: Record<string, { paths: Record<string, LoadResult>; ratios: Record<string, Ratio> }>) {
  const width = Math.max(14, ...Object.keys(scenarios).map((name) => name.length + 1));
  const pathWidth = Math.max(
    9,
    ...Object.values(scenarios).flatMap(({ paths, ratios }) =>
      [...Object.keys(paths), ...Object.keys(ratios)].map((path) => path.length + 1),
    ),
  );
  console.log(`\n${'scenario'.padEnd(width)} ${'path'.padEnd(pathWidth)}  req/s  p50 ms  p99 ms  failed  CPU ms/req  load`);
  for (const [name, { paths, ratios }] of Object.entries(scenarios)) {
    for (const [path, result] of Object.entries(paths)) {
      const failed = result.errors + result.non2xx + result.unexpected;
      console.log(
        `${name.padEnd(width)} ${path.padEnd(pathWidth)} ${result.requestsPerSecond.toFixed(0).padStart(6)}  ${String(result.latencyP50).padStart(6)}  ${String(result.latencyP99).padStart(6)}  ${String(failed).padStart(6)}  ${(result.cpuMsPerRequest?.toFixed(2) ?? '–').padStart(10)}  ${result.loadAverage.toFixed(1).padStart(4)}`,
      );
      if (result.firstUnexpected) console.log(`  first unexpected response: ${result.firstUnexpected}`);
    }
    for (const [ratio, { median, min, max, rounds }] of Object.entries(ratios))
      console.log(
        `${name.padEnd(width)} ${ratio.padEnd(pathWidth)} ${percent(median).padStart(6)} median of ${rounds.length} rounds (${percent(min)}–${percent(max)}), ${ratio.endsWith(CPU_RATIO) ? 'CPU time per request, inverted' : 'throughput'}`,
      );
  }
}

/** `uptime`'s load averages (1, 5 and 15 minutes), to print with a bench's figures. */
export const loadAverages = () => loadavg().map((value) => Number(value.toFixed(2)));

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return response.json();
}

/** A GraphQL request that must succeed: returns `data`, throws on `errors`. */
export async function graphql(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<any> {
  const response = await post(`${url}/graphql`, { query, variables }, headers);
  if (response.errors) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(response.errors)}`);
  return response.data;
}

/** Enrolls `count` members through GraphQL, 50 at a time; returns their global ids in order. */
export async function enrollMembers(
  url: string,
  headers: Record<string, string>,
  count: number,
  profile: (n: number) => Record<string, unknown> = (n) => ({ email: `m${n}@bench.test` }),
): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; offset < count; offset += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, count - offset) }, (_, index) =>
        graphql(
          url,
          'mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { __typename ... on MemberPayload { member { id } } ... on Error { message } } }',
          { input: profile(offset + index) },
          headers,
        ),
      ),
    );
    for (const { enrollMember } of batch) {
      if (enrollMember.__typename !== 'MemberPayload') throw new Error(`enrollMember: ${JSON.stringify(enrollMember)}`);
      ids.push(enrollMember.member.id as string);
    }
  }
  return ids;
}

/** Whether `ledgerAudit` finds every ledger invariant holding, with the violated invariants if not. */
export async function ledgerAudit(url: string, admin: Record<string, string>): Promise<{ sound: boolean; violations: string[] }> {
  const { ledgerAudit } = await graphql(url, '{ ledgerAudit { sound violations { invariant } } }', {}, admin);
  return { sound: ledgerAudit.sound, violations: ledgerAudit.violations.map((violation: { invariant: string }) => violation.invariant) };
}

export function writeResults(name: string, results: unknown): string {
  mkdirSync('bench/results', { recursive: true });
  const file = join('bench/results', `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
