import { resolveCursorConnection, type DefaultConnectionArguments, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';

/**
 * A Relay connection over rows whose (time-ordered) id is the cursor; `load` reads one keyset page
 * (see `platform/db/keyset.ts`).
 */
export function connectionById<Row extends { id: string }>(
  args: DefaultConnectionArguments,
  load: (page: ResolveCursorConnectionArgs) => Promise<Row[]>,
) {
  return resolveCursorConnection({ args, toCursor: (row: Row) => row.id }, load);
}
