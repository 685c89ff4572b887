import type { Config } from '../../config';
import type { Fetch } from './webhooks/http';
import type { UrlPolicy } from './webhooks/url-policy';

/** What events and webhooks need from the runtime. */
export interface EventsOptions {
  urlPolicy: UrlPolicy;
  /** How webhooks are sent (the platform's fetch). */
  fetch: Fetch;
  /** Days events and finished deliveries are kept (EVENT_RETENTION_DAYS). */
  retentionDays: number;
}

export const DEFAULT_EVENT_RETENTION_DAYS = 30;

/** From the configuration; Node passes `resolveHost` (DNS) so that names pointing inside are refused too. */
export function eventsOptions(config: Config, resolveHost?: UrlPolicy['resolveHost']): EventsOptions {
  return {
    urlPolicy: { production: config.environment === 'production', resolveHost },
    fetch: (input, init) => fetch(input, init),
    retentionDays: config.eventRetentionDays,
  };
}

/** Where no runtime said otherwise: the strict, production policy. */
export const strictEventsOptions: EventsOptions = {
  urlPolicy: { production: true },
  fetch: (input, init) => fetch(input, init),
  retentionDays: DEFAULT_EVENT_RETENTION_DAYS,
};
