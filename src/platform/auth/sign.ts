import { SignJWT } from 'jose';
import type { Role } from './principal';

export interface TokenRequest {
  role: Role;
  programId: string;
  /** Member id for `member`, a key or user id otherwise. */
  subject: string;
  partnerId?: string;
  expiresIn?: string;
  issuer?: string;
  audience?: string;
}

/**
 * Signs an HS256 token with the claims edge-loyalty reads; for `npm run token` and tests. Production
 * issuers may use any JWT library, as long as they put `role`, `program` and `sub` (and `partner`).
 */
export async function signToken(secret: string, request: TokenRequest): Promise<string> {
  const claims: Record<string, string> = { role: request.role, program: request.programId };
  if (request.partnerId) claims.partner = request.partnerId;
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.subject)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '1h');
  if (request.issuer) jwt.setIssuer(request.issuer);
  if (request.audience) jwt.setAudience(request.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
