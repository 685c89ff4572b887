import { DomainError, registerDomainErrors } from '../../platform/errors';

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

registerDomainErrors(CheckoutChangedError, CheckoutContendedError);
