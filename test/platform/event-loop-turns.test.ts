import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Client } from '@libsql/client';
import { openNodeDatabase } from '../../src/platform/node/database';

/**
 * The embedded database answers synchronously, so awaiting call after call never lets the event
 * loop turn by itself; the native driver frees each statement's memory only on a later turn.
 */
let client: Client;
beforeAll(async () => {
  ({ client } = await openNodeDatabase({ url: `file:${join(mkdtempSync(join(tmpdir(), 'turns-')), 'turns.db')}` }));
});
afterAll(() => client.close());

it('lets the event loop turn during a long chain of calls on the embedded database', async () => {
  let turned = false;
  setImmediate(() => {
    turned = true;
  });
  const started = performance.now();
  while (performance.now() - started < 50) {
    await client.execute('select 1');
    await client.batch(['select 2', 'select 3']);
  }
  expect(turned).toBe(true);
});
