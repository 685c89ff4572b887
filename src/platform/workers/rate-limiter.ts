import type { RateLimitBucket, RateLimiter } from '../rate-limit/limiter';

/** The Rate Limiting bindings of wrangler.toml (`[[ratelimits]]`), one per bucket; each sets its own limit and period. */
export const rateLimitBindings: Record<RateLimitBucket, string> = {
  anonymous: 'RATE_LIMIT_ANONYMOUS',
  member: 'RATE_LIMIT_MEMBER',
  partner: 'RATE_LIMIT_PARTNER',
  admin: 'RATE_LIMIT_ADMIN',
  storefront: 'RATE_LIMIT_STOREFRONT',
  expensive: 'RATE_LIMIT_EXPENSIVE',
};

/**
 * Workers' limiter: Cloudflare's Rate Limiting binding, counted at the edge location that serves the
 * request, with no storage round trip. The binding does not say when its window ends, so a refusal
 * asks the client to wait one period (`period` of the binding, 60 s in wrangler.toml).
 */
export function createBindingRateLimiter(env: object, periodSeconds = 60): RateLimiter {
  const bindings = Object.fromEntries(
    Object.entries(rateLimitBindings).map(([bucket, name]) => {
      const binding = (env as Record<string, RateLimit | undefined>)[name];
      if (!binding) throw new Error(`The Rate Limiting binding ${name} is missing: declare it under [[ratelimits]] in wrangler.toml`);
      return [bucket, binding];
    }),
  ) as Record<RateLimitBucket, RateLimit>;
  return async (bucket, key) => {
    const { success } = await bindings[bucket].limit({ key });
    return { allowed: success, retryAfterSeconds: success ? 0 : periodSeconds };
  };
}
