import type { Client, InStatement } from '@libsql/client';

/** A client wrapper that records every statement it runs (a batch's one by one), for their query plans. */
export function recordingStatements(statements: InStatement[]) {
  return (client: Client): Client =>
    new Proxy(client, {
      get(target, property) {
        const value = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        if (property === 'execute')
          return (statement: InStatement) => {
            statements.push(statement);
            return target.execute(statement);
          };
        if (property === 'batch')
          return (batch: InStatement[], mode?: Parameters<Client['batch']>[1]) => {
            statements.push(...batch);
            return target.batch(batch, mode);
          };
        return value.bind(target);
      },
    });
}

export const sqlOf = (statement: InStatement) => (typeof statement === 'string' ? statement : statement.sql);

/**
 * The plan lines of a read that reaches one of `tables` other than by a member key or range (a
 * job's chunk must stay within its members, not walk a program-wide index such as lots by expiry).
 * A walk of one of `memberOrdered` (indexes on program and member) from its start is in member
 * order too: a first chunk, before any cursor.
 */
export async function readsOutsideTheMemberRange(
  client: Client,
  statement: InStatement,
  tables: readonly string[],
  memberOrdered: readonly string[] = [],
) {
  const sql = sqlOf(statement);
  const args = typeof statement === 'string' ? [] : (statement.args ?? []);
  if (!/^\s*(select|with)\b/i.test(sql)) return [];
  const plan = await client.execute({ sql: `explain query plan ${sql}`, args });
  return plan.rows
    .map((row) => String(row.detail))
    .filter((detail) => tables.some((table) => new RegExp(`\\b${table}\\b`).test(detail)))
    .filter((detail) => !/^SEARCH \S+ USING (COVERING )?INDEX \S+ \((program_id=\? AND )?member_id[=<>]/.test(detail))
    .filter(
      (detail) =>
        !memberOrdered.some((index) => new RegExp(`^SEARCH \\S+ USING (COVERING )?INDEX ${index} \\(program_id=\\?\\)$`).test(detail)),
    )
    .map((detail) => `${detail}  ←  ${sql.replace(/\s+/g, ' ').slice(0, 120)}`);
}
