import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { events } from '../../schema';
import type { Database } from './db/database';
import { insertRows } from './db/insert-rows';
import { newId } from './ids';

/**
 * Every event type the engine emits, with its payload version (`schema/events/<type>.v<version>.json`).
 * Module-neutral on purpose: any module's command adds an event to its batch with `eventStatement`.
 */
export const eventCatalog = {
  'member.enrolled': 1,
  'member.updated': 1,
  'member.erased': 1,
  'points.earned': 1,
  'points.redeemed': 1,
  'points.adjusted': 1,
  'points.expired': 1,
  'wallet.topped_up': 1,
  'wallet.spent': 1,
  'order.recorded': 1,
  'order.refunded': 1,
  'order.claimed': 1,
  'offer.redeemed': 1,
  'tier.upgraded': 1,
  'tier.downgraded': 1,
  'referral.attributed': 1,
  'referral.converted': 1,
  'referral.rewarded': 1,
  'points.expiring': 1,
  'member.lapsed': 1,
  'member.birthday_upcoming': 1,
  'cart.abandoned': 1,
  'tier.downgrade_warning': 1,
  'webhook.endpoint_disabled': 1,
  'webhook.test': 1,
} as const;

export type EventType = keyof typeof eventCatalog;
export const eventTypes = Object.keys(eventCatalog) as EventType[];

/** What a command reports. Data carries ids, amounts and balances: never names, emails or birthdays. */
export interface PlannedEvent {
  type: EventType;
  memberId: string | null;
  data: Record<string, unknown>;
}

/**
 * The outbox row of one event, for the batch of the change it reports: it commits if and only if
 * the change does (DESIGN.md §12).
 *
 * @example
 * await db.batch([db.update(members).set(columns).where(…), eventStatement(db, programId, now, { type: 'member.updated', memberId, data })]);
 */
export function eventStatement(db: Database, programId: string, at: Date, event: PlannedEvent, id = newId()) {
  return db.insert(events).values(eventRow(programId, at, event, id));
}

function eventRow(programId: string, at: Date, event: PlannedEvent, id: string) {
  return { id, programId, type: event.type, version: eventCatalog[event.type], memberId: event.memberId, data: event.data, occurredAt: at };
}

/** Several events of one batch as multi-row statements, in order; no statement when the list is empty. */
export function eventStatements(db: Database, programId: string, at: Date, planned: PlannedEvent[]) {
  return insertRows(
    db,
    events,
    planned.map((event) => eventRow(programId, at, event, newId())),
  );
}

/**
 * Erasure reaches the outbox too: the member's earlier events lose the one identifier they carried
 * (the shop's `externalId`), in the erasure's own batch. Ids, amounts and balances stay.
 */
export function forgetMemberInEvents(db: Database, programId: string, memberId: string) {
  return db
    .update(events)
    .set({ data: sql`json_set(${events.data}, '$.externalId', json('null'))` })
    .where(
      and(eq(events.programId, programId), eq(events.memberId, memberId), isNotNull(sql`json_extract(${events.data}, '$.externalId')`)),
    );
}
