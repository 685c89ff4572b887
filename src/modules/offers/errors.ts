import { DomainError, registerDomainErrors } from '../../platform/errors';

export class OfferNotFoundError extends DomainError<{ offerId: string }> {
  static override readonly code = 'OFFER_NOT_FOUND';
  constructor(offerId: string) {
    super({ offerId }, `No offer ${offerId} in this program`);
  }
}

export class DuplicatePromoCodeError extends DomainError<{ code: string }> {
  static override readonly code = 'DUPLICATE_PROMO_CODE';
  constructor(code: string) {
    super({ code }, `The code ${code} exists already in this program`);
  }
}

export class PromoCodeNotFoundError extends DomainError<{ code: string }> {
  static override readonly code = 'PROMO_CODE_NOT_FOUND';
  constructor(code: string) {
    super({ code }, `No promo code ${code} in this program`);
  }
}

registerDomainErrors(OfferNotFoundError, DuplicatePromoCodeError, PromoCodeNotFoundError);
