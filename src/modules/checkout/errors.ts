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
    super({ expectedDiscount, currentDiscount }, `The cart discount is now ${currentDiscount}, not the expected ${expectedDiscount}: quote it again`);
  }
}

/** So many orders raced for the same offer limit at once that this one could not settle; nothing was recorded. */
export class CheckoutContendedError extends DomainError<{ orderId: string }> {
  static override readonly code = 'CHECKOUT_CONTENDED';
  constructor(orderId: string) {
    super({ orderId }, `Order ${orderId} competed with too many others for the same offer limit: record it again`);
  }
}

registerDomainErrors(DuplicateOrderError, OrderNotFoundError, RefundExceedsOrderError, CheckoutChangedError, CheckoutContendedError);
