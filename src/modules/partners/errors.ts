import { DomainError, registerDomainErrors } from '../../platform/errors';

export class PartnerNotFoundError extends DomainError<{ partnerId: string }> {
  static override readonly code = 'PARTNER_NOT_FOUND';
  constructor(partnerId: string) {
    super({ partnerId }, `No partner ${partnerId} in this program`);
  }
}

/** A suspended or archived partner funds nothing new: no campaigns, vouchers or deposits. */
export class PartnerNotActiveError extends DomainError<{ partnerId: string; status: string }> {
  static override readonly code = 'PARTNER_NOT_ACTIVE';
  constructor(partnerId: string, status: string) {
    super({ partnerId, status }, `Partner ${partnerId} is ${status}`);
  }
}

export class InsufficientPartnerFundsError extends DomainError<{ partnerId: string; requested: number; available: number }> {
  static override readonly code = 'INSUFFICIENT_PARTNER_FUNDS';
  constructor(partnerId: string, requested: number, available: number) {
    super({ partnerId, requested, available }, `Partner ${partnerId} holds ${available}; ${requested} cannot be withdrawn`);
  }
}

/** Lowering a postpaid partner's credit limit below what it already owes. */
export class CreditLimitBelowOwedError extends DomainError<{ partnerId: string; owed: number }> {
  static override readonly code = 'CREDIT_LIMIT_BELOW_OWED';
  constructor(partnerId: string, owed: number) {
    super({ partnerId, owed }, `Partner ${partnerId} already owes ${owed}: the credit limit cannot be lower`);
  }
}

export class PartnerCampaignNotFoundError extends DomainError<{ campaignId: string }> {
  static override readonly code = 'PARTNER_CAMPAIGN_NOT_FOUND';
  constructor(campaignId: string) {
    super({ campaignId }, `No partner campaign ${campaignId} that this token may change`);
  }
}

export class CampaignTransitionNotAllowedError extends DomainError<{ campaignId: string; status: string; action: string }> {
  static override readonly code = 'CAMPAIGN_TRANSITION_NOT_ALLOWED';
  constructor(campaignId: string, status: string, action: string) {
    super({ campaignId, status, action }, `A ${status.toUpperCase()} campaign cannot ${action} (campaign ${campaignId})`);
  }
}

export class VoucherLimitReachedError extends DomainError<{ campaignId: string; requested: number; left: number }> {
  static override readonly code = 'VOUCHER_LIMIT_REACHED';
  constructor(campaignId: string, requested: number, left: number) {
    super({ campaignId, requested, left }, `Campaign ${campaignId} may issue ${left} more vouchers, not ${requested}`);
  }
}

registerDomainErrors(
  PartnerNotFoundError,
  PartnerNotActiveError,
  InsufficientPartnerFundsError,
  CreditLimitBelowOwedError,
  PartnerCampaignNotFoundError,
  CampaignTransitionNotAllowedError,
  VoucherLimitReachedError,
);
