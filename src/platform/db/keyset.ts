import { asc, desc, gt, lt, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/** What `resolveCursorConnection` (@pothos/plugin-relay) asks of a page. */
export interface KeysetPage {
  after?: string;
  before?: string;
  limit: number;
  inverted: boolean;
}

/**
 * Keyset pagination over a unique, ordered column (our ids are time-ordered UUIDv7s). `newestFirst`
 * lists in descending order; `inverted` (a `last:` page) reads the same order backwards.
 */
export function keyset(column: SQLiteColumn, page: KeysetPage, newestFirst = false) {
  const conditions: SQL[] = [];
  const [following, preceding] = newestFirst ? [lt, gt] : [gt, lt];
  if (page.after) conditions.push(following(column, page.after));
  if (page.before) conditions.push(preceding(column, page.before));
  const ascending = newestFirst === page.inverted;
  return { conditions, orderBy: ascending ? asc(column) : desc(column), limit: page.limit };
}
