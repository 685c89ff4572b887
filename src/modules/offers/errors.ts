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

/** A `partnerVoucher` effect naming a partner campaign that this program does not have. */
export class VoucherCampaignNotFoundError extends DomainError<{ campaignId: string }> {
  static override readonly code = 'VOUCHER_CAMPAIGN_NOT_FOUND';
  constructor(campaignId: string) {
    super({ campaignId }, `No partner campaign ${campaignId} in this program`);
  }
}

/** A `partnerVoucher` effect naming a partner campaign that is not ACTIVE (or whose partner is not). */
export class VoucherCampaignNotActiveError extends DomainError<{ campaignId: string; status: string }> {
  static override readonly code = 'VOUCHER_CAMPAIGN_NOT_ACTIVE';
  constructor(campaignId: string, status: string) {
    super(
      { campaignId, status },
      `Partner campaign ${campaignId} is ${status.toUpperCase()}; an offer can give vouchers of an ACTIVE campaign only`,
    );
  }
}

registerDomainErrors(
  OfferNotFoundError,
  DuplicatePromoCodeError,
  PromoCodeNotFoundError,
  VoucherCampaignNotFoundError,
  VoucherCampaignNotActiveError,
);
