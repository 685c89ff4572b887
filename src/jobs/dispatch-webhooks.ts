import { dispatchWebhooks, strictEventsOptions } from '../modules/events';
import type { ServiceDeps } from '../services';
import type { Job } from './job';

/** How long one pass may keep attempting deliveries. */
const PASS_BUDGET_MS = 20_000;

/** The dispatcher's deps from the app's: the runtime's fetch and URL policy (strict where none was given). */
export function dispatchDeps(deps: ServiceDeps) {
  const options = deps.events ?? strictEventsOptions;
  return { db: deps.db, clock: deps.clock, fetch: options.fetch, urlPolicy: options.urlPolicy };
}

/**
 * A pass of the webhook dispatcher on a Cron Trigger: a safety net that drains the outbox even
 * when the runtime's faster loop (Node's timer, the Workers alarm) was not running.
 */
export const dispatchWebhooksJob: Job = {
  name: 'dispatch-webhooks',
  scope: 'global',
  async step(deps) {
    const report = await dispatchWebhooks(dispatchDeps(deps), { deadline: deps.clock.now().getTime() + PASS_BUDGET_MS });
    return { processed: report.attempts, cursor: null };
  },
};
