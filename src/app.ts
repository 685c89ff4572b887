import { Hono } from 'hono';
import type { Config } from './config';
import { createGraphQLServer } from './graphql/yoga';
import { createTokenVerifier } from './platform/auth/verifier';
import { createServices, type ServiceDeps } from './services';

export interface AppDeps extends ServiceDeps {
  config: Config;
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
  const graphql = createGraphQLServer({ config: deps.config, services, verifyToken: createTokenVerifier(deps.config.auth) });
  const app = new Hono();

  app.get('/health', (c) => c.json({ status: 'ok', environment: deps.config.environment }));
  if (deps.config.graphql.graphiql) app.get('/', (c) => c.redirect('/graphql'));
  app.on(['GET', 'POST', 'OPTIONS'], '/graphql', (c) => graphql.fetch(c.req.raw));
  return app;
}

export type App = ReturnType<typeof createApp>;
