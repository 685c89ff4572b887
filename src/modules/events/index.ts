/** The events module's public surface (DESIGN.md §2): the outbox feed, webhooks, their jobs' steps. */

// Registers the module's GraphQL types and fields on the builder (src/api/schema.ts assembles them).
import './schema';

export { createEventsService, type EventsService } from './service';
export { eventsOptions, strictEventsOptions, DEFAULT_EVENT_RETENTION_DAYS, type EventsOptions } from './options';
export { dispatchWebhooks, pruneDeliveriesBefore, type DispatchReport } from './webhooks/dispatcher';
export { pruneEventsBefore } from './feed';
export { envelopeOf, type EventEnvelope } from './envelope';
export { eventStatement, eventStatements, eventCatalog, eventTypes, type EventType, type PlannedEvent } from '../../platform/outbox';
