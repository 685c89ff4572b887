import { sql } from 'drizzle-orm';
import { programIdColumn } from './columns';
import { sqliteTable, text, integer, uniqueIndex, index, check } from 'drizzle-orm/sqlite-core';
import { memberStatuses } from './values';
import { checks } from './constraints';

/**
 * A program's customer. Personal data (external id, email, name, birthday) is nulled on erasure;
 * the row stays so that ledger history keeps pointing at an anonymous member.
 */
export const members = sqliteTable(
  'members',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    externalId: text('external_id'),
    email: text('email'),
    name: text('name'),
    birthday: text('birthday'),
    /** IANA time zone (e.g. Europe/Berlin) for reminders' quiet hours; null: the program's UTC. */
    timeZone: text('time_zone'),
    consentEmail: integer('consent_email', { mode: 'boolean' }).notNull().default(false),
    consentSms: integer('consent_sms', { mode: 'boolean' }).notNull().default(false),
    consentPush: integer('consent_push', { mode: 'boolean' }).notNull().default(false),
    status: text('status', { enum: memberStatuses }).notNull().default('active'),
    /** Your own data about the customer (at most 50 keys of small scalar values; see members/domain). */
    attributes: text('attributes', { mode: 'json' }).$type<Record<string, string | number | boolean>>().notNull().default(sql`'{}'`),
    /** Labels for segmenting, normalized lower-case, without duplicates. */
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    erasedAt: integer('erased_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('members_program_external_id').on(t.programId, t.externalId),
    uniqueIndex('members_program_email').on(t.programId, t.email),
    index('members_program_id').on(t.programId, t.id),
    check(checks.membersProfileJson, sql`json_type(${t.attributes}) = 'object' and json_type(${t.tags}) = 'array'`),
    check(checks.membersStatus, sql`${t.status} in ('active', 'erased')`),
    check(
      checks.membersErasedHasNoPersonalData,
      sql`${t.status} = 'active' or (${t.email} is null and ${t.externalId} is null and ${t.name} is null and ${t.birthday} is null)`,
    ),
  ],
);

export type MemberRow = typeof members.$inferSelect;

/** A row that belongs to one member. */
export const memberIdColumn = () =>
  text('member_id')
    .notNull()
    .references(() => members.id);

/** A row that belongs to a member, or to no one (a guest's order). */
export const optionalMemberIdColumn = () => text('member_id').references(() => members.id);
