import { getTableColumns, getTableName, is, sql, SQL, type Column } from 'drizzle-orm';
import { SQLiteAsyncDialect, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Database, Statement } from './database';

/** SQLite accepts up to 32,766 parameters in a statement; larger statements also cost more to compile than they save. */
const MAX_PARAMETERS_PER_STATEMENT = 16_000;
const MAX_ROWS_PER_STATEMENT = 500;

const dialect = new SQLiteAsyncDialect();

/** A statement whose text and parameters are already built: drizzle runs it as it is. */
class BuiltSQL extends SQL {
  constructor(
    private readonly text: string,
    private readonly params: unknown[],
  ) {
    super([]);
  }

  override toQuery() {
    return { sql: this.text, params: this.params };
  }
}

/** A drizzle SQL fragment without parameters (an upsert's clause, a column default) as text. */
const textOf = (fragment: SQL) => {
  const { sql, params } = dialect.sqlToQuery(fragment);
  if (params.length > 0) throw new Error('insertRows: a fragment with parameters cannot be part of the shared text');
  return sql;
};

/**
 * Many rows of one table as a few multi-row INSERTs for a batch (an import's thousands of rows).
 * drizzle's builder walks every parameter through its SQL tree, which costs an import about as much
 * as SQLite's own work: here each row's values are mapped column by column, as drizzle maps them
 * (JSON, timestamps), and the text is joined once. As with drizzle's insert, every column is
 * written and a value not given takes the column's default. `onConflictDoUpdate` and
 * `onConflictDoNothing` are drizzle's, the first with expressions only (`excluded.…`), no parameters.
 */
export function insertRows<Table extends SQLiteTable>(
  db: Database,
  table: Table,
  rows: ReadonlyArray<Table['$inferInsert']>,
  options: {
    onConflictDoUpdate?: { target: Column | Column[]; set: Partial<Record<keyof Table['$inferInsert'], SQL>> };
    onConflictDoNothing?: boolean;
  } = {},
): Statement[] {
  if (rows.length === 0) return [];
  const columns = Object.entries(getTableColumns(table)) as Array<[string, Column]>;
  const head = `insert into ${dialect.escapeName(getTableName(table))} (${columns.map(([, column]) => dialect.escapeName(column.name)).join(', ')}) values `;
  const upsert = options.onConflictDoUpdate;
  const tail = upsert
    ? ` ${textOf(sql`on conflict ${[upsert.target].flat()} do update set ${dialect.buildUpdateSet(table, upsert.set as Record<string, SQL>)}`)}`
    : options.onConflictDoNothing
      ? ' on conflict do nothing'
      : '';
  // A column default that is SQL (not a value) goes into the text where the row has no value.
  const defaultTexts = columns.map(([, column]) => (is(column.default, SQL) ? textOf(column.default) : null));
  const rowsPerStatement = Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS_PER_STATEMENT / columns.length));
  const statements: Statement[] = [];
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const params: unknown[] = [];
    const groups: string[] = [];
    for (const row of rows.slice(start, start + rowsPerStatement) as Array<Record<string, unknown>>) {
      const tokens = columns.map(([key, column], index) => {
        let value = row[key];
        if (value === undefined) {
          const defaultText = defaultTexts[index];
          if (defaultText !== null) return defaultText;
          value = column.default ?? column.defaultFn?.() ?? null;
        }
        params.push(value === null ? null : column.mapToDriverValue(value));
        return '?';
      });
      groups.push(`(${tokens.join(', ')})`);
    }
    statements.push(db.run(new BuiltSQL(head + groups.join(', ') + tail, params)));
  }
  return statements;
}
