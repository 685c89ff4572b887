import { sql } from 'drizzle-orm';
import { programIdColumn, wholeWithin } from './columns';
import { memberIdColumn } from './members';
import { experimentArms, exposureSubjects } from './values';
import { checks } from './constraints';
import { sqliteTable, text, integer, index, check, primaryKey } from 'drizzle-orm/sqlite-core';

/**
 * A pilot: members are split into treatment and control by a hash of (`salt`, member id); a member
 * is in control when its bucket (0–9,999) is below `holdoutBasisPoints`. The salt never changes, so
 * neither does any member's arm. With a segment, only the segment's members take part.
 */
export const experiments = sqliteTable(
  'experiments',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    name: text('name').notNull(),
    salt: text('salt').notNull(),
    holdoutBasisPoints: integer('holdout_basis_points').notNull(),
    startsAt: integer('starts_at', { mode: 'timestamp_ms' }).notNull(),
    endsAt: integer('ends_at', { mode: 'timestamp_ms' }).notNull(),
    segmentId: text('segment_id'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('experiments_program').on(t.programId, t.id),
    check(checks.experimentsHoldout, sql`${wholeWithin(t.holdoutBasisPoints, 1, 9_999)}`),
    check(checks.experimentsWindow, sql`${t.startsAt} < ${t.endsAt}`),
  ],
);

/**
 * Who met (treatment) or would have met (control) something an experiment names: an offer at
 * checkout, a reminder, a partner campaign. The first time per member and subject is kept.
 */
export const experimentExposures = sqliteTable(
  'experiment_exposures',
  {
    experimentId: text('experiment_id')
      .notNull()
      .references(() => experiments.id),
    memberId: memberIdColumn(),
    arm: text('arm', { enum: experimentArms }).notNull(),
    subjectKind: text('subject_kind', { enum: exposureSubjects }).notNull(),
    subjectId: text('subject_id').notNull(),
    firstAt: integer('first_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.experimentId, t.memberId, t.subjectKind, t.subjectId] }),
    check(checks.experimentExposuresArm, sql`${t.arm} in ('treatment', 'control')`),
    check(checks.experimentExposuresSubject, sql`${t.subjectKind} in ('offer', 'reminder', 'partner_campaign')`),
  ],
);

/** The program-wide control group: the share of members kept out of all marketing (0: none). */
export const globalControlGroups = sqliteTable(
  'global_control_groups',
  {
    programId: programIdColumn().primaryKey(),
    basisPoints: integer('basis_points').notNull(),
    salt: text('salt').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [check(checks.globalControlGroupsRange, sql`${wholeWithin(t.basisPoints, 0, 5_000)}`)],
);

export type ExperimentRow = typeof experiments.$inferSelect;
export type GlobalControlGroupRow = typeof globalControlGroups.$inferSelect;
