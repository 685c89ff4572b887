const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Delay before each attempt (Standard Webhooks' suggested schedule): 8 attempts over about 28 hours. */
export const attemptDelaysMs = [0, 5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR] as const;
export const MAX_ATTEMPTS = attemptDelaysMs.length;
/** An endpoint that has failed without a success for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * HOUR;
/** Longest wait a receiver's Retry-After may ask for (a 429 or 503 slows the endpoint down, never stalls it for days). */
const MAX_RETRY_AFTER_MS = 10 * HOUR;

/** What came back from one attempt. */
export interface AttemptOutcome {
  /** HTTP status, or null when no response arrived (timeout, refused, network error). */
  status: number | null;
  /** Seconds a 429/503 asked to wait, if it said. */
  retryAfterSeconds: number | null;
}

export type AttemptDecision =
  | { kind: 'succeeded' }
  | { kind: 'retry'; nextAttemptAt: Date }
  | { kind: 'failed' }
  /** 410 Gone: the receiver says the endpoint no longer exists. */
  | { kind: 'disable_endpoint'; reason: string };

export const isSuccess = (status: number | null) => status !== null && status >= 200 && status < 300;

/**
 * What to do after attempt number `attempt` (1-based): only a 2xx succeeds (a redirect is not
 * followed and counts as a failure); a 410 disables the endpoint; anything else is retried on the
 * schedule, later still when a 429 or 5xx asked to slow down with Retry-After, until the attempts
 * are spent.
 */
export function decideAfterAttempt(outcome: AttemptOutcome, attempt: number, now: Date): AttemptDecision {
  if (isSuccess(outcome.status)) return { kind: 'succeeded' };
  if (outcome.status === 410) return { kind: 'disable_endpoint', reason: 'the endpoint answered 410 Gone' };
  if (attempt >= MAX_ATTEMPTS) return { kind: 'failed' };
  const scheduled = attemptDelaysMs[attempt]!;
  const slowDown = outcome.status === 429 || (outcome.status ?? 0) >= 500;
  const askedFor = slowDown && outcome.retryAfterSeconds !== null ? Math.min(outcome.retryAfterSeconds * SECOND, MAX_RETRY_AFTER_MS) : 0;
  return { kind: 'retry', nextAttemptAt: new Date(now.getTime() + Math.max(scheduled, askedFor)) };
}

/** Reads Retry-After (seconds, or an HTTP date). */
export function parseRetryAfter(header: string | null, now: Date): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now.getTime()) / SECOND));
}
