import { getTableColumns, getTableName, is, sql, SQL, type Column } from 'drizzle-orm';
import { SQLiteAsyncDialect, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Database, Statement } from './database';

/** SQLite accepts up to 32,766 parameters in a statement; larger statements also cost more to compile than they save. */
const MAX_PARAMETERS_PER_STATEMENT = 16_000;
const MAX_ROWS_PER_STATEMENT = 500;

const dialect = new SQLiteAsyncDialect();

const rowsPerStatementOf = (parametersPerRow: number) =>
  Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS_PER_STATEMENT / parametersPerRow));

/** A value as drizzle hands it to the driver for this column (JSON as text, timestamps as numbers, booleans as 0/1). */
const driverValue = (column: Column, value: unknown) => (value === null || value === undefined ? null : column.mapToDriverValue(value));

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

/** A value JSON carries to SQLite as the same SQL value (text, integer, real, null). */
const travelsAsJson = (value: unknown) =>
  value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));

/**
 * Many rows of one table as INSERTs for a batch (an import's thousands of rows). drizzle's builder
 * walks every parameter through its SQL tree, which costs an import about as much as SQLite's own
 * work: here each row's values are mapped column by column, as drizzle maps them (JSON, timestamps).
 * The rows travel as one JSON array parameter that the statement unpacks (`json_each`), so its text
 * is the same whatever the number of rows: SQLite compiles a short statement instead of one that
 * grows with every row and parameter (compiling those cost an import more than running them). As
 * with drizzle's insert, every column is written and a value not given takes the column's default.
 * `onConflictDoUpdate` and `onConflictDoNothing` are drizzle's, the first with expressions only
 * (`excluded.…`), no parameters.
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
  const names = columns.map(([, column]) => dialect.escapeName(column.name)).join(', ');
  const head = `insert into ${dialect.escapeName(getTableName(table))} (${names})`;
  const upsert = options.onConflictDoUpdate;
  const tail = upsert
    ? ` ${textOf(sql`on conflict ${[upsert.target].flat()} do update set ${dialect.buildUpdateSet(table, upsert.set as Record<string, SQL>)}`)}`
    : options.onConflictDoNothing
      ? ' on conflict do nothing'
      : '';
  // A column default that is SQL (not a value) goes into the text where the row has no value.
  const defaultTexts = columns.map(([, column]) => (is(column.default, SQL) ? textOf(column.default) : null));
  const values = (row: Record<string, unknown>) =>
    columns.map(([key, column], index) => {
      const value = row[key];
      if (value !== undefined) return driverValue(column, value);
      return defaultTexts[index] !== null ? undefined : driverValue(column, column.default ?? column.defaultFn?.() ?? null);
    });
  const rowValues = (rows as ReadonlyArray<Record<string, unknown>>).map(values);
  if (rowValues.every((row) => row.every(travelsAsJson))) {
    // `where true`: SQLite's grammar needs it between a SELECT and an ON CONFLICT clause.
    const unpacked = columns.map((_, index) => `value ->> ${index}`).join(', ');
    return [db.run(new BuiltSQL(`${head} select ${unpacked} from json_each(?) where true${tail}`, [JSON.stringify(rowValues)]))];
  }
  // Rows with a value JSON would change (bytes, a default written as SQL): parameters, a few statements.
  const rowsPerStatement = rowsPerStatementOf(columns.length);
  const statements: Statement[] = [];
  for (let start = 0; start < rowValues.length; start += rowsPerStatement) {
    const params: unknown[] = [];
    const groups = rowValues.slice(start, start + rowsPerStatement).map((row) => {
      const tokens = row.map((value, index) => {
        if (value === undefined) return defaultTexts[index]!;
        params.push(value);
        return '?';
      });
      return `(${tokens.join(', ')})`;
    });
    statements.push(db.run(new BuiltSQL(`${head} values ${groups.join(', ')}${tail}`, params)));
  }
  return statements;
}

/**
 * Many rows of one table changed by key, as a few multi-row `UPDATE … FROM (VALUES …)` for a batch
 * (an import's thousand members), instead of a statement each. Rows that set the same columns share
 * a statement; a key no row has changes nothing. Each row may say what it `expects` the row to hold
 * still (values it was read with, compared with IS): a row that holds something else makes the
 * statement set the NOT NULL column `guard` (which every row must set) to null, so the batch fails
 * with a NOT NULL violation of `guard` and writes nothing: a guard for changes made between the read
 * and the batch, for writes that no serializer orders.
 */
export function updateRows<Table extends SQLiteTable>(
  db: Database,
  table: Table,
  key: Column,
  guard: Column,
  rows: ReadonlyArray<{
    key: unknown;
    set: Partial<Table['$inferInsert']>;
    expects: Partial<Table['$inferInsert']>;
  }>,
): Statement[] {
  const columns = getTableColumns(table) as Record<string, Column>;
  const tableName = dialect.escapeName(getTableName(table));
  const qualified = (column: Column) => `${tableName}.${dialect.escapeName(column.name)}`;
  const groups = new Map<string, Array<(typeof rows)[number]>>();
  for (const row of rows) {
    const shape = `${Object.keys(row.set).sort().join(',')}|${Object.keys(row.expects).sort().join(',')}`;
    groups.set(shape, [...(groups.get(shape) ?? []), row]);
  }
  const statements: Statement[] = [];
  for (const group of groups.values()) {
    const setKeys = Object.keys(group[0]!.set).sort();
    const expectKeys = Object.keys(group[0]!.expects).sort();
    if (!setKeys.some((name) => columns[name] === guard)) throw new Error('updateRows: every row must set the guard column');
    // VALUES columns: the key, then the values to set, then the values expected (column1, column2, …).
    const valueColumn = (position: number) => `v.column${position + 1}`;
    const stillAsRead = expectKeys.map((name, index) => `${qualified(columns[name]!)} is ${valueColumn(1 + setKeys.length + index)}`);
    const assignments = setKeys.map((name, index) => {
      const column = columns[name]!;
      const value = valueColumn(1 + index);
      return `${dialect.escapeName(column.name)} = ${
        column === guard && stillAsRead.length > 0 ? `case when ${stillAsRead.join(' and ')} then ${value} else null end` : value
      }`;
    });
    const head = `update ${tableName} set ${assignments.join(', ')} from (values `;
    const tail = `) as v where ${qualified(key)} = v.column1`;
    const parametersPerRow = 1 + setKeys.length + expectKeys.length;
    const placeholders = `(${Array.from({ length: parametersPerRow }, () => '?').join(', ')})`;
    const rowsPerStatement = rowsPerStatementOf(parametersPerRow);
    for (let start = 0; start < group.length; start += rowsPerStatement) {
      const chunk = group.slice(start, start + rowsPerStatement);
      const params = chunk.flatMap((row) => [
        driverValue(key, row.key),
        ...setKeys.map((name) => driverValue(columns[name]!, (row.set as Record<string, unknown>)[name])),
        ...expectKeys.map((name) => driverValue(columns[name]!, (row.expects as Record<string, unknown>)[name])),
      ]);
      statements.push(db.run(new BuiltSQL(head + chunk.map(() => placeholders).join(', ') + tail, params)));
    }
  }
  return statements;
}
