import { createRemoteJWKSet, jwtVerify, errors as joseErrors, type JWTVerifyGetKey } from 'jose';
import type { AuthConfig } from '../../config';
import { claimsSchema, principalFromClaims, type Principal } from './principal';

export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
}

export type TokenVerifier = (token: string) => Promise<Principal>;

const DAY = 24 * 3600;

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
    const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.jwksUrl));
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

  return async (token) => {
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
    return principalFromClaims(claims.data);
  };
}
