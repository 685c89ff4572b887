import { createRemoteJWKSet, jwtVerify, errors as joseErrors, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import type { AuthConfig } from '../../config';
import { claimsSchema, principalFromClaims, type Principal } from './principal';

export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
}

export type TokenVerifier = (token: string) => Promise<Principal>;

const DAY = 24 * 3600;

/** How many verified tokens a verifier remembers (an LRU): a few MB at most. */
const VERIFIED_TOKENS = 10_000;
/**
 * With a JWKS, how long a remembered token is trusted without verifying it again: a key removed
 * from the set stops being accepted this long after jose's own copy of the set is refreshed.
 */
const KEY_SET_RECHECK_MS = 60_000;
/** How long jose keeps a fetched JWKS before fetching it again (its default is 10 minutes). */
const KEY_SET_MAX_AGE_MS = 5 * 60_000;

/**
 * A stolen token is only good until it expires: its lifetime (exp − iat, or exp − now without
 * iat) is bounded per role, and an `iat` in the future (beyond the clock skew) is refused.
 */
function checkLifetime(claims: { exp?: number; iat?: number }, maxSeconds: number, clockSkew: number): void {
  const now = Math.floor(Date.now() / 1000);
  if (claims.iat !== undefined && claims.iat > now + clockSkew) throw new AuthenticationError('Token issued in the future (iat)');
  const lifetime = claims.exp! - (claims.iat ?? now);
  if (lifetime > maxSeconds)
    throw new AuthenticationError(`Token lives too long: at most ${maxSeconds} seconds from iat to exp for this role`);
}

/**
 * Builds the JWT verifier once per app: HS256 with a shared secret, or RS256/ES256/EdDSA keys from a
 * JWKS URL (fetched lazily and cached by jose). Options are checked here, not per request.
 *
 * @example
 * const verify = createTokenVerifier({ secret: process.env.JWT_SECRET, usingDevelopmentSecret: false });
 * const principal = await verify(bearerToken); // { role: 'admin', programId: 'default', ... }
 */
export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  const clockSkew = config.clockSkewSeconds ?? 60;
  const maxLifetime = config.maxLifetimeSeconds ?? { member: DAY, other: DAY };
  // jose checks `exp` (required) and `nbf` with the skew as tolerance; the lifetime and a future `iat` are checked below.
  const options = { issuer: config.issuer, audience: config.audience, requiredClaims: ['exp'], clockTolerance: clockSkew };
  let verify: (token: string) => Promise<{ payload: unknown }>;
  if (config.jwksUrl) {
    const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.jwksUrl), { cacheMaxAge: KEY_SET_MAX_AGE_MS });
    verify = (token) => jwtVerify(token, keys, { ...options, algorithms: ['RS256', 'ES256', 'EdDSA'] });
  } else if (config.secret) {
    // Imported once: handing jose the raw bytes would re-import the HMAC key on every request.
    const secret = new TextEncoder().encode(config.secret);
    let key: Promise<CryptoKey> | undefined;
    verify = async (token) => {
      key ??= crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
      return jwtVerify(token, await key, { ...options, algorithms: ['HS256'] });
    };
  } else {
    throw new Error('createTokenVerifier needs a secret or a JWKS URL');
  }

  const checkSignature = async (token: string): Promise<{ principal: Principal; exp: number }> => {
    let payload: unknown;
    try {
      ({ payload } = await verify(token));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new AuthenticationError('Token expired');
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'exp')
        throw new AuthenticationError('Token has no expiry (exp): every token must expire');
      if (error instanceof joseErrors.JOSEError) throw new AuthenticationError('Invalid token');
      throw error;
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) {
      throw new AuthenticationError('Token lacks a valid role, program or subject claim');
    }
    checkLifetime(claims.data, claims.data.role === 'member' ? maxLifetime.member : maxLifetime.other, clockSkew);
    return { principal: principalFromClaims(claims.data), exp: claims.data.exp! };
  };

  // A client sends the same token with every request until it expires: its signature and claims are
  // checked once, and the token (the whole string, signature included) is remembered until the
  // moment jose would call it expired. Only tokens that passed are remembered.
  const verified = new LRUCache<string, { principal: Principal; expiresAt: number }>({ max: VERIFIED_TOKENS });
  const recheckAfter = config.jwksUrl ? KEY_SET_RECHECK_MS : Number.POSITIVE_INFINITY;
  return async (token) => {
    const now = Date.now();
    const known = verified.get(token);
    if (known && now < known.expiresAt) return { ...known.principal };
    const { principal, exp } = await checkSignature(token);
    verified.set(token, { principal, expiresAt: Math.min((exp + clockSkew) * 1000, now + recheckAfter) });
    return { ...principal };
  };
}
