import { Hono, type Context } from 'hono';
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

/**
 * The CORS headers of an actual (not preflight) request, as Hono's `cors` middleware sets them with
 * the same options: the allowed origin, credentials, the exposed headers, and `Vary: Origin` unless
 * any origin is allowed. Added to a plain header record (names in lower case, as yoga gives them).
 */
function corsResponseHeaders(options: {
  origin: '*' | ((origin: string) => string | null);
  credentials: boolean;
  exposeHeaders: string[];
}) {
  const { origin } = options;
  const exposed = options.exposeHeaders.join(',');
  return (requestOrigin: string | undefined, headers: Record<string, string>): Record<string, string> => {
    const allowed = origin === '*' ? '*' : origin(requestOrigin ?? '');
    if (allowed) headers['access-control-allow-origin'] = allowed;
    if (options.credentials) headers['access-control-allow-credentials'] = 'true';
    if (exposed) headers['access-control-expose-headers'] = exposed;
    if (origin !== '*') headers.vary = headers.vary ? `${headers.vary}, Origin` : 'Origin';
    return headers;
  };
}

/**
 * Yoga's answer as the status, headers and body of the runtime's own response. Yoga builds its
 * responses with its own fetch implementation; Node's HTTP adapter writes such a response by reading
 * its body as a stream (and waiting for a timer), while a JSON answer taken as text is written at
 * once. Anything else (a GraphiQL page, a stream) keeps its body as it is.
 */
async function answerOf(response: Response) {
  const headers: Record<string, string> = {};
  // Yoga's Headers keep the names as yoga wrote them (`Content-Type`): in lower case here, as the
  // CORS headers added to this record are, so that the JSON answer is recognized and not streamed.
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const type = headers['content-type'] ?? '';
  const json = type.startsWith('application/graphql-response+json') || type.startsWith('application/json');
  return { status: response.status, headers, body: json ? await response.text() : response.body };
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
  // The same headers on every answer of /graphql, in the plain header record it is made with: Hono's
  // cors middleware (or `c.header`) would keep them in a Headers object, which Hono and Node's
  // adapter then copy and sort on the way out, or, set on a response of their own first, make Hono
  // copy the handler's response through its body stream.
  const withCors = corsResponseHeaders(corsOptions);
  const answer = (c: Context, status: number, headers: Record<string, string>, body: BodyInit | null) =>
    new Response(body, { status, headers: withCors(c.req.header('origin'), headers) });
  /** A GraphQL-shaped error answer from the HTTP layer, before yoga sees the request. */
  const errorAnswer = (
    c: Context,
    status: 413 | 429 | 500,
    error: { message: string; extensions: Record<string, unknown> },
    headers = {},
  ) => answer(c, status, { 'content-type': 'application/json', ...headers }, JSON.stringify({ errors: [error] }));
  const tooLarge = (c: Context) =>
    errorAnswer(c, 413, {
      message: `Request body larger than ${config.bodyLimitBytes} bytes`,
      extensions: { code: 'PAYLOAD_TOO_LARGE', maxBytes: config.bodyLimitBytes },
    });
  const countedBodyLimit = bodyLimit({ maxSize: config.bodyLimitBytes, onError: tooLarge });
  app.post('/graphql', async (c, next) => {
    // A body with a Content-Length (and no Transfer-Encoding) is exactly that long: the HTTP parser
    // holds it to it. Checked from the header alone, the body stays untouched until yoga reads it,
    // which on Node is straight from the socket (@hono/node-server's lightweight request). Hono's
    // middleware would first turn the request into a full web Request with a stream body, read again
    // through web streams. Any other body is counted as it arrives.
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return countedBodyLimit(c, next);
    if (Number.parseInt(length, 10) > config.bodyLimitBytes) return tooLarge(c);
    await next();
  });
  app.on(['GET', 'POST'], '/graphql', async (c) => {
    const authentication = authenticate(c.req.raw, verifyToken, services);
    const principal = await authentication.catch(() => null);
    const { bucket, key } = rateLimitSubject(principal, deps.clientAddress?.(c) ?? 'unknown');
    const decision = await rateLimiter(bucket, key);
    if (!decision.allowed) {
      const { message, extensions } = rateLimitedError(decision);
      const { http: _http, ...publicExtensions } = extensions;
      return errorAnswer(c, 429, { message, extensions: publicExtensions }, { 'Retry-After': String(decision.retryAfterSeconds) });
    }
    // A rejected `authentication` is awaited again, and answered as 401, by yoga's context factory.
    // `handleRequest`, not `fetch`: fetch also races the answer against the request's abort signal,
    // which makes Node's adapter create one and listen to it on every request, for nothing: a
    // client that went away gets no answer either way, and execution does not watch the signal.
    const { status, headers, body } = await answerOf(await graphql.handleRequest(c.req.raw, { authentication, rateLimitKey: key }));
    return answer(c, status, headers, body);
  });
  // An unexpected failure outside yoga (which answers its own errors): a GraphQL-shaped 500 that a
  // browser can read (with the CORS headers), the details only in the log.
  app.onError((error, c) => {
    logger.error(`${c.req.method} ${c.req.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (c.req.path !== '/graphql') return c.text('Internal Server Error', 500);
    return errorAnswer(c, 500, { message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
