import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { Config } from './config';
import { checkDatabase } from './platform/db/health';
import { rateLimitedError } from './graphql/rate-limit';
import type { Plugin } from 'graphql-yoga';
import { authenticate, createGraphQLServer } from './api/yoga';
import { createTokenVerifier } from './platform/auth/verifier';
import { rateLimitSubject, type RateLimiter } from './platform/rate-limit/limiter';
import { createServices, type ServiceDeps } from './services';
import { eventsOptions } from './modules/events';
import { ASSETS_PATH, PAGES, type StaticAssets } from './platform/web/assets';

/** Where the app reports what goes wrong; tests that expect errors pass a quiet one. */
export type Logger = Pick<Console, 'log' | 'warn' | 'error'>;

export interface AppDeps extends ServiceDeps {
  config: Config;
  /** Defaults to `console`. */
  logger?: Logger;
  /** GraphQL plugins of the runtime (Node: graphql-jit); none on Workers. */
  graphqlPlugins?: Plugin[];
  /** Requests per principal and minute (Node: in memory; Workers: the Rate Limiting bindings). */
  rateLimiter: RateLimiter;
  /** The client's address, for callers without a valid token (Node: the socket; Workers: CF-Connecting-IP). */
  clientAddress?: (c: Context) => string | undefined;
  /** GraphiQL's files and the insights page (Node: from disk; Workers: static assets); none without it. */
  assets?: StaticAssets;
}

/** A GraphQL-shaped error answer from the HTTP layer, before yoga sees the request. */
function errorResponse(
  c: Context,
  status: 413 | 429,
  message: string,
  extensions: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return c.json({ errors: [{ message, extensions }] }, status, headers);
}

/**
 * The CORS headers of an actual (not preflight) request, as Hono's `cors` middleware sets them with
 * the same options: the allowed origin, credentials, the exposed headers, and `Vary: Origin` unless
 * any origin is allowed.
 */
function corsResponseHeaders(options: {
  origin: '*' | ((origin: string) => string | null);
  credentials: boolean;
  exposeHeaders: string[];
}) {
  const { origin } = options;
  return (requestOrigin = ''): Array<[string, string]> => {
    const allowed = origin === '*' ? '*' : origin(requestOrigin);
    return [
      ...(allowed ? [['Access-Control-Allow-Origin', allowed] as [string, string]] : []),
      ...(options.credentials ? [['Access-Control-Allow-Credentials', 'true'] as [string, string]] : []),
      ...(options.exposeHeaders.length > 0 ? [['Access-Control-Expose-Headers', options.exposeHeaders.join(',')] as [string, string]] : []),
      ...(origin === '*' ? [] : [['Vary', 'Origin'] as [string, string]]),
    ];
  };
}

/**
 * Yoga's JSON answer as the runtime's own response, built from its text. Yoga builds its responses
 * with its own fetch implementation; Node's HTTP adapter writes such a response by reading its body
 * as a stream (and waiting for a timer), while a response made here from a string is written at
 * once. Anything else (a GraphiQL page, a stream) keeps its body as it is.
 */
async function asPlainResponse(c: Context, response: Response): Promise<Response> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const type = headers['content-type'] ?? '';
  const json = type.startsWith('application/graphql-response+json') || type.startsWith('application/json');
  // Through the context either way, so that the headers set before the handler (CORS) are on it.
  const body = json ? await response.text() : response.body;
  return body === null
    ? c.body(null, response.status as StatusCode, headers)
    : c.body(body, response.status as ContentfulStatusCode, headers);
}

/**
 * The whole HTTP surface, independent of the runtime: `node.ts` and `worker.ts` build the deps and
 * hand requests to this app. Build it once per process or isolate, not per request.
 *
 * @example
 * const app = createApp({ db, serializer, clock: systemClock, config, fingerprints: config.fingerprints, rateLimiter });
 * const response = await app.request('/health');
 */
export function createApp(deps: AppDeps) {
  const { config, rateLimiter } = deps;
  const services = createServices({ ...deps, events: deps.events ?? eventsOptions(config) });
  const logger = deps.logger ?? console;
  const verifyToken = createTokenVerifier(config.auth);
  const graphql = createGraphQLServer({ config, services, rateLimiter, logger, plugins: deps.graphqlPlugins });
  const app = new Hono();

  app.get('/health', async (c) => {
    const { environment } = config;
    const database = await checkDatabase(deps.db);
    if (database.ok) return c.json({ status: 'ok', environment, database: 'ok' });
    logger.error(`/health: ${database.reason}`);
    // Production says what is wrong without the details, which stay in the log.
    const reason = environment === 'production' ? 'the database is unavailable (details in the server log)' : database.reason;
    return c.json({ status: 'unavailable', environment, database: 'unavailable', reason }, 503);
  });
  if (config.graphql.graphiql) app.get('/', (c) => c.redirect('/graphql'));
  if (deps.assets) {
    app.get(`${ASSETS_PATH}/*`, deps.assets);
    for (const route of Object.keys(PAGES)) app.get(route, deps.assets);
  }

  // Browsers may call from the configured origins only ('*': any, without credentials).
  const anyOrigin = config.cors.origins.includes('*');
  const corsOptions = {
    origin: anyOrigin ? ('*' as const) : (origin: string) => (config.cors.origins.includes(origin) ? origin : null),
    credentials: config.cors.credentials && !anyOrigin,
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['authorization', 'content-type'],
    exposeHeaders: ['retry-after'],
    maxAge: 600,
  };
  app.options('/graphql', cors(corsOptions));
  // The same headers on the answers themselves, set before the handler's response is made: Hono's
  // cors middleware would set them on a response of its own first, and Hono would then copy the
  // handler's response into a new one through its body stream (written chunk by chunk on Node).
  const corsHeaders = corsResponseHeaders(corsOptions);
  app.on(['GET', 'POST'], '/graphql', async (c, next) => {
    for (const [name, value] of corsHeaders(c.req.header('origin'))) c.header(name, value, { append: name === 'Vary' });
    await next();
  });
  app.post(
    '/graphql',
    bodyLimit({
      maxSize: config.bodyLimitBytes,
      onError: (c) =>
        errorResponse(c, 413, `Request body larger than ${config.bodyLimitBytes} bytes`, {
          code: 'PAYLOAD_TOO_LARGE',
          maxBytes: config.bodyLimitBytes,
        }),
    }),
  );
  app.on(['GET', 'POST', 'OPTIONS'], '/graphql', async (c) => {
    const authentication = authenticate(c.req.raw, verifyToken, services);
    const principal = await authentication.catch(() => null);
    const { bucket, key } = rateLimitSubject(principal, deps.clientAddress?.(c) ?? 'unknown');
    const decision = await rateLimiter(bucket, key);
    if (!decision.allowed) {
      const { message, extensions } = rateLimitedError(decision);
      const { http: _http, ...publicExtensions } = extensions;
      return errorResponse(c, 429, message, publicExtensions, { 'Retry-After': String(decision.retryAfterSeconds) });
    }
    // A rejected `authentication` is awaited again, and answered as 401, by yoga's context factory.
    return asPlainResponse(c, await graphql.fetch(c.req.raw, { authentication, rateLimitKey: key }));
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
