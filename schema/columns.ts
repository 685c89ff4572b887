import { sql } from 'drizzle-orm';
import { text, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { programs } from './programs';

/** The tenant column every table but `programs` carries. */
export const programIdColumn = () =>
  text('program_id')
    .notNull()
    .references(() => programs.id);

/** A CHECK condition: the column holds a whole number (SQLite stores any type anywhere) within [min, max]. */
export const wholeWithin = (column: SQLiteColumn, min: number, max: number) =>
  sql`(typeof(${column}) = 'integer' and ${column} between ${sql.raw(String(min))} and ${sql.raw(String(max))})`;

/** Like `wholeWithin`, for a nullable column. */
export const nullOrWholeWithin = (column: SQLiteColumn, min: number, max: number) =>
  sql`(${column} is null or ${wholeWithin(column, min, max)})`;
