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

/** A voucher code this program does not have. */
export class VoucherNotFoundError extends DomainError<{ code: string }> {
  static override readonly code = 'VOUCHER_NOT_FOUND';
  constructor(code: string) {
    super({ code }, `No voucher ${code} in this program`);
  }
}

/** A code of another partner's campaign (or of a host offer): a partner redeems only vouchers of its own campaigns. */
export class VoucherOfAnotherPartnerError extends DomainError<{ code: string }> {
  static override readonly code = 'VOUCHER_OF_ANOTHER_PARTNER';
  constructor(code: string) {
    super({ code }, `Voucher ${code} is not one of this partner's campaigns`);
  }
}

export class VoucherAlreadyRedeemedError extends DomainError<{ code: string }> {
  static override readonly code = 'VOUCHER_ALREADY_REDEEMED';
  constructor(code: string) {
    super({ code }, `Voucher ${code} has been redeemed already`);
  }
}

/** A voucher voided (the order that earned it was refunded) or whose campaign has ended. */
export class VoucherVoidError extends DomainError<{ code: string }> {
  static override readonly code = 'VOUCHER_VOID';
  constructor(code: string) {
    super({ code }, `Voucher ${code} is void`);
  }
}

export class VoucherExpiredError extends DomainError<{ code: string; expiredAt: string }> {
  static override readonly code = 'VOUCHER_EXPIRED';
  constructor(code: string, expiredAt: Date) {
    super({ code, expiredAt: expiredAt.toISOString() }, `Voucher ${code} expired at ${expiredAt.toISOString()}`);
  }
}

/** A voucher that cannot be redeemed on this order for another reason (its campaign paused, its budget spent, a minimum spend …). */
export class VoucherNotRedeemableError extends DomainError<{ code: string; reason: string }> {
  static override readonly code = 'VOUCHER_NOT_REDEEMABLE';
  constructor(code: string, reason: string) {
    super({ code, reason }, `Voucher ${code} cannot be redeemed here: ${reason.toUpperCase()}`);
  }
}

registerDomainErrors(
  VoucherNotFoundError,
  VoucherOfAnotherPartnerError,
  VoucherAlreadyRedeemedError,
  VoucherVoidError,
  VoucherExpiredError,
  VoucherNotRedeemableError,
);
registerDomainErrors(
  PartnerNotFoundError,
  PartnerNotActiveError,
  InsufficientPartnerFundsError,
  CreditLimitBelowOwedError,
  PartnerCampaignNotFoundError,
  CampaignTransitionNotAllowedError,
  VoucherLimitReachedError,
);
