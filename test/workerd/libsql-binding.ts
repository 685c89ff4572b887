import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openNodeDatabase } from '../../src/platform/node/database';
import { createHranaBridge, type HranaBridge } from '../../scripts/hrana-bridge';

/**
 * The Miniflare service binding through which the Worker under test reaches libSQL: a Node function
 * speaking Hrana over HTTP (as sqld and Turso do) to an embedded database file that was migrated
 * with the committed migrations. Test infrastructure only (DESIGN.md §8).
 */
export function workerdLibsqlBinding(): (request: Request) => Promise<Response> {
  let bridge: Promise<HranaBridge> | undefined;
  const open = async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'edge-loyalty-workerd-')), 'loyalty.db');
    const { client } = await openNodeDatabase({ url: `file:${path}` });
    await client.execute({
      sql: "insert into programs (id, name, created_at) values ('acme', 'Acme Coffee', 0), ('globex', 'Globex Books', 0)",
      args: [],
    });
    client.close();
    return createHranaBridge({ path });
  };
  return async (request) => (await (bridge ??= open())).handle(request);
}
