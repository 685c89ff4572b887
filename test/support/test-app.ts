import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type Logger } from '../../src/app';
import { commandRegistry } from '../../src/commands';
import { loadConfig } from '../../src/config';
import { fixedClock } from '../../src/platform/clock';
import { signToken, type TokenRequest } from '../../src/platform/auth/sign';
import { openNodeDatabase } from '../../src/platform/node/database';
import { createInProcessSerializer } from '../../src/platform/node/in-process-serializer';
import { nodeGraphQLPlugins } from '../../src/platform/node/graphql-jit';
import { createMemoryRateLimiter } from '../../src/platform/node/rate-limiter';
import { diskAssets } from '../../src/platform/node/assets';
import type { Context } from 'hono';
import { createProgramsService } from '../../src/modules/programs/service';
import { eventsOptions } from '../../src/modules/events';
import { runCommand, unwrapOutcome, type CommandDeps, type CommandRegistry } from '../../src/platform/serializer/commands';
import type { Serializer } from '../../src/platform/serializer/serializer';
import { meterRoundTrips, type RoundTripMeter } from '../../src/platform/db/round-trip-meter';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';
export const TEST_FINGERPRINT_SECRET = 'test-fingerprint-secret-of-at-least-32-characters';

/** Rate limits far above anything a test sends, so that no test is throttled by accident; rate-limit tests set their own. */
export const UNTHROTTLED = Object.fromEntries(
  ['ANONYMOUS', 'MEMBER', 'PARTNER', 'ADMIN', 'STOREFRONT', 'EXPENSIVE'].map((bucket) => [`RATE_LIMIT_${bucket}_PER_MINUTE`, '10000000']),
);
export const TEST_NOW = '2026-11-23T10:00:00.000Z';
/** The partner whose tokens the role matrices use (an ACTIVE partner of acme, created when its first token is signed). */
export const STOCK_PARTNER_ID = 'beans-inc';

let template: Promise<string> | undefined;

/** The committed migrations are applied once per test worker, to a template that test databases copy. */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'edge-loyalty-template-')), 'loyalty.db');
    const { client } = await openNodeDatabase({ url: `file:${path}` });
    await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    client.close();
    return path;
  })();
  return template;
}

/** A fresh database file with migrations applied, for one test file; it meters round trips. */
export async function freshDatabase(options: { networkLatency?: boolean; databaseFile?: string; walCheckpointer?: boolean } = {}) {
  // With `databaseFile`, a second connection to another app's database: a second app instance.
  const path = options.databaseFile ?? join(mkdtempSync(join(tmpdir(), 'edge-loyalty-test-')), 'loyalty.db');
  if (!options.databaseFile) copyFileSync(await migratedTemplate(), path);
  let roundTrips: RoundTripMeter | undefined;
  const opened = await openNodeDatabase({
    url: `file:${path}`,
    eventLoopTurns: !options.networkLatency,
    walCheckpointer: options.walCheckpointer,
    wrapClient: (client) => {
      const metered = meterRoundTrips(client, options.networkLatency ? { before: nextTurnOfTheEventLoop } : {});
      roundTrips = metered.meter;
      return metered.client;
    },
  });
  // A test database need not survive a power cut: no fsync on every commit.
  await opened.client.execute('PRAGMA synchronous = OFF');
  roundTrips!.reset();
  return { ...opened, roundTrips: roundTrips!, databaseFile: path };
}

/**
 * With `networkLatency`, every statement first waits for the next turn of the event loop, as a round
 * trip to Turso or sqld does: the embedded client answers within the same tick, so concurrent
 * commands would otherwise never interleave their reads and writes on Node. The meter counts the
 * app's round trips (all of them, and the sequential ones) to pin what a request costs at the edge.
 */
const nextTurnOfTheEventLoop = () => new Promise((resolve) => setImmediate(resolve));

export interface GraphQLResponse<Data = Record<string, any>> {
  data?: Data | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, any> }>;
}

/**
 * The Node app over its own fresh database, with a fixed clock (TEST_NOW unless `now` is given) and two programs (`acme`, `globex`)
 * so that every test can also check that nothing crosses tenants.
 */
export async function createTestApp(
  options: {
    env?: Record<string, string>;
    withoutSerializer?: boolean;
    networkLatency?: boolean;
    /** The WAL checkpointed by a worker thread, as `npm start` runs (off in tests: one thread per test app). */
    walCheckpointer?: boolean;
    now?: string;
    logger?: Logger;
    /** Another app's database file and clock: this app is a second instance over the same database (its own serializer and memory). */
    sharing?: { databaseFile: string; clock: ReturnType<typeof fixedClock> };
  } = {},
) {
  const { db, client, roundTrips, afterErasure, databaseFile } = await freshDatabase({
    ...options,
    databaseFile: options.sharing?.databaseFile,
  });
  const clock = options.sharing?.clock ?? fixedClock(options.now ?? TEST_NOW);
  const config = loadConfig(
    { JWT_SECRET: TEST_SECRET, FINGERPRINT_SECRET: TEST_FINGERPRINT_SECRET, ENVIRONMENT: 'test', ...UNTHROTTLED, ...options.env },
    'node',
  );
  const { fingerprints } = config;
  const serializer: Serializer<typeof commandRegistry> = options.withoutSerializer
    ? unserializedCommands(commandRegistry, { db, clock, fingerprints })
    : createInProcessSerializer(commandRegistry, { db, clock, fingerprints }, { hotStateSize: config.memberStateCacheSize });
  // The caller's address: tests name one (x-client-address) to act as several clients.
  const clientAddress = (c: Context) => c.req.header('x-client-address') ?? '127.0.0.1';
  const events = eventsOptions(config);
  const deps = {
    db,
    clock,
    serializer,
    config,
    fingerprints,
    afterErasure,
    rateLimiter: createMemoryRateLimiter(config.rateLimits),
    clientAddress,
    logger: options.logger,
    events,
    graphqlPlugins: nodeGraphQLPlugins(config, options.logger),
    assets: diskAssets(),
  };
  const programs = createProgramsService(deps);
  await programs.ensure({ id: 'acme', name: 'Acme Coffee' });
  await programs.ensure({ id: 'globex', name: 'Globex Books' });
  const app = createApp(deps);

  const token = async (request: Partial<TokenRequest> & Pick<TokenRequest, 'role'>) => {
    // Partner tokens work only for a partner that exists and is ACTIVE: the role matrices' stock partner is created on first use.
    if (request.partnerId === STOCK_PARTNER_ID) {
      await client.execute({
        sql: "insert or ignore into partners (id, program_id, name, status, funding, currency, cost_share_basis_points, created_at, updated_at) values (?, ?, 'Beans Inc', 'active', 'prepaid', 'EUR', 10000, 0, 0)",
        args: [STOCK_PARTNER_ID, request.programId ?? 'acme'],
      });
    }
    return signToken(TEST_SECRET, { programId: 'acme', subject: `test-${request.role}`, ...request });
  };

  async function graphql<Data = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    bearer?: string,
  ): Promise<GraphQLResponse<Data> & { status: number }> {
    const response = await app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as GraphQLResponse<Data>) };
  }

  return { app, db, client, roundTrips, clock, config, deps, token, graphql, databaseFile, close: () => client.close() };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/**
 * Runs commands with no per-member ordering, for proving that the database guards alone keep the
 * ledger sound. Commands arriving close together are held and released at the same instant (after
 * 20 ms without a new arrival), so that they all read the same state before any of them writes.
 */
function unserializedCommands(registry: CommandRegistry, deps: CommandDeps): Serializer {
  let waiting: Array<() => void> = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const startTogether = () =>
    new Promise<void>((release) => {
      waiting.push(release);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const released = waiting;
        waiting = [];
        released.forEach((go) => go());
      }, 20);
    });
  return {
    async execute(_key, command, input) {
      await startTogether();
      return unwrapOutcome(await runCommand(registry, deps, command, input));
    },
  };
}
