import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { commandRegistry } from './commands';
import { ConfigError, loadConfig } from './config';
import { describeJobRun } from './jobs/log';
import { runScheduledJobs } from './jobs/runner';
import { systemClock } from './platform/clock';
import { openNodeDatabase } from './platform/node/database';
import { diskAssets } from './platform/node/assets';
import { createInProcessSerializer } from './platform/node/in-process-serializer';
import { nodeGraphQLPlugins } from './platform/node/graphql-jit';
import { createMemoryRateLimiter, nodeClientAddress } from './platform/node/rate-limiter';
import { cronsFromWranglerToml, startScheduler } from './platform/node/scheduler';
import { createProgramsService } from './modules/programs';
import { dispatchWebhooks, eventsOptions } from './modules/events';
import { dispatchDeps } from './jobs/dispatch-webhooks';
import { lookup } from 'node:dns/promises';
import { Cron } from 'croner';

/** How often Node's in-process dispatcher drains the outbox (the 5-second retry is the schedule's shortest step). */
const DISPATCH_EVERY = '*/2 * * * * *';

/** The cron jobs of wrangler.toml and the outbox dispatcher, in this process. */
function startJobs(deps: Parameters<typeof runScheduledJobs>[0] & Parameters<typeof dispatchDeps>[0]) {
  const { clock } = deps;
  const scheduler = startScheduler(cronsFromWranglerToml(resolve('wrangler.toml')), async (cron, at) => {
    for (const run of await runScheduledJobs(deps, cron, at)) console.log(describeJobRun(run, clock.now()));
  });
  const dispatcher = new Cron(
    DISPATCH_EVERY,
    { protect: true, catch: (error) => console.error('webhook dispatcher:', error) },
    async () => {
      await dispatchWebhooks(dispatchDeps(deps), { deadline: clock.now().getTime() + 20_000 });
    },
  );
  return {
    stop() {
      scheduler.stop();
      dispatcher.stop();
    },
  };
}

async function main() {
  const config = loadConfig(process.env, 'node');
  // A long-running server: the WAL is checkpointed on a thread of its own, never in a request's call.
  const { db, afterErasure } = await openNodeDatabase({ ...config.libsql, walCheckpointer: true });
  const clock = systemClock;
  const { fingerprints } = config;
  const serializer = createInProcessSerializer(commandRegistry, { db, clock, fingerprints }, { hotStateSize: config.memberStateCacheSize });
  const rateLimiter = createMemoryRateLimiter(config.rateLimits);
  const resolveHost = async (host: string) => (await lookup(host, { all: true })).map((entry) => entry.address);
  const events = eventsOptions(config, resolveHost);
  const deps = {
    db,
    clock,
    serializer,
    config,
    fingerprints,
    afterErasure,
    rateLimiter,
    clientAddress: nodeClientAddress(config.trustProxy),
    events,
    graphqlPlugins: nodeGraphQLPlugins(config),
    assets: diskAssets(),
  };

  await createProgramsService(deps).ensure(config.defaultProgram);
  const app = createApp(deps);
  const jobs = config.scheduledJobs ? startJobs(deps) : undefined;

  const server = serve({ fetch: app.fetch, port: config.port }, ({ port }) => {
    if (config.auth.usingDevelopmentSecret) {
      console.warn('Using the built-in development JWT secret: set JWT_SECRET before exposing this server.');
    }
    console.log(`edge-loyalty (${config.environment}) on http://localhost:${port}/graphql`);
    console.log(`database ${config.libsql.url}, program "${config.defaultProgram.id}"`);
    if (!jobs) console.log('scheduled jobs and the webhook dispatcher are off (SCHEDULED_JOBS=false)');
  });

  const shutdown = () => {
    jobs?.stop();
    server.close(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
