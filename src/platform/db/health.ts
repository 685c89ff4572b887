import { LibsqlError } from '@libsql/client/web';
import { DrizzleQueryError, sql } from 'drizzle-orm';
import type { Database } from './database';

export type DatabaseHealth = { ok: true } | { ok: false; reason: string };

/**
 * Asks the database one cheap question (does the migrated `programs` table answer?) within
 * `timeoutMs`, and says in words what is wrong when it does not: unreachable, not migrated, or slow.
 */
export async function checkDatabase(db: Database, timeoutMs = 5_000): Promise<DatabaseHealth> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([db.run(sql`select 1 from programs limit 1`), timeout]);
    return { ok: true };
  } catch (error) {
    const message = describeCause(error);
    if (/no such table/i.test(message)) {
      return { ok: false, reason: `the database has no tables: apply the migrations (npm run db:migrate) (${message})` };
    }
    return { ok: false, reason: `the database cannot be reached: ${message}` };
  } finally {
    clearTimeout(timer);
  }
}

/** drizzle and the libSQL client wrap the real failure; the innermost message says what happened. */
export function describeCause(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  for (let cause = (error as Error)?.cause; cause instanceof Error; cause = cause.cause) {
    if (cause.message) message = cause.message;
  }
  return message;
}

/**
 * True when a query failed because the database could not be asked (no connection, the server
 * down or erroring), not because of what it answered: drizzle wraps the client's error, the
 * client's own errors are LibsqlError, and a transport failure is the fetch's error.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  const chain: Error[] = [];
  for (let current = error; current instanceof Error; current = current.cause) chain.push(current);
  const innermost = chain.at(-1);
  if (innermost instanceof LibsqlError) return innermost.code === 'SERVER_ERROR';
  const failedQuery = chain[0] instanceof DrizzleQueryError && chain.length > 1;
  return failedQuery || chain.some((link) => /^fetch failed$|Network connection lost/.test(link.message));
}
