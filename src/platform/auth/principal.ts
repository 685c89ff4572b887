import { z } from 'zod';

export const roles = ['admin', 'storefront', 'member', 'partner'] as const;
export type Role = (typeof roles)[number];

/** Who is calling, bound to exactly one program (tenant). */
export type Principal =
  | { role: 'admin' | 'storefront'; programId: string; subject: string }
  | { role: 'member'; programId: string; subject: string; memberId: string }
  | { role: 'partner'; programId: string; subject: string; partnerId: string };

/** The claims edge-loyalty reads from a verified JWT. */
const times = { exp: z.number().optional(), iat: z.number().optional() };

export const claimsSchema = z.discriminatedUnion('role', [
  z.object({ role: z.enum(['admin', 'storefront']), program: z.string().min(1), sub: z.string().min(1), ...times }),
  z.object({ role: z.literal('member'), program: z.string().min(1), sub: z.string().min(1), ...times }),
  z.object({
    role: z.literal('partner'),
    program: z.string().min(1),
    sub: z.string().min(1),
    partner: z.string().min(1),
    ...times,
  }),
]);

export function principalFromClaims(claims: z.infer<typeof claimsSchema>): Principal {
  switch (claims.role) {
    case 'member':
      return { role: 'member', programId: claims.program, subject: claims.sub, memberId: claims.sub };
    case 'partner':
      return { role: 'partner', programId: claims.program, subject: claims.sub, partnerId: claims.partner };
    default:
      return { role: claims.role, programId: claims.program, subject: claims.sub };
  }
}
