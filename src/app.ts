import { Hono } from 'hono';
import type { Config } from './config';
import { createGraphQLServer } from './graphql/yoga';
import { checkDatabase } from './platform/db/health';
import { createTokenVerifier } from './platform/auth/verifier';
import { createServices, type ServiceDeps } from './services';

/** Where the app reports what goes wrong; tests that expect errors pass a quiet one. */
export type Logger = Pick<Console, 'log' | 'warn' | 'error'>;

export interface AppDeps extends ServiceDeps {
  config: Config;
  /** Defaults to `console`. */
  logger?: Logger;
}

/**
 * The whole HTTP surface, independent of the runtime: `node.ts` and `worker.ts` build the deps and
 * hand requests to this app. Build it once per process or isolate, not per request.
 *
 * @example
 * const app = createApp({ db, serializer, clock: systemClock, config });
 * const response = await app.request('/health');
 */
export function createApp(deps: AppDeps) {
  const services = createServices(deps);
  const logger = deps.logger ?? console;
  const graphql = createGraphQLServer({ config: deps.config, services, verifyToken: createTokenVerifier(deps.config.auth), logger });
  const app = new Hono();

  app.get('/health', async (c) => {
    const { environment } = deps.config;
    const database = await checkDatabase(deps.db);
    if (database.ok) return c.json({ status: 'ok', environment, database: 'ok' });
    logger.error(`/health: ${database.reason}`);
    // Production says what is wrong without the details, which stay in the log.
    const reason = environment === 'production' ? 'the database is unavailable (details in the server log)' : database.reason;
    return c.json({ status: 'unavailable', environment, database: 'unavailable', reason }, 503);
  });
  if (deps.config.graphql.graphiql) app.get('/', (c) => c.redirect('/graphql'));
  app.on(['GET', 'POST', 'OPTIONS'], '/graphql', (c) => graphql.fetch(c.req.raw));
  return app;
}

export type App = ReturnType<typeof createApp>;
