import { createApp, type App, type AppDeps } from './app';
import { ConfigError, loadConfig } from './config';
import { eventsOptions } from './modules/events';
import { describeJobRun } from './jobs/log';
import { runScheduledJobs } from './jobs/runner';
import { systemClock } from './platform/clock';
import { createWorkerDatabase } from './platform/workers/database';
import { createDurableObjectSerializer } from './platform/workers/durable-object-serializer';
import { memberLedgerClass } from './platform/workers/member-ledger';
import { commandRegistry } from './commands';
import type { WorkerEnv } from './platform/workers/env';
import { createBindingRateLimiter } from './platform/workers/rate-limiter';
import { boundAssets } from './platform/workers/assets';

/** The per-member Durable Object (wrangler.toml), running this app's commands. */
export class MemberLedger extends memberLedgerClass(commandRegistry) {}
export { WebhookDispatcher } from './workers/webhook-dispatcher';

type Runtime = { deps: AppDeps; app: App };

/** Built on the first event for an env (fixed for an isolate's lifetime) and reused after that. */
const runtimes = new WeakMap<WorkerEnv, Runtime>();

function runtimeFor(env: WorkerEnv): Runtime {
  let runtime = runtimes.get(env);
  if (!runtime) {
    const config = loadConfig(env, 'workers');
    const deps: AppDeps = {
      config,
      clock: systemClock,
      fingerprints: config.fingerprints,
      db: createWorkerDatabase(config, env),
      serializer: createDurableObjectSerializer<typeof commandRegistry>(env.MEMBER_LEDGER),
      events: eventsOptions(config),
      rateLimiter: createBindingRateLimiter(env),
      clientAddress: (c) => c.req.header('cf-connecting-ip'),
      assets: boundAssets(env.ASSETS),
    };
    runtime = { deps, app: createApp(deps) };
    runtimes.set(env, runtime);
  }
  return runtime;
}

export default {
  async fetch(request, env) {
    let runtime: Runtime;
    try {
      runtime = runtimeFor(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      console.error(error.message);
      return Response.json({ error: error.message }, { status: 500 });
    }
    return runtime.app.fetch(request);
  },

  async scheduled(controller, env, ctx) {
    const { deps } = runtimeFor(env);
    // Every tick makes sure the webhook dispatcher's alarm is set (see WebhookDispatcher).
    ctx.waitUntil(env.WEBHOOK_DISPATCHER.get(env.WEBHOOK_DISPATCHER.idFromName('dispatcher')).kick());
    ctx.waitUntil(
      runScheduledJobs(deps, controller.cron, new Date(controller.scheduledTime)).then((runs) => {
        for (const run of runs) console.log(describeJobRun(run, deps.clock.now()));
      }),
    );
  },
} satisfies ExportedHandler<WorkerEnv>;
