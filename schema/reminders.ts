import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, uniqueIndex, index, check } from 'drizzle-orm/sqlite-core';
import { programIdColumn } from './columns';
import { memberIdColumn } from './members';

/** A program's reminder settings (lead times, cap, quiet hours) as validated JSON; defaults when absent. */
export const reminderSettings = sqliteTable('reminder_settings', {
  programId: programIdColumn().primaryKey(),
  settings: text('settings', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

export const reminderStatuses = ['sent', 'held', 'suppressed'] as const;
export type ReminderStatus = (typeof reminderStatuses)[number];

/**
 * Every reminder the engine decided on, once per (member, type, reason): `sent` (its event is in the
 * outbox), `held` (quiet hours; its event is written when `dueAt` comes) or `suppressed` (why says
 * why). The unique reason is the dedupe; the rows of the last days are the frequency cap's count.
 */
export const reminders = sqliteTable(
  'reminders',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    memberId: memberIdColumn(),
    type: text('type').notNull(),
    reason: text('reason').notNull(),
    status: text('status', { enum: reminderStatuses }).notNull(),
    suppressedBecause: text('suppressed_because'),
    priority: integer('priority').notNull(),
    /** The outbox event's id (and its payload), written when the reminder goes out. */
    eventId: text('event_id').notNull(),
    data: text('data', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    decidedAt: integer('decided_at', { mode: 'timestamp_ms' }).notNull(),
    /** When it goes (or went) out; null for a suppressed one. */
    dueAt: integer('due_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('reminders_dedupe').on(t.programId, t.memberId, t.type, t.reason),
    index('reminders_member_due').on(t.programId, t.memberId, t.dueAt),
    // Held reminders in id order (the release's keyset), due_at covered: no sort of every held one per chunk.
    index('reminders_status_id').on(t.programId, t.status, t.id, t.dueAt),
    index('reminders_program').on(t.programId, t.id),
    check('reminders_status', sql`${t.status} in ('sent', 'held', 'suppressed')`),
    check('reminders_suppressed_has_why', sql`(${t.status} = 'suppressed') = (${t.suppressedBecause} is not null)`),
  ],
);

export type ReminderRow = typeof reminders.$inferSelect;
