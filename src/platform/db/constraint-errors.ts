import { getTableName, type Column } from 'drizzle-orm';

/**
 * Reads a SQLite constraint failure out of an error thrown by drizzle or the libSQL client
 * (drizzle wraps the driver error in `cause`), so services can map a tripped guard to a typed error.
 */
export interface ConstraintViolation {
  kind: 'unique' | 'check' | 'foreign_key' | 'not_null';
  /** `table.column` names for UNIQUE / NOT NULL, the constraint name for CHECK. */
  targets: string[];
}

const patterns: Array<[ConstraintViolation['kind'], RegExp]> = [
  ['unique', /UNIQUE constraint failed: ([^\n]+)/],
  ['check', /CHECK constraint failed: ([^\n]+)/],
  ['not_null', /NOT NULL constraint failed: ([^\n]+)/],
  ['foreign_key', /FOREIGN KEY constraint failed()/],
];

export function constraintViolation(error: unknown): ConstraintViolation | null {
  for (let current = error; current instanceof Error; current = current.cause) {
    for (const [kind, pattern] of patterns) {
      const match = pattern.exec(current.message);
      if (match) {
        const targets = (match[1] ?? '')
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean);
        return { kind, targets };
      }
    }
  }
  return null;
}

/**
 * How SQLite names a column in a UNIQUE or NOT NULL failure (`table.column`), derived from the
 * table definition so that the mapping and the table cannot drift apart.
 *
 * @example
 * if (violation.kind === 'unique' && violation.targets.includes(columnTarget(members.email))) …
 */
export function columnTarget(column: Column): string {
  return `${getTableName(column.table)}.${column.name}`;
}
