import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';

/** A program is one brand's loyalty scheme and the tenant boundary: no query crosses programs. */
export const programs = sqliteTable('programs', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});
