import { sql } from 'drizzle-orm';
import { check, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { checks } from './constraints';

/**
 * A counter per piece of state that the serializer keeps in memory (`member:<memberId>`: the member's
 * status, lots and balances; `rules:<programId>`: the program's rules). Triggers (migration
 * 0016_state_versions) raise it on every change of those rows, whoever writes them: a job, another
 * app instance, an operator. A command prepared from memory writes the versions it read as a guard
 * first in its batch; a version that moved trips `state_versions_current`, and the command reads the
 * database and prepares again (DESIGN.md §3).
 */
export const stateVersions = sqliteTable(
  'state_versions',
  {
    key: text('key').primaryKey(),
    version: integer('version').notNull(),
  },
  (t) => [check(checks.stateVersionsCurrent, sql`${t.version} >= 0`)],
);
