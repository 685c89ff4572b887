import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitBucket, RateLimiter } from '../rate-limit/limiter';

/**
 * Node's limiter: a fixed one-minute window per key and bucket, in this process's memory
 * (rate-limiter-flexible). One process serves the embedded database, so one memory is the truth.
 *
 * @example
 * const limit = createMemoryRateLimiter({ anonymous: 60, member: 120, partner: 300, admin: 600, storefront: 1200, expensive: 30 });
 * await limit('anonymous', 'ip:203.0.113.7'); // { allowed: true, retryAfterSeconds: 0 }
 */
export function createMemoryRateLimiter(perMinute: Record<RateLimitBucket, number>): RateLimiter {
  const limiters = new Map(Object.entries(perMinute).map(([bucket, points]) => [bucket, new RateLimiterMemory({ points, duration: 60 })]));
  return async (bucket, key) => {
    try {
      await limiters.get(bucket)!.consume(key);
      return { allowed: true, retryAfterSeconds: 0 };
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
    }
  };
}

/**
 * The client's address on Node: the socket's peer, or, behind a reverse proxy that sets it
 * (TRUST_PROXY=true), the first address of X-Forwarded-For. Never the header otherwise: a client
 * could send a new one with every request to escape its budget.
 */
export function nodeClientAddress(trustProxy: boolean) {
  return (c: Context): string | undefined => {
    if (trustProxy) {
      const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
      if (forwarded) return forwarded;
    }
    return getConnInfo(c).remote.address;
  };
}
