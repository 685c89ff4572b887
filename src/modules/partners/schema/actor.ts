import { z } from 'zod';
import type { GraphQLContext } from '../../../graphql/context';
import { requireId } from '../../../graphql/global-ids';
import { InvalidInputError } from '../../../platform/errors';
import { DAY_MS } from '../../../platform/time';
import type { PartnerActor } from '../domain';
import { PartnerNotFoundError } from '../errors';

/** The caller as a partner actor: the host's admin, or one partner. */
export function actorOf(context: GraphQLContext): PartnerActor {
  const principal = context.principal;
  return principal?.role === 'partner' ? { kind: 'partner', partnerId: principal.partnerId } : { kind: 'admin' };
}

const partnerIdFrom = (globalId: string | number) => requireId('Partner', globalId, (raw) => new PartnerNotFoundError(raw));

/** The partner a token asks about: any for the host; a partner token only itself (another is "not found"). */
export function visiblePartnerId(context: GraphQLContext, globalId: string | number): string {
  const partnerId = partnerIdFrom(globalId);
  const actor = actorOf(context);
  if (actor.kind === 'partner' && actor.partnerId !== partnerId) throw new PartnerNotFoundError(String(globalId));
  return partnerId;
}

/**
 * The partner a request acts for: a partner token's own (naming another is "not found"), or the one
 * the host names in `input.partnerId` (required there; `why` says what for).
 */
export function actingPartnerId(context: GraphQLContext, globalId: string | number | null | undefined, why: string): string {
  if (globalId != null) return visiblePartnerId(context, globalId);
  const actor = actorOf(context);
  if (actor.kind === 'partner') return actor.partnerId;
  throw new InvalidInputError([{ path: ['input', 'partnerId'], message: `the host names the partner ${why}` }]);
}

/** A [from, to) window of a partner's figures, to after from, at most `maxDays` long when given. */
export const windowSchema = (maxDays?: number) =>
  z
    .object({ from: z.date(), to: z.date() })
    .refine((window) => window.from < window.to, { message: 'must be after from', path: ['to'] })
    .refine((window) => maxDays === undefined || window.to.getTime() - window.from.getTime() <= maxDays * DAY_MS, {
      message: `at most ${maxDays} days`,
      path: ['to'],
    });
