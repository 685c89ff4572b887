import type { Principal } from '../auth/principal';

/** A budget of requests per minute: one per role, one for callers without a valid token, one for expensive operations. */
export type RateLimitBucket = 'anonymous' | 'member' | 'partner' | 'admin' | 'storefront' | 'expensive';

export interface RateLimitDecision {
  allowed: boolean;
  /** When refused: seconds until the caller may try again. */
  retryAfterSeconds: number;
}

/** Counts one request of `key` against `bucket`'s budget. */
export type RateLimiter = (bucket: RateLimitBucket, key: string) => Promise<RateLimitDecision>;

/**
 * Who a request counts against: the token's subject in its program and role (a stolen storefront key
 * is throttled as that key, from any address), else the client's address.
 */
export function rateLimitSubject(principal: Principal | null, clientAddress: string): { bucket: RateLimitBucket; key: string } {
  if (!principal) return { bucket: 'anonymous', key: `ip:${clientAddress}` };
  return { bucket: principal.role, key: `${principal.role}:${principal.programId}:${principal.subject}` };
}
