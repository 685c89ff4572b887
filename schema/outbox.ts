import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { programIdColumn } from './columns';

/**
 * The transactional outbox (DESIGN.md §12): one row per thing that happened, written in the same
 * batch as the change it reports. `seq` is the commit order (SQLite has one writer), so it is both
 * the pull feed's cursor and the order webhooks deliver in.
 */
export const events = sqliteTable(
  'events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull().unique(),
    programId: programIdColumn(),
    type: text('type').notNull(),
    /** Version of the type's payload schema (`schema/events/<type>.v<version>.json`). */
    version: integer('version').notNull(),
    memberId: text('member_id'),
    data: text('data', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    occurredAt: integer('occurred_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('events_program_seq').on(t.programId, t.seq),
    index('events_program_member_seq').on(t.programId, t.memberId, t.seq),
    index('events_occurred_at').on(t.occurredAt),
  ],
);

export type EventRow = typeof events.$inferSelect;
