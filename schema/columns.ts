import { text } from 'drizzle-orm/sqlite-core';
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
