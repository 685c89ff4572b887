import { and, asc, eq, gte, inArray, lte, max, sql } from 'drizzle-orm';
import {
  events,
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from '../../../schema';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db/database';
import { InvalidInputError } from '../../platform/errors';
import { newId } from '../../platform/ids';
import { eventStatement, type EventType } from '../../platform/outbox';
import { keyset, type KeysetPage } from '../../platform/db/keyset';
import { WebhookDeliveryNotFoundError, WebhookEndpointNotFoundError } from './errors';
import { readFeed, type FeedFilter } from './feed';
import { strictEventsOptions, type EventsOptions } from './options';
import { checkEndpointUrl, DEFAULT_ROTATION_GRACE_HOURS, MAX_ROTATION_GRACE_HOURS } from './webhooks/endpoints';
import { newWebhookSecret } from './webhooks/signing';

export type EventsService = ReturnType<typeof createEventsService>;

/** Most events one `replayEvents` queues again (narrow the window for more). */
export const MAX_REPLAY_EVENTS = 10_000;
const REPLAY_INSERT_CHUNK = 500;

interface NewEndpoint {
  url: string;
  eventTypes: EventType[];
  description?: string | null;
}

interface EndpointUpdate {
  url?: string | null;
  eventTypes?: EventType[] | null;
  description?: string | null;
  enabled?: boolean | null;
}

/** The pull feed, and the program admin's webhook endpoints and deliveries. */
export function createEventsService(deps: { db: Database; clock: Clock; events?: EventsOptions }) {
  const { db, clock } = deps;
  const options = deps.events ?? strictEventsOptions;

  async function requireEndpoint(programId: string, endpointId: string): Promise<WebhookEndpointRow> {
    const [endpoint] = await db
      .select()
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.programId, programId), eq(webhookEndpoints.id, endpointId)));
    if (!endpoint) throw new WebhookEndpointNotFoundError(endpointId);
    return endpoint;
  }

  async function requireDelivery(programId: string, deliveryId: string): Promise<WebhookDeliveryRow> {
    const [delivery] = await db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.programId, programId), eq(webhookDeliveries.id, deliveryId)));
    if (!delivery) throw new WebhookDeliveryNotFoundError(deliveryId);
    return delivery;
  }

  return {
    now: () => clock.now(),

    delivery: requireDelivery,

    feed: (programId: string, filter: FeedFilter, page: KeysetPage) => readFeed(db, programId, filter, page),

    endpoint: requireEndpoint,

    endpoints(programId: string, page: KeysetPage) {
      const { conditions, orderBy, limit } = keyset(webhookEndpoints.id, page);
      return db
        .select()
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.programId, programId), ...conditions))
        .orderBy(orderBy)
        .limit(limit);
    },

    /** A new endpoint gets the events from now on (older ones with `replayEvents`) and a secret, returned this once. */
    async createEndpoint(programId: string, input: NewEndpoint) {
      await checkEndpointUrl(input.url, options.urlPolicy);
      const now = clock.now();
      const [latest] = await db
        .select({ seq: max(events.seq) })
        .from(events)
        .where(eq(events.programId, programId));
      const [endpoint] = await db
        .insert(webhookEndpoints)
        .values({
          id: newId(),
          programId,
          url: input.url,
          description: input.description ?? null,
          eventTypes: input.eventTypes,
          secret: newWebhookSecret(),
          cursorSeq: latest?.seq ?? 0,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      return endpoint!;
    },

    async updateEndpoint(programId: string, endpointId: string, update: EndpointUpdate) {
      const endpoint = await requireEndpoint(programId, endpointId);
      if (update.url) await checkEndpointUrl(update.url, options.urlPolicy);
      const enabling = update.enabled === true && endpoint.status === 'disabled';
      const [updated] = await db
        .update(webhookEndpoints)
        .set({
          ...(update.url ? { url: update.url } : {}),
          ...(update.eventTypes ? { eventTypes: update.eventTypes } : {}),
          ...(update.description !== undefined ? { description: update.description } : {}),
          ...(enabling ? { status: 'enabled' as const, disabledReason: null, failingSince: null } : {}),
          ...(update.enabled === false ? { status: 'disabled' as const, disabledReason: 'disabled by an admin' } : {}),
          updatedAt: clock.now(),
        })
        .where(eq(webhookEndpoints.id, endpoint.id))
        .returning();
      return updated!;
    },

    /**
     * A new secret signs from now on; the previous one signs alongside for `graceHours`, so
     * receivers can switch without missing a delivery. The new secret is returned this once.
     */
    async rotateSecret(programId: string, endpointId: string, graceHours: number | null) {
      const hours = graceHours ?? DEFAULT_ROTATION_GRACE_HOURS;
      if (!Number.isInteger(hours) || hours < 0 || hours > MAX_ROTATION_GRACE_HOURS) {
        throw new InvalidInputError([
          { path: ['input', 'graceHours'], message: `must be a whole number of hours from 0 to ${MAX_ROTATION_GRACE_HOURS}` },
        ]);
      }
      const endpoint = await requireEndpoint(programId, endpointId);
      const now = clock.now();
      const [rotated] = await db
        .update(webhookEndpoints)
        .set({
          secret: newWebhookSecret(),
          previousSecret: endpoint.secret,
          previousSecretExpiresAt: new Date(now.getTime() + hours * 3_600_000),
          updatedAt: now,
        })
        .where(eq(webhookEndpoints.id, endpoint.id))
        .returning();
      return rotated!;
    },

    /** A `webhook.test` event for this endpoint only, queued behind its other deliveries. */
    async sendTestEvent(programId: string, endpointId: string) {
      const endpoint = await requireEndpoint(programId, endpointId);
      const now = clock.now();
      const [eventId, deliveryId] = [newId(), newId()];
      await db.batch([
        eventStatement(db, programId, now, { type: 'webhook.test', memberId: null, data: { endpointId: endpoint.id } }, eventId),
        db.run(sql`
          insert into ${webhookDeliveries} (id, program_id, endpoint_id, event_seq, event_id, event_type, replay_id, next_attempt_at, created_at)
          select ${deliveryId}, ${programId}, ${endpoint.id}, seq, id, type, 'test', ${now.getTime()}, ${now.getTime()} from ${events} where id = ${eventId}`),
      ]);
      return requireDelivery(programId, deliveryId);
    },

    deliveries(programId: string, endpointId: string, status: WebhookDeliveryRow['status'] | null, page: KeysetPage) {
      const { conditions, orderBy, limit } = keyset(webhookDeliveries.id, page, true);
      return db
        .select()
        .from(webhookDeliveries)
        .where(
          and(
            eq(webhookDeliveries.programId, programId),
            eq(webhookDeliveries.endpointId, endpointId),
            status ? eq(webhookDeliveries.status, status) : undefined,
            ...conditions,
          ),
        )
        .orderBy(orderBy)
        .limit(limit);
    },

    attempts: (deliveryIds: readonly string[]) =>
      db
        .select()
        .from(webhookAttempts)
        .where(inArray(webhookAttempts.deliveryId, [...deliveryIds]))
        .orderBy(asc(webhookAttempts.deliveryId), asc(webhookAttempts.attempt)),

    /** Attempts a delivery again now, with a fresh round of the retry schedule. */
    async retryDelivery(programId: string, deliveryId: string) {
      const delivery = await requireDelivery(programId, deliveryId);
      const [retried] = await db
        .update(webhookDeliveries)
        .set({ status: 'pending', attempts: 0, nextAttemptAt: clock.now(), completedAt: null })
        .where(eq(webhookDeliveries.id, delivery.id))
        .returning();
      return retried!;
    },

    /**
     * Queues the endpoint's events of [from, to] (of `types`, else those it subscribes to) again,
     * as new deliveries with new `webhook-id`s, after what it has queued already, oldest first.
     */
    async replayEvents(programId: string, endpointId: string, window: { from: Date; to: Date; types: EventType[] | null }) {
      const endpoint = await requireEndpoint(programId, endpointId);
      if (window.from.getTime() > window.to.getTime())
        throw new InvalidInputError([{ path: ['input', 'to'], message: 'must not be before `from`' }]);
      const replayed = await db
        .select({ seq: events.seq, id: events.id, type: events.type })
        .from(events)
        .where(
          and(
            eq(events.programId, programId),
            gte(events.occurredAt, window.from),
            lte(events.occurredAt, window.to),
            inArray(events.type, window.types ?? endpoint.eventTypes),
          ),
        )
        .orderBy(asc(events.seq))
        .limit(MAX_REPLAY_EVENTS + 1);
      if (replayed.length > MAX_REPLAY_EVENTS) {
        throw new InvalidInputError([
          { path: ['input', 'from'], message: `the window holds more than ${MAX_REPLAY_EVENTS} events: replay a narrower one` },
        ]);
      }
      const now = clock.now();
      const replayId = newId();
      const rows = replayed.map((event) => ({
        id: newId(),
        programId,
        endpointId,
        eventSeq: event.seq,
        eventId: event.id,
        eventType: event.type,
        replayId,
        nextAttemptAt: now,
        createdAt: now,
      }));
      const chunks = [];
      for (let start = 0; start < rows.length; start += REPLAY_INSERT_CHUNK)
        chunks.push(db.insert(webhookDeliveries).values(rows.slice(start, start + REPLAY_INSERT_CHUNK)));
      const [first, ...rest] = chunks;
      if (first) await db.batch([first, ...rest]);
      return { endpoint, replayId, queued: rows.length };
    },
  };
}
