import { text } from 'drizzle-orm/sqlite-core';
import { programs } from './programs';
import { members } from './members';

/** The tenant column every table but `programs` carries. */
export const programIdColumn = () =>
  text('program_id')
    .notNull()
    .references(() => programs.id);

/** A row that belongs to one member. */
export const memberIdColumn = () =>
  text('member_id')
    .notNull()
    .references(() => members.id);
