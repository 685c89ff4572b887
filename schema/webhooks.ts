import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, uniqueIndex, check, primaryKey } from 'drizzle-orm/sqlite-core';
import { programIdColumn } from './columns';
import { webhookEndpointStatuses, webhookDeliveryStatuses } from './values';
import { checks } from './constraints';

/**
 * Where a program's events are delivered. The secret signs (Standard Webhooks), so it is kept;
 * after a rotation the previous one signs alongside until `previousSecretExpiresAt`.
 */
export const webhookEndpoints = sqliteTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    url: text('url').notNull(),
    description: text('description'),
    eventTypes: text('event_types', { mode: 'json' }).notNull().$type<string[]>(),
    status: text('status', { enum: webhookEndpointStatuses }).notNull().default('enabled'),
    disabledReason: text('disabled_reason'),
    secret: text('secret').notNull(),
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: integer('previous_secret_expires_at', { mode: 'timestamp_ms' }),
    /** The last event (seq) considered for this endpoint: later ones become deliveries. */
    cursorSeq: integer('cursor_seq').notNull(),
    /** First failure since the last success: failing for 5 days disables the endpoint. */
    failingSince: integer('failing_since', { mode: 'timestamp_ms' }),
    /** A dispatcher holds the endpoint until then, so deliveries to it stay in order. */
    leaseUntil: integer('lease_until', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('webhook_endpoints_program').on(t.programId, t.id),
    check(checks.webhookEndpointsStatus, sql`${t.status} in ('enabled', 'disabled')`),
  ],
);

/**
 * One event to one endpoint; its id is the `webhook-id` (the same on every attempt, so receivers
 * dedupe). Ids are time-ordered and made in event order, so an endpoint's queue is its pending
 * deliveries by id.
 */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id),
    eventSeq: integer('event_seq').notNull(),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    /** '' for the event's own delivery; a replay's or test's id otherwise (each delivers again, on purpose). */
    replayId: text('replay_id').notNull().default(''),
    status: text('status', { enum: webhookDeliveryStatuses }).notNull().default('pending'),
    /** Attempts of the current round (a manual retry starts a new round of the schedule). */
    attempts: integer('attempts').notNull().default(0),
    totalAttempts: integer('total_attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    completedAt: integer('completed_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_once').on(t.endpointId, t.eventId, t.replayId),
    index('webhook_deliveries_queue').on(t.endpointId, t.status, t.id),
    index('webhook_deliveries_created').on(t.createdAt),
    check(checks.webhookDeliveriesStatus, sql`${t.status} in ('pending', 'succeeded', 'failed')`),
  ],
);

/** Each HTTP attempt of a delivery: when, how long, what came back. */
export const webhookAttempts = sqliteTable(
  'webhook_attempts',
  {
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms').notNull(),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.deliveryId, t.attempt] })],
);

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookAttemptRow = typeof webhookAttempts.$inferSelect;
