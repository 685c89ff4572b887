import { sql } from 'drizzle-orm';
import { text, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { programs } from './programs';
import { members } from './members';

/** The tenant column every table but `programs` carries. */
export const programIdColumn = () =>
  text('program_id')
    .notNull()
    .references(() => programs.id);

/** A row that belongs to a member, or to no one (a guest's order). */
export const optionalMemberIdColumn = () => text('member_id').references(() => members.id);

/** A row that belongs to one member. */
export const memberIdColumn = () =>
  text('member_id')
    .notNull()
    .references(() => members.id);

/** A CHECK condition: the column holds a whole number (SQLite stores any type anywhere) within [min, max]. */
export const wholeWithin = (column: SQLiteColumn, min: number, max: number) => sql`(typeof(${column}) = 'integer' and ${column} between ${sql.raw(String(min))} and ${sql.raw(String(max))})`;

/** Like `wholeWithin`, for a nullable column. */
export const nullOrWholeWithin = (column: SQLiteColumn, min: number, max: number) => sql`(${column} is null or ${wholeWithin(column, min, max)})`;
