import { and, asc, desc, eq, gt, inArray, lt, notExists } from 'drizzle-orm';
import type { KeysetPage } from '../../platform/db/keyset';
import { events, webhookDeliveries, webhookEndpoints, type EventRow } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { InvalidInputError } from '../../platform/errors';

export interface FeedFilter {
  types: string[] | null;
  memberId: string | null;
}

/** A cursor is the event's commit sequence number, so the feed resumes exactly where a reader stopped. */
export const eventCursor = (event: Pick<EventRow, 'seq'>) => String(event.seq);

function parseCursor(cursor: string | undefined, argument: string): number | undefined {
  if (cursor === undefined) return undefined;
  if (!/^\d{1,15}$/.test(cursor)) throw new InvalidInputError([{ path: [argument], message: 'not a cursor of this feed' }]);
  return Number(cursor);
}

/** Events of the program in commit order (a keyset page by `seq`), optionally of some types or one member. */
export function readFeed(db: Database, programId: string, filter: FeedFilter, page: KeysetPage): Promise<EventRow[]> {
  const after = parseCursor(page.after, 'after');
  const before = parseCursor(page.before, 'before');
  return db
    .select()
    .from(events)
    .where(
      and(
        eq(events.programId, programId),
        after !== undefined ? gt(events.seq, after) : undefined,
        before !== undefined ? lt(events.seq, before) : undefined,
        filter.types ? inArray(events.type, filter.types) : undefined,
        filter.memberId ? eq(events.memberId, filter.memberId) : undefined,
      ),
    )
    .orderBy(page.inverted ? desc(events.seq) : asc(events.seq))
    .limit(page.limit);
}

/**
 * Events older than `before`, a chunk at a time (the pruning job). Kept regardless: an event a
 * delivery still waits for, and one an enabled endpoint has not yet taken into its queue.
 */
export async function pruneEventsBefore(db: Database, before: Date, chunk: number): Promise<number> {
  const awaited = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.eventId, events.id), eq(webhookDeliveries.status, 'pending')));
  const notYetQueued = db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.programId, events.programId),
        eq(webhookEndpoints.status, 'enabled'),
        lt(webhookEndpoints.cursorSeq, events.seq),
      ),
    );
  const old = await db
    .select({ seq: events.seq })
    .from(events)
    .where(and(lt(events.occurredAt, before), notExists(awaited), notExists(notYetQueued)))
    .orderBy(asc(events.seq))
    .limit(chunk);
  if (old.length > 0)
    await db.delete(events).where(
      inArray(
        events.seq,
        old.map((row) => row.seq),
      ),
    );
  return old.length;
}
