import type { Clock } from '../../platform/clock';
import type { checkoutCommands } from './commands';
import type { Database } from '../../platform/db/database';
import { memberKey, type Serializer } from '../../platform/serializer/serializer';
import { OrderNotFoundError } from './errors';
import { MemberErasedError } from '../members';
import type { ClaimOrderInput } from './commands/claim-order';
import { checkoutCart, loadShopper, needsOf, type CheckoutCart } from './context';
import { codeEligibility, shopperEligibility } from '../offers';
import { byEvaluationOrder } from '../offers';
import type { Offer } from '../offers';
import { heldCodes } from '../offers';
import { activeAutomaticOffers } from '../offers';
import { quoteResult } from './quote';
import { trackCart, type TrackCartRequest } from './carts';
import { findOrder } from '../orders';

export type CheckoutService = ReturnType<typeof createCheckoutService>;

/**
 * The serializer an order's commands run in: its member's, or for a guest's order (no member's
 * balances to order) one of its own, which its refunds and its claim share.
 */
export const orderKey = (programId: string, memberId: string | null, orderId: string) =>
  memberKey(programId, memberId ?? `guest:${orderId}`);

/** Quotes carts (pure, no writes) and links guest orders to the members who claim them. */
export function createCheckoutService({
  db,
  clock,
  serializer,
}: {
  db: Database;
  clock: Clock;
  serializer: Serializer<typeof checkoutCommands>;
}) {
  return {
    /**
     * Offers the member can use now on a suitable cart (conditions on the cart itself, like a
     * minimum spend or an attribute, are left to checkout), with the codes they hold for them.
     */
    async availableOffers(programId: string, memberId: string) {
      const now = clock.now();
      const offersInPlay = Promise.all([activeAutomaticOffers(db, programId), heldCodes(db, programId, memberId)]);
      const needs = offersInPlay.then(([automatic, held]) =>
        needsOf(
          [...automatic, ...held.map(({ offer }) => offer)],
          held.map(({ promoCode }) => promoCode),
          now,
        ),
      );
      const [loaded, [automatic, held]] = await Promise.all([
        // An erased member can no longer use offers: what is left of them to read is none.
        loadShopper(db, programId, memberId, now, needs).catch((error: unknown) => {
          if (error instanceof MemberErasedError) return null;
          throw error;
        }),
        offersInPlay,
      ]);
      if (!loaded) return [];
      const { shopper } = loaded;
      const available = new Map<string, { offer: Offer; codes: string[] }>();
      for (const offer of automatic) if (!shopperEligibility(offer, shopper, now)) available.set(offer.id, { offer, codes: [] });
      for (const { promoCode, offer } of held) {
        if (codeEligibility(promoCode, shopper, null, now) || shopperEligibility(offer, shopper, now)) continue;
        const entry = available.get(offer.id) ?? { offer, codes: [] };
        available.set(offer.id, { ...entry, codes: [...entry.codes, promoCode.code] });
      }
      return [...available.values()].sort((a, b) => byEvaluationOrder(a.offer, b.offer));
    },

    /** The quote, and the offers and tiers it read (so that their fields need no other read). */
    async quote(programId: string, cart: CheckoutCart) {
      const checkout = await checkoutCart(db, programId, cart, clock.now());
      return { ...quoteResult(cart, checkout), offersRead: checkout.offersRead, tiersRead: checkout.tierContext?.tiers ?? [] };
    },

    /** Records the member's cart as it is now, answering with its quote; an empty cart is forgotten. */
    trackCart(programId: string, cart: TrackCartRequest) {
      return trackCart(db, programId, cart, clock.now());
    },

    /** Links a guest's order to a member, who earns its points; in the guest order's serializer, with its refunds. */
    async claimOrder(programId: string, input: Omit<ClaimOrderInput, 'programId'>) {
      const order = await findOrder(db, programId, input.orderId);
      if (!order) throw new OrderNotFoundError(input.orderId);
      return serializer.execute(orderKey(programId, order.memberId, input.orderId), 'checkout.claimOrder', { ...input, programId });
    },
  };
}
