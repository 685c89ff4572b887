import { eq, inArray, sql } from 'drizzle-orm';
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
 * The first statements of a batch prepared from state kept in memory: each key's version must still
 * be the one that state was read at, or `state_versions_current` trips and the batch rolls back
 * before anything is written. (A version sets itself to -1 when it differs; the CHECK refuses that.)
 */
export function stateVersionGuards(db: Database, versions: StateVersions): Statement[] {
  return Object.entries(versions).flatMap(([key, version]) => [
    // A key nothing has changed has no row yet: its version is 0. (Not an upsert: SQLite checks the
    // row to insert against the CHECK before it finds the conflict.)
    db.insert(stateVersions).values({ key, version: 0 }).onConflictDoNothing(),
    db
      .update(stateVersions)
      .set({ version: sql`case when ${stateVersions.version} = ${version} then ${stateVersions.version} else -1 end` })
      .where(eq(stateVersions.key, key)),
  ]);
}

/** Whether a tripped guard says that state kept in memory was stale. */
export function isStaleState(violation: ConstraintViolation): boolean {
  return violation.kind === 'check' && violation.targets.includes(checks.stateVersionsCurrent);
}
