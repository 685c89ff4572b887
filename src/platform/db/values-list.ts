import { sql, type SQL } from 'drizzle-orm';

/**
 * `(a, b), (c, d)`: rows as a SQL `VALUES` list, for multi-row statements such as
 * `UPDATE t SET x = t.x + v.column2 FROM (VALUES …) AS v WHERE t.id = v.column1`.
 */
export const valuesList = (rows: Array<Array<string | number | null>>): SQL =>
  sql.join(
    rows.map(
      (row) =>
        sql`(${sql.join(
          row.map((value) => sql`${value}`),
          sql`, `,
        )})`,
    ),
    sql`, `,
  );
