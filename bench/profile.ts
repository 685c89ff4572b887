import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { cartOf, MEMBERS, QUOTE, seedOffers, seedProgram } from './checkout';
import {
  beforeCheckout,
  benchTokens,
  freshDataDir,
  graphql,
  load,
  loadAverage,
  processCpuMs,
  startApp,
  startServer,
  writeResults,
  type Server,
} from './lib';

/** What a member's account page shows (the edge bench's member page). */
export const MEMBER_PAGE = `query($id: ID!) { member(id: $id) { __typename pointsBalance walletBalances { currency cash bonus total }
  tier { id name } tierProgress { metric value missing windowStart windowEnd currentTier { name } nextTier { name threshold } }
  availableOffers { offer { id name description } codes } } }`;
const REDEEM = `mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { __typename ... on PointsPayload { pointsBalance } } }`;

/** A V8 CPU profile, as `node --cpu-prof` writes it. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: a package, a directory of this project, Node itself, or V8's own buckets. */
function placeOf(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName || 'anonymous'}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  const inPackage = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (inPackage) return inPackage[1]!;
  const path = relative(process.cwd(), url.replace(/^file:\/\//, ''));
  return path.split('/').slice(0, -1).join('/') || path;
}

/**
 * Layers a sample is put in: the first frame from the leaf up that matches one decides (a drizzle
 * frame under a command counts as the database's). Percentages are of sampled time, which includes
 * time a native call blocked (an fsync): read them next to the CPU time per request.
 */
const layers: Array<[string, RegExp]> = [
  // libsql's functions are thin wrappers of its native statements: their self time is SQLite's.
  [
    'database: SQLite executing (native)',
    /^(run|all|get|iterate|prepare|raw|columns|next|exec) .*node_modules\/libsql\/index\.js$|^libsql_js/,
  ],
  ['database: driver (libsql client, drizzle building and mapping)', /libsql\/index\.js|@libsql\/client|drizzle-orm/],
  ['token verification (jose, WebCrypto)', /jose\/|^(verify|signVerify|hmacSignVerify) node:internal\/crypto|crypto\/mac/],
  ['offers and checkout (domain)', /src\/modules\/(offers|checkout)(?!\/schema)/],
  [
    'command: serializer, ledger, idempotency, outbox',
    /src\/platform\/(serializer|node\/in-process|outbox|db|ids)|src\/modules\/(ledger|members|rules|tiers)(?!\/schema)|canonicalize|uuid|lru-cache/,
  ],
  [
    'GraphQL execution: resolvers, Pothos plugins, graphql-jit, input validation',
    /@pothos|graphql-jit|graphql\/(execution|type|jsutils)|zod|src\/graphql|\/schema\/|dataloader|Resolver|__context/,
  ],
  [
    'yoga and envelop (request pipeline, parse and validation caches, result)',
    /graphql-yoga|@envelop|@graphql-tools|graphql\/(language|validation|utilities|error)|@escape\.tech/,
  ],
  [
    'HTTP: Node, Hono, fetch adapters, streams',
    /hono|@whatwg-node|undici|webstreams|node:internal\/(streams|stream_base)|node:_http|node:net|writev|src\/app\.ts|src\/api|rate-limiter/,
  ],
  ['garbage collection', /^\(garbage collector\)/],
];

function layerOf(stack: Array<CpuProfile['nodes'][number]['callFrame']>): string {
  for (const frame of stack) {
    const key = `${frame.functionName} ${frame.url || ':-1'}`;
    for (const [layer, pattern] of layers) if (pattern.test(key)) return layer;
  }
  return 'other (Node internals, timers, idle bookkeeping)';
}

export interface ProfileSummary {
  /** CPU samples in the window, in ms (idle excluded). */
  busyMs: number;
  /** Time by layer (`layers`), % of busy time, largest first. */
  byLayer: Array<[string, number]>;
  /** Self time by where the code lives, % of busy time, largest first. */
  selfByPlace: Array<[string, number]>;
  /** Self time by function, % of busy time, largest first. */
  selfByFunction: Array<[string, number]>;
  /** Time with the function anywhere on the stack, % of busy time, for the functions that matter most. */
  inclusive: Array<[string, number]>;
}

/**
 * Reads a profile's samples between `fromMs` and `toMs` after it started: self time by place and by
 * function, and inclusive time of this project's functions and of the packages' entry points.
 */
export function summarizeProfile(profile: CpuProfile, fromMs: number, toMs: number, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const selfFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const byLayer = new Map<string, number>();
  let at = 0;
  let busy = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index]! / 1000;
    at += delta;
    if (at < fromMs || at > toMs) return;
    const leaf = byId.get(id)!;
    if (leaf.callFrame.functionName === '(idle)') return;
    busy += delta;
    const place = placeOf(leaf.callFrame);
    self.set(place, (self.get(place) ?? 0) + delta);
    const name = `${leaf.callFrame.functionName || 'anonymous'} (${place})`;
    selfFunction.set(name, (selfFunction.get(name) ?? 0) + delta);
    const seen = new Set<string>();
    const stack: Array<CpuProfile['nodes'][number]['callFrame']> = [];
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const frame = byId.get(node)!.callFrame;
      stack.push(frame);
      const where = placeOf(frame);
      // Every place on the stack, and this project's functions by name.
      seen.add(`[${where}]`);
      if (where.startsWith('src') || where.startsWith('bench')) seen.add(`${frame.functionName || 'anonymous'} (${where})`);
    }
    for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + delta);
    const layer = layerOf(stack);
    byLayer.set(layer, (byLayer.get(layer) ?? 0) + delta);
  });
  const percent = (entries: Map<string, number>, count: number) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([key, ms]): [string, number] => [key, Math.round((ms / busy) * 1000) / 10]);
  return {
    busyMs: Math.round(busy),
    byLayer: percent(byLayer, layers.length + 1),
    selfByPlace: percent(self, top),
    selfByFunction: percent(selfFunction, top),
    inclusive: percent(inclusive, top * 2),
  };
}

interface Profiled {
  server: Server;
  spawnedAt: number;
  dir: string;
}

/** Starts a server under `node --cpu-prof`, writing its profile into its own directory when it exits. */
async function profiled(dir: string, start: (nodeArgs: string[]) => Promise<Server>): Promise<Profiled> {
  const spawnedAt = performance.now();
  return { server: await start(['--cpu-prof', `--cpu-prof-dir=${dir}`]), spawnedAt, dir };
}

/** The main thread's profile (`CPU.<date>.<time>.<pid>.<thread 0>.<n>.cpuprofile`), not the module loader's thread. */
const mainThreadProfile = (dir: string) => readdirSync(dir).find((name) => /\.\d+\.0\.\d+\.cpuprofile$/.test(name));

async function profileOf({ dir }: Profiled): Promise<CpuProfile> {
  for (let waited = 0; waited < 30_000; waited += 200) {
    const file = existsSync(dir) && mainThreadProfile(dir);
    if (file) {
      try {
        return JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
      } catch {
        // Still being written.
      }
    }
    await sleep(200);
  }
  throw new Error(`no CPU profile in ${dir}`);
}

/**
 * `npm run bench -- profile [--seconds 10]`: each operation under load in a server of its own started
 * with `node --cpu-prof` (the GraphQL app as `npm start` runs it, and the bare route of
 * bench/baseline-server.ts doing the same work where there is one), on one database seeded as the
 * checkout bench seeds it. Prints where the CPU time of the load went (start-up and warm-up excluded):
 * self time by package or source directory, the hottest functions, and the inclusive time of this
 * project's functions. The profiles stay on disk for Chrome DevTools or speedscope.
 */
export async function profileBenchmark({ seconds, connections }: { seconds: number; connections: number }) {
  const dir = freshDataDir();
  const database = join(dir, 'profile.db');
  const { storefront, admin } = await benchTokens();
  const seeding = await startApp(18791, database);
  let memberIds: string[];
  try {
    const seeded = await seedProgram(seeding.url, admin);
    await seedOffers(seeding.url, admin, seeded.tierIds);
    memberIds = seeded.memberIds;
    await graphql(
      seeding.url,
      'mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { __typename } }',
      { input: { memberId: memberIds[0], points: 1_000_000_000, reason: 'bench', idempotencyKey: 'fund' } },
      admin,
    );
  } finally {
    seeding.stop();
  }
  await sleep(1000);
  const rawIds = memberIds.map((id) => decodeGlobalID(id).id);

  type Body = (run: string) => (index: number) => unknown;
  const operations: Record<string, { graphql: Body; bare?: { route: string; body: Body } }> = {
    redeemPoints: {
      graphql: (run) => (index) => ({
        query: REDEEM,
        variables: { input: { memberId: memberIds[0], points: 1, idempotencyKey: `${run}-${index}` } },
      }),
      bare: { route: '/redeem', body: (run) => (index) => ({ memberId: rawIds[0], points: 1, idempotencyKey: `${run}-${index}` }) },
    },
    'quote (200 offers)': {
      graphql: () => (index) => {
        const { member, ...cart } = cartOf(index);
        return { query: QUOTE, variables: { cart: { ...cart, memberId: memberIds[member] } } };
      },
      bare: {
        route: '/quote',
        body: () => (index) => {
          const { member, ...cart } = cartOf(index);
          return { ...cart, memberId: rawIds[member], placedAt: null, walletPayment: null };
        },
      },
    },
    'member page': {
      graphql: () => (index) => ({ query: MEMBER_PAGE, variables: { id: memberIds[(index * 7919) % MEMBERS] } }),
    },
  };

  const results: Record<string, Record<string, ProfileSummary & { requests: number; cpuMsPerRequest?: number; profile: string }>> = {};
  for (const [name, operation] of Object.entries(operations)) {
    const slug = name.replace(/\W+/g, '-');
    const paths: Array<[string, () => Promise<Profiled>, string, Body]> = [
      [
        'graphql',
        () => profiled(join(dir, `${slug}-graphql`), (nodeArgs) => startApp(18792, database, {}, { nodeArgs })),
        '/graphql',
        operation.graphql,
      ],
    ];
    const beforeDir = beforeCheckout();
    if (beforeDir) {
      paths.push([
        'graphql-before',
        () => profiled(join(dir, `${slug}-graphql-before`), (nodeArgs) => startApp(18794, database, {}, { nodeArgs, cwd: beforeDir })),
        '/graphql',
        operation.graphql,
      ]);
    }
    if (operation.bare) {
      paths.push([
        'bare',
        () =>
          profiled(join(dir, `${slug}-bare`), (nodeArgs) =>
            startServer('bench/baseline-server.ts', { PORT: '18793', LIBSQL_URL: `file:${database}` }, /baseline listening/, { nodeArgs }),
          ),
        operation.bare.route,
        operation.bare.body,
      ]);
    }
    results[name] = {};
    for (const [path, start, route, body] of paths) {
      const child = await start();
      const target = { url: `${child.server.url}${route}`, headers: path === 'bare' ? {} : storefront, connections };
      await load({ ...target, seconds: 2, body: body(`profile-${slug}-${path}-warm`) });
      const from = performance.now() - child.spawnedAt;
      const cpuBefore = processCpuMs(child.server.pid);
      const result = await load({ ...target, seconds, body: body(`profile-${slug}-${path}-run`) });
      const to = performance.now() - child.spawnedAt;
      // The requests still in flight at the deadline are answered before the CPU time is read (and counted in `sent`).
      await sleep(500);
      const cpuAfter = processCpuMs(child.server.pid);
      child.server.stop();
      const summary = summarizeProfile(await profileOf(child), from, to);
      const cpuMsPerRequest = cpuBefore !== undefined && cpuAfter !== undefined ? (cpuAfter - cpuBefore) / result.sent : undefined;
      const file = join(child.dir, mainThreadProfile(child.dir)!);
      results[name][path] = {
        requests: result.requests,
        ...(cpuMsPerRequest === undefined ? {} : { cpuMsPerRequest }),
        ...summary,
        profile: file,
      };
      const failed = result.errors + result.non2xx;
      console.log(
        `\n== ${name}, ${path}: ${result.requests} requests in ${seconds} s (${failed} failed), ${cpuMsPerRequest?.toFixed(2) ?? '–'} ms CPU per request, load ${loadAverage()}; ${summary.busyMs} ms of samples`,
      );
      const show = (title: string, rows: Array<[string, number]>) =>
        console.log(`${title}\n${rows.map(([key, share]) => `  ${share.toFixed(1).padStart(5)} %  ${key}`).join('\n')}`);
      show('by layer:', summary.byLayer);
      show('self time by place:', summary.selfByPlace);
      show('self time by function:', summary.selfByFunction);
      show('inclusive (on the stack):', summary.inclusive);
      console.log(`profile: ${file}`);
    }
  }
  console.log(
    `\nresults: ${writeResults('profile', { scenario: 'profile', at: new Date().toISOString(), seconds, connections, results })}`,
  );
}
