import { DomainError, registerDomainErrors } from '../../platform/errors';

export class DuplicateOrderError extends DomainError<{ orderId: string }> {
  static override readonly code = 'DUPLICATE_ORDER';
  constructor(orderId: string) {
    super({ orderId }, `Order ${orderId} is already recorded (under another idempotency key)`);
  }
}

export class OrderNotFoundError extends DomainError<{ orderId: string }> {
  static override readonly code = 'ORDER_NOT_FOUND';
  constructor(orderId: string) {
    super({ orderId }, `No order ${orderId} in this program`);
  }
}

export class RefundExceedsOrderError extends DomainError<{ orderId: string; requested: number; refundable: number }> {
  static override readonly code = 'REFUND_EXCEEDS_ORDER';
  constructor(orderId: string, requested: number, refundable: number) {
    super({ orderId, requested, refundable }, `Refund of ${requested} exceeds what is left to refund on order ${orderId} (${refundable})`);
  }
}

/** The storefront priced the order with a discount checkout no longer gives (an offer ran out, a code was used). */
export class CheckoutChangedError extends DomainError<{ expectedDiscount: number; currentDiscount: number }> {
  static override readonly code = 'CHECKOUT_CHANGED';
  constructor(expectedDiscount: number, currentDiscount: number) {
    super(
      { expectedDiscount, currentDiscount },
      `The cart discount is now ${currentDiscount}, not the expected ${expectedDiscount}: quote it again`,
    );
  }
}

/** So many orders raced for the same offer limit at once that this one could not settle; nothing was recorded. */
export class CheckoutContendedError extends DomainError<{ orderId: string }> {
  static override readonly code = 'CHECKOUT_CONTENDED';
  constructor(orderId: string) {
    super({ orderId }, `Order ${orderId} competed with too many others for the same offer limit: record it again`);
  }
}

/** An order's placedAt is in the future, or further back than the program's maxBackdateDays; nothing was recorded. */
export class PlacedAtOutOfRangeError extends DomainError<{ placedAt: string; earliest: string; latest: string }> {
  static override readonly code = 'PLACED_AT_OUT_OF_RANGE';
  constructor(placedAt: Date, earliest: Date, latest: Date) {
    const [given, from, to] = [placedAt, earliest, latest].map((date) => date.toISOString()) as [string, string, string];
    super(
      { placedAt: given, earliest: from, latest: to },
      placedAt > latest
        ? `placedAt ${given} is in the future (now is ${to})`
        : `placedAt ${given} is before ${from}, the earliest this program accepts`,
    );
  }
}

/** The order was claimed already (by this member), or was recorded for them in the first place. */
export class OrderAlreadyClaimedError extends DomainError<{ orderId: string }> {
  static override readonly code = 'ORDER_ALREADY_CLAIMED';
  constructor(orderId: string) {
    super({ orderId }, `Order ${orderId} already belongs to this member`);
  }
}

/** The order belongs to another member (recorded for them, or claimed by them). */
export class OrderOfAnotherMemberError extends DomainError<{ orderId: string }> {
  static override readonly code = 'ORDER_OF_ANOTHER_MEMBER';
  constructor(orderId: string) {
    super({ orderId }, `Order ${orderId} belongs to another member`);
  }
}

/** The guest order is older than the program's guestClaimDays. */
export class ClaimWindowClosedError extends DomainError<{ orderId: string; claimableUntil: string }> {
  static override readonly code = 'CLAIM_WINDOW_CLOSED';
  constructor(orderId: string, claimableUntil: Date) {
    super(
      { orderId, claimableUntil: claimableUntil.toISOString() },
      `Order ${orderId} could be claimed until ${claimableUntil.toISOString()}`,
    );
  }
}

/** The cart id is tracked for another member of the program; nothing changed. */
export class CartOfAnotherMemberError extends DomainError<{ cartId: string }> {
  static override readonly code = 'CART_OF_ANOTHER_MEMBER';
  constructor(cartId: string) {
    super({ cartId }, `Cart ${cartId} belongs to another member`);
  }
}

/** The member already has as many open carts as a member may; nothing changed. */
export class TooManyCartsError extends DomainError<{ limit: number }> {
  static override readonly code = 'TOO_MANY_CARTS';
  constructor(limit: number) {
    super({ limit }, `A member has at most ${limit} open carts: order or empty one first`);
  }
}

registerDomainErrors(
  CartOfAnotherMemberError,
  TooManyCartsError,
  DuplicateOrderError,
  OrderNotFoundError,
  RefundExceedsOrderError,
  CheckoutChangedError,
  CheckoutContendedError,
  PlacedAtOutOfRangeError,
  OrderAlreadyClaimedError,
  OrderOfAnotherMemberError,
  ClaimWindowClosedError,
);
