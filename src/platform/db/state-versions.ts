import { inArray, sql } from 'drizzle-orm';
import { checks, stateVersions } from '../../../schema';
import type { ConstraintViolation } from './constraint-errors';
import type { Database, Statement } from './database';

/** The version of each key (schema/state-versions.ts), 0 for a key nothing has changed yet. */
export type StateVersions = Record<string, number>;

/** Reads the versions of `keys`, as a query for a read batch or a write batch's read-back; `versionsOf` reads the result. */
export function stateVersionsQuery(db: Database, keys: string[]) {
  return db.select().from(stateVersions).where(inArray(stateVersions.key, keys));
}

export function versionsOf(keys: string[], rows: Array<{ key: string; version: number }>): StateVersions {
  const found = new Map(rows.map((row) => [row.key, row.version]));
  return Object.fromEntries(keys.map((key) => [key, found.get(key) ?? 0]));
}

/**
 * The first statement of a batch prepared from state kept in memory: each key's version must still
 * be the one that state was read at, or `state_versions_current` trips and the batch rolls back
 * before anything is written. (A version that differs is set to -1, which the CHECK refuses.) A key
 * nothing has changed has no row, and no row is its version 0: the triggers create the row on the
 * first change, so a key kept at 0 trips as soon as a row exists with another version.
 */
export function stateVersionGuards(db: Database, versions: StateVersions): Statement[] {
  const entries = Object.entries(versions);
  if (entries.length === 0) return [];
  const current = sql.join(
    entries.map(([key, version]) => sql`(${stateVersions.key} = ${key} and ${stateVersions.version} = ${version})`),
    sql` or `,
  );
  return [
    db
      .update(stateVersions)
      .set({ version: sql`case when ${current} then ${stateVersions.version} else -1 end` })
      .where(
        inArray(
          stateVersions.key,
          entries.map(([key]) => key),
        ),
      ),
  ];
}

/** Whether a tripped guard says that state kept in memory was stale. */
export function isStaleState(violation: ConstraintViolation): boolean {
  return violation.kind === 'check' && violation.targets.includes(checks.stateVersionsCurrent);
}
