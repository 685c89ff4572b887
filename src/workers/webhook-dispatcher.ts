import { DurableObject } from 'cloudflare:workers';
import { loadConfig } from '../config';
import { dispatchWebhooks, eventsOptions } from '../modules/events';
import { systemClock } from '../platform/clock';
import type { WorkerEnv } from '../platform/workers/env';
import { createWorkerDatabase } from '../platform/workers/database';

/** While endpoints are enabled, the dispatcher looks again this often: the retry schedule's 5-second step. */
const BUSY_INTERVAL_MS = 5_000;
const PASS_BUDGET_MS = 20_000;

/**
 * The Workers side of the webhook dispatcher: one instance (named `dispatcher`) whose alarm drains
 * the outbox every few seconds while any endpoint is enabled, and sleeps otherwise. Every Cron
 * Trigger calls `kick`, so an alarm lost with an isolate is set again within a minute.
 *
 * Why an alarm rather than Queues: delivery order per endpoint and the retry schedule live in the
 * database (the outbox is the source of truth), so what Workers must add is only a timer finer
 * than a cron's minute. A Durable Object alarm is exactly that, is retried by the platform if the
 * pass throws, and needs no second copy of each event in a queue.
 */
export class WebhookDispatcher extends DurableObject<WorkerEnv> {
  readonly #deps;

  constructor(state: DurableObjectState, env: WorkerEnv) {
    super(state, env);
    const config = loadConfig(env, 'workers');
    const { urlPolicy } = eventsOptions(config);
    // Tests reach their local receiver through a service binding (as they reach libSQL).
    const outbound = env.WEBHOOK_OUTBOUND;
    const send = outbound
      ? (input: string, init: RequestInit) => outbound.fetch(input, init)
      : (input: string, init: RequestInit) => fetch(input, init);
    this.#deps = { db: createWorkerDatabase(config, env), clock: systemClock, fetch: send, urlPolicy };
  }

  /** Sets the alarm now unless one is set. */
  async kick(): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now());
  }

  override async alarm(): Promise<void> {
    const report = await dispatchWebhooks(this.#deps, { deadline: Date.now() + PASS_BUDGET_MS });
    if (report.endpoints > 0) await this.ctx.storage.setAlarm(Date.now() + BUSY_INTERVAL_MS);
  }
}
