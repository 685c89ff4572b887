import { createClient } from '@libsql/client/web';
import type { Config } from '../../config';
import { createDatabase, type Database } from '../db/database';
import type { WorkerEnv } from './env';

/** libSQL over HTTP(S) from a Worker: Turso or sqld at LIBSQL_URL (the Node client's native bindings do not run here). */
export function createWorkerDatabase(config: Config, env: WorkerEnv): Database {
  const service = env.LIBSQL_SERVICE;
  return createDatabase(
    createClient({
      url: config.libsql.url,
      authToken: config.libsql.authToken,
      ...(service ? { fetch: (request: Request) => service.fetch(request) } : {}),
    }),
  );
}
