import { and, asc, eq, gt, inArray, isNull, lt, ne, or } from 'drizzle-orm';
import pMap from 'p-map';
import {
  events,
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from '../../../../schema';
import type { Clock } from '../../../platform/clock';
import type { Database } from '../../../platform/db/database';
import { newId } from '../../../platform/ids';
import { eventStatement } from '../../../platform/outbox';
import { envelopeOf } from '../envelope';
import { postWebhook, type Fetch, type HttpAttempt } from './http';
import { decideAfterAttempt, DISABLE_AFTER_FAILING_MS, parseRetryAfter } from './retry';
import { signedHeaders } from './signing';
import { endpointUrlProblem, type UrlPolicy } from './url-policy';

export interface DispatchDeps {
  db: Database;
  clock: Clock;
  fetch: Fetch;
  urlPolicy: UrlPolicy;
  /** Per attempt; 10 s unless a test shortens it. */
  timeoutMs?: number;
}

export interface DispatchReport {
  endpoints: number;
  attempts: number;
  succeeded: number;
}

/** Events fanned out to an endpoint per pass, and attempts per endpoint per pass. */
const FAN_OUT_CHUNK = 200;
const ATTEMPTS_PER_PASS = 50;
/** Endpoints served at once: one slow receiver never holds the others up. */
const ENDPOINT_CONCURRENCY = 8;
/** How long a dispatcher holds an endpoint; another takes over after that if it died. */
const LEASE_MS = 2 * 60_000;

/**
 * One pass of the dispatcher over every enabled endpoint (Node's scheduler and the Workers alarm
 * both call it): new events become deliveries, then each endpoint's queue is attempted in order
 * until its head must wait for a retry. A delivery's row is written before it is attempted and
 * completed after, so a crash anywhere repeats an attempt (at least once) but never loses one.
 */
export async function dispatchWebhooks(deps: DispatchDeps, options: { deadline: number }): Promise<DispatchReport> {
  const now = deps.clock.now();
  const due = await deps.db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.status, 'enabled'), or(isNull(webhookEndpoints.leaseUntil), lt(webhookEndpoints.leaseUntil, now))))
    .orderBy(asc(webhookEndpoints.id));
  const report: DispatchReport = { endpoints: 0, attempts: 0, succeeded: 0 };
  await pMap(
    due,
    async ({ id }) => {
      const endpoint = await claim(deps, id);
      if (!endpoint) return;
      report.endpoints++;
      try {
        await fanOut(deps, endpoint);
        const served = await serveQueue(deps, endpoint, options.deadline);
        report.attempts += served.attempts;
        report.succeeded += served.succeeded;
      } finally {
        await deps.db.update(webhookEndpoints).set({ leaseUntil: null }).where(eq(webhookEndpoints.id, id));
      }
    },
    { concurrency: ENDPOINT_CONCURRENCY },
  );
  return report;
}

/** Takes the endpoint's lease, unless another dispatcher holds it. */
async function claim({ db, clock }: DispatchDeps, endpointId: string): Promise<WebhookEndpointRow | undefined> {
  const now = clock.now();
  const [claimed] = await db
    .update(webhookEndpoints)
    .set({ leaseUntil: new Date(now.getTime() + LEASE_MS) })
    .where(
      and(
        eq(webhookEndpoints.id, endpointId),
        eq(webhookEndpoints.status, 'enabled'),
        or(isNull(webhookEndpoints.leaseUntil), lt(webhookEndpoints.leaseUntil, now)),
      ),
    )
    .returning();
  return claimed;
}

/** Turns the program's events after the endpoint's cursor into its deliveries, in event order. */
async function fanOut({ db, clock }: DispatchDeps, endpoint: WebhookEndpointRow): Promise<void> {
  for (;;) {
    const next = await db
      .select({ seq: events.seq, id: events.id, type: events.type })
      .from(events)
      .where(and(eq(events.programId, endpoint.programId), gt(events.seq, endpoint.cursorSeq)))
      .orderBy(asc(events.seq))
      .limit(FAN_OUT_CHUNK);
    if (next.length === 0) return;
    const now = clock.now();
    const wanted = next.filter((event) => endpoint.eventTypes.includes(event.type));
    const lastSeq = next.at(-1)!.seq;
    await db.batch([
      db
        .update(webhookEndpoints)
        .set({ cursorSeq: lastSeq })
        .where(and(eq(webhookEndpoints.id, endpoint.id), eq(webhookEndpoints.cursorSeq, endpoint.cursorSeq))),
      ...(wanted.length > 0
        ? [
            db
              .insert(webhookDeliveries)
              .values(
                wanted.map((event) => ({
                  id: newId(),
                  programId: endpoint.programId,
                  endpointId: endpoint.id,
                  eventSeq: event.seq,
                  eventId: event.id,
                  eventType: event.type,
                  nextAttemptAt: now,
                  createdAt: now,
                })),
              )
              .onConflictDoNothing(),
          ]
        : []),
    ]);
    endpoint.cursorSeq = lastSeq;
    if (next.length < FAN_OUT_CHUNK) return;
  }
}

async function serveQueue(deps: DispatchDeps, endpoint: WebhookEndpointRow, deadline: number) {
  let attempts = 0;
  let succeeded = 0;
  while (attempts < ATTEMPTS_PER_PASS && deps.clock.now().getTime() < deadline) {
    const [head] = await deps.db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.endpointId, endpoint.id), eq(webhookDeliveries.status, 'pending')))
      .orderBy(asc(webhookDeliveries.id))
      .limit(1);
    // Per-endpoint order: a head waiting for its retry holds back the deliveries behind it.
    if (!head || head.nextAttemptAt.getTime() > deps.clock.now().getTime()) break;
    attempts++;
    const result = await attempt(deps, endpoint, head);
    if (result === 'succeeded') succeeded++;
    if (result !== 'succeeded' && result !== 'failed') break;
  }
  return { attempts, succeeded };
}

/** One attempt of the queue's head, and everything it changes, in one batch. */
async function attempt(deps: DispatchDeps, endpoint: WebhookEndpointRow, delivery: WebhookDeliveryRow) {
  const { db, clock } = deps;
  const [event] = await db.select().from(events).where(eq(events.id, delivery.eventId));
  const at = clock.now();
  let http: HttpAttempt;
  if (!event) {
    http = { status: null, retryAfter: null, body: '', durationMs: 0, error: 'the event is no longer kept (past the retention period)' };
  } else {
    const refused = deps.urlPolicy.production ? await endpointUrlProblem(endpoint.url, deps.urlPolicy) : null;
    const body = JSON.stringify(envelopeOf(event));
    http = refused
      ? { status: null, retryAfter: null, body: '', durationMs: 0, error: `refused: the URL ${refused}` }
      : await postWebhook(
          deps.fetch,
          endpoint.url,
          signedHeaders(delivery.id, at, body, activeSecrets(endpoint, at)),
          body,
          deps.timeoutMs,
        );
  }
  const attemptNo = delivery.attempts + 1;
  const decision = event
    ? decideAfterAttempt({ status: http.status, retryAfterSeconds: parseRetryAfter(http.retryAfter, at) }, attemptNo, at)
    : ({ kind: 'failed' } as const);
  const error =
    http.error ?? (decision.kind === 'succeeded' ? null : `HTTP ${http.status}${http.body ? `: ${http.body.slice(0, 200)}` : ''}`);
  const failingSince = decision.kind === 'succeeded' ? null : (endpoint.failingSince ?? at);
  const failingTooLong = failingSince !== null && at.getTime() - failingSince.getTime() >= DISABLE_AFTER_FAILING_MS;
  const disableReason = decision.kind === 'disable_endpoint' ? decision.reason : failingTooLong ? 'every delivery failed for 5 days' : null;

  await db.batch([
    db.insert(webhookAttempts).values({
      deliveryId: delivery.id,
      attempt: delivery.totalAttempts + 1,
      at,
      statusCode: http.status,
      durationMs: http.durationMs,
      error,
    }),
    db
      .update(webhookDeliveries)
      .set({
        attempts: attemptNo,
        totalAttempts: delivery.totalAttempts + 1,
        lastStatusCode: http.status,
        lastError: error,
        // A 410 leaves the delivery waiting: it goes out if the endpoint is enabled again.
        status: decision.kind === 'succeeded' ? 'succeeded' : decision.kind === 'failed' ? 'failed' : 'pending',
        nextAttemptAt: decision.kind === 'retry' ? decision.nextAttemptAt : delivery.nextAttemptAt,
        completedAt: decision.kind === 'succeeded' || decision.kind === 'failed' ? at : null,
      })
      .where(eq(webhookDeliveries.id, delivery.id)),
    db
      .update(webhookEndpoints)
      .set(disableReason ? { failingSince, status: 'disabled', disabledReason: disableReason, updatedAt: at } : { failingSince })
      .where(eq(webhookEndpoints.id, endpoint.id)),
    ...(disableReason
      ? [
          eventStatement(db, endpoint.programId, at, {
            type: 'webhook.endpoint_disabled',
            memberId: null,
            data: { endpointId: endpoint.id, url: endpoint.url, reason: disableReason },
          }),
        ]
      : []),
  ]);
  endpoint.failingSince = failingSince;
  return disableReason ? 'disabled' : decision.kind;
}

/** The secrets that sign now: the current one, and the previous one until its grace period ends. */
export function activeSecrets(
  endpoint: Pick<WebhookEndpointRow, 'secret' | 'previousSecret' | 'previousSecretExpiresAt'>,
  at: Date,
): string[] {
  const previousActive =
    endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt.getTime() > at.getTime();
  return previousActive ? [endpoint.secret, endpoint.previousSecret!] : [endpoint.secret];
}

/** Deliveries finished before `before`, a chunk at a time (the pruning job); their attempts go with them. */
export async function pruneDeliveriesBefore(db: Database, before: Date, chunk: number): Promise<number> {
  const old = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(ne(webhookDeliveries.status, 'pending'), lt(webhookDeliveries.completedAt, before)))
    .limit(chunk);
  if (old.length === 0) return 0;
  const ids = old.map((row) => row.id);
  await db.batch([
    db.delete(webhookAttempts).where(inArray(webhookAttempts.deliveryId, ids)),
    db.delete(webhookDeliveries).where(inArray(webhookDeliveries.id, ids)),
  ]);
  return ids.length;
}
