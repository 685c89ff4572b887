import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

/** One row per job run, written when it starts and completed when it ends (DESIGN.md §5). */
export const jobRuns = sqliteTable(
  'job_runs',
  {
    id: text('id').primaryKey(),
    job: text('job').notNull(),
    /** The program the run worked on; null for a job over the whole database. */
    programId: text('program_id'),
    trigger: text('trigger').notNull(),
    scheduledFor: integer('scheduled_for', { mode: 'timestamp_ms' }).notNull(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
    processed: integer('processed').notNull().default(0),
    cursor: text('cursor'),
    error: text('error'),
    report: text('report', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [
    index('job_runs_job_started').on(t.job, t.programId, t.startedAt),
    index('job_runs_program').on(t.programId, t.id),
    index('job_runs_started').on(t.startedAt),
  ],
);

export type JobRunRow = typeof jobRuns.$inferSelect;
