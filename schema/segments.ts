import { sql } from 'drizzle-orm';
import { programIdColumn, wholeWithin } from './columns';
import { memberIdColumn } from './members';
import { segmentStatuses } from './values';
import { checks } from './constraints';
import { MAX_BALANCE } from '../src/platform/bounds';
import { sqliteTable, text, integer, index, check, primaryKey } from 'drizzle-orm/sqlite-core';

/**
 * A named group of members, defined by a boolean tree of conditions (segments/domain) and
 * materialized by the refresh job into `segment_members` under a generation: a refresh writes the
 * next generation chunk by chunk and flips `generation` when done, so readers never see half of one.
 */
export const segments = sqliteTable(
  'segments',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    name: text('name').notNull(),
    definition: text('definition', { mode: 'json' }).$type<unknown>().notNull(),
    status: text('status', { enum: segmentStatuses }).notNull().default('active'),
    generation: integer('generation').notNull().default(0),
    memberCount: integer('member_count').notNull().default(0),
    lastRefreshedAt: integer('last_refreshed_at', { mode: 'timestamp_ms' }),
    /** The member id the refresh in progress has reached (null: none in progress). */
    refreshCursor: text('refresh_cursor'),
    refreshCount: integer('refresh_count').notNull().default(0),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('segments_program').on(t.programId, t.id),
    check(checks.segmentsStatus, sql`${t.status} in ('active', 'archived')`),
    check(
      checks.segmentsCounts,
      sql`${wholeWithin(t.generation, 0, MAX_BALANCE)} and ${wholeWithin(t.memberCount, 0, MAX_BALANCE)} and ${wholeWithin(t.refreshCount, 0, MAX_BALANCE)}`,
    ),
  ],
);

export const segmentMembers = sqliteTable(
  'segment_members',
  {
    segmentId: text('segment_id')
      .notNull()
      .references(() => segments.id),
    generation: integer('generation').notNull(),
    memberId: memberIdColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.segmentId, t.generation, t.memberId] }),
    index('segment_members_member').on(t.memberId, t.segmentId, t.generation),
  ],
);

export type SegmentRow = typeof segments.$inferSelect;
