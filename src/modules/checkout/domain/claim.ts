import { DAY_MS } from '../../../platform/time';
import { ClaimWindowClosedError, OrderAlreadyClaimedError, OrderOfAnotherMemberError } from '../errors';

/**
 * Whether `memberId` may claim the order now: a guest's order (no member yet), placed at most
 * `guestClaimDays` days ago. Throws the typed reason otherwise.
 */
export function checkClaim(
  order: { orderId: string; memberId: string | null; createdAt: Date },
  memberId: string,
  guestClaimDays: number,
  now: Date,
): void {
  if (order.memberId === memberId) throw new OrderAlreadyClaimedError(order.orderId);
  if (order.memberId !== null) throw new OrderOfAnotherMemberError(order.orderId);
  const claimableUntil = new Date(order.createdAt.getTime() + guestClaimDays * DAY_MS);
  if (guestClaimDays === 0 || now > claimableUntil) throw new ClaimWindowClosedError(order.orderId, claimableUntil);
}

/** The points a claim earns: what the order earned when it was recorded, less what refunds took since. */
export const claimablePoints = (order: { pointsEarned: number; pointsClawedBack: number }) => order.pointsEarned - order.pointsClawedBack;
