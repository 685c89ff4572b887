import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { signToken } from '../src/platform/auth/sign';

export const BENCH_SECRET = 'bench-secret-that-is-at-least-32-characters';
export const BENCH_PROGRAM = 'bench';

export interface Server {
  url: string;
  stop(): void;
}

/** Starts a TypeScript entry point in its own Node process and waits until it listens. */
export async function startServer(entry: string, env: Record<string, string>, ready: RegExp): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', entry], {
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
  return { url: `http://127.0.0.1:${env.PORT}`, stop: () => child.kill('SIGTERM') };
}

/** The load is the point of a bench: rate limits far above what it sends (production defaults would throttle it). */
export const UNTHROTTLED = Object.fromEntries(
  ['ANONYMOUS', 'MEMBER', 'PARTNER', 'ADMIN', 'STOREFRONT', 'EXPENSIVE'].map((bucket) => [`RATE_LIMIT_${bucket}_PER_MINUTE`, '10000000']),
);

/** `npm start` in production mode on its own database file, with the bench program as its default program. */
export function startApp(port: number, databaseFile: string, env: Record<string, string> = {}): Promise<Server> {
  return startServer(
    'src/node.ts',
    {
      PORT: String(port),
      LIBSQL_URL: `file:${databaseFile}`,
      JWT_SECRET: BENCH_SECRET,
      FINGERPRINT_SECRET: BENCH_SECRET,
      DEFAULT_PROGRAM_ID: BENCH_PROGRAM,
      NODE_ENV: 'production',
      ...UNTHROTTLED,
      ...env,
    },
    /\/graphql/,
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
  errors: number;
  non2xx: number;
  /** 2xx responses that `check` refused (e.g. a GraphQL error union member); the first one is kept. */
  unexpected: number;
  firstUnexpected?: string;
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
    requestsPerSecond: result.requests.average,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
    unexpected,
    ...(firstUnexpected === undefined ? {} : { firstUnexpected }),
  };
}

/** One thing to load: `body(run)` gives the request bodies of one run (a run's ids never repeat another's). */
export interface Target {
  url: string;
  headers?: Record<string, string>;
  body: (run: string) => (index: number) => unknown;
  check?: (body: string) => boolean;
}

/** Warms every target for 2 s, then measures each for `seconds`, one after another in the order given. */
export async function measure(
  scenario: string,
  targets: Record<string, Target>,
  { seconds, connections }: { seconds: number; connections: number },
): Promise<Record<string, LoadResult>> {
  const run = (target: Target, name: string, phase: 'warm' | 'run') =>
    load({
      url: target.url,
      headers: target.headers,
      check: target.check,
      seconds: phase === 'warm' ? 2 : seconds,
      connections,
      body: target.body(`${scenario}-${name}-${phase}`),
    });
  for (const [name, target] of Object.entries(targets)) await run(target, name, 'warm');
  const results: Record<string, LoadResult> = {};
  for (const [name, target] of Object.entries(targets)) results[name] = await run(target, name, 'run');
  // autocannon stops at its deadline without waiting for the requests still in flight: let the
  // servers finish them, so that what runs next (the ledger audit, another path) sees no half-done load.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  return results;
}

/** Prints each scenario's paths (req/s, p50, p99, failed requests) and its ratios of throughput. */
export function printResults(scenarios: Record<string, { paths: Record<string, LoadResult>; ratios: Record<string, number> }>) {
  const width = Math.max(14, ...Object.keys(scenarios).map((name) => name.length + 1));
  const pathWidth = Math.max(
    9,
    ...Object.values(scenarios).flatMap(({ paths, ratios }) =>
      [...Object.keys(paths), ...Object.keys(ratios)].map((path) => path.length + 1),
    ),
  );
  console.log(`\n${'scenario'.padEnd(width)} ${'path'.padEnd(pathWidth)}  req/s  p50 ms  p99 ms  failed`);
  for (const [name, { paths, ratios }] of Object.entries(scenarios)) {
    for (const [path, result] of Object.entries(paths)) {
      const failed = result.errors + result.non2xx + result.unexpected;
      console.log(
        `${name.padEnd(width)} ${path.padEnd(pathWidth)} ${result.requestsPerSecond.toFixed(0).padStart(6)}  ${String(result.latencyP50).padStart(6)}  ${String(result.latencyP99).padStart(6)}  ${failed}`,
      );
      if (result.firstUnexpected) console.log(`  first unexpected response: ${result.firstUnexpected}`);
    }
    for (const [ratio, value] of Object.entries(ratios))
      console.log(`${name.padEnd(width)} ${ratio.padEnd(pathWidth)} ${(value * 100).toFixed(0).padStart(5)}% throughput`);
  }
}

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
