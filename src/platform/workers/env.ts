/** Bindings and secrets the Worker reads; `Env` comes from `wrangler types` (wrangler.toml). */
export type WorkerEnv = Env & {
  JWT_SECRET?: string;
  FINGERPRINT_SECRET?: string;
  FINGERPRINT_PREVIOUS_SECRETS?: string;
  JWT_JWKS_URL?: string;
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
  LIBSQL_AUTH_TOKEN?: string;
  /**
   * Optional service binding to reach libSQL through another Worker (or, in tests, a Node function)
   * instead of the public internet; requests still go to LIBSQL_URL's path.
   */
  LIBSQL_SERVICE?: Fetcher;
  /** Optional service binding that webhook deliveries go through instead of `fetch` (tests: a local receiver). */
  WEBHOOK_OUTBOUND?: Fetcher;
};
