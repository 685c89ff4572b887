import type { Principal } from '../platform/auth/principal';
import type { Services } from '../services';

/** Built per request by the yoga context factory; nothing in it outlives the request. */
export interface GraphQLContext {
  principal: Principal | null;
  services: Services;
  /** Whom the request counts against for rate limits (the token's subject, else the client's address). */
  rateLimitKey: string;
  /**
   * Objects a resolver already read in this request (a quote's offers and tiers), by typename and
   * id (`Offer:…`): the fields that point to them resolve from here, not from another round trip.
   */
  readInRequest: Map<string, unknown>;
}

/** The caller's program; only reachable from fields whose auth scopes demand a principal. */
export function programIdOf(context: GraphQLContext): string {
  if (!context.principal) throw new Error('programIdOf called on an unauthenticated request');
  return context.principal.programId;
}
