import { DomainError, registerDomainErrors } from '../../platform/errors';

export class InsufficientPointsError extends DomainError<{ requested: number; available: number }> {
  static override readonly code = 'INSUFFICIENT_POINTS';
  constructor(requested: number, available: number) {
    super({ requested, available }, `Not enough points: ${requested} requested, ${available} available`);
  }
}

export class BelowMinimumRedemptionError extends DomainError<{ requested: number; minimum: number }> {
  static override readonly code = 'BELOW_MINIMUM_REDEMPTION';
  constructor(requested: number, minimum: number) {
    super({ requested, minimum }, `At least ${minimum} points must be redeemed at once (${requested} requested)`);
  }
}

export class RedemptionExceedsTotalError extends DomainError<{ requested: number; maximum: number }> {
  static override readonly code = 'REDEMPTION_EXCEEDS_TOTAL';
  constructor(requested: number, maximum: number) {
    super({ requested, maximum }, `${requested} points are worth more than the order; at most ${maximum} can pay for it`);
  }
}

/** Points pay in whole steps (e.g. 2 points = 1 cent); `lower`/`higher` are the nearest amounts this order takes. */
export class PointsNotWholeStepError extends DomainError<{
  requested: number;
  stepPoints: number;
  stepValue: number;
  lower: number | null;
  higher: number | null;
}> {
  static override readonly code = 'POINTS_NOT_WHOLE_STEP';
  constructor(requested: number, step: { points: number; value: number }, lower: number | null, higher: number | null) {
    const nearest = [lower, higher].filter((amount) => amount !== null).join(' or ');
    super(
      { requested, stepPoints: step.points, stepValue: step.value, lower, higher },
      `Points pay in whole steps of ${step.points} (worth ${step.value}); ${requested} is not one${nearest ? `: redeem ${nearest}` : ''}`,
    );
  }
}

export class WalletPaymentExceedsTotalError extends DomainError<{ requested: number; maximum: number }> {
  static override readonly code = 'WALLET_PAYMENT_EXCEEDS_TOTAL';
  constructor(requested: number, maximum: number) {
    super({ requested, maximum }, `A wallet payment of ${requested} is more than the order leaves to pay (${maximum})`);
  }
}

export class InsufficientWalletBalanceError extends DomainError<{ currency: string; requested: number; available: number }> {
  static override readonly code = 'INSUFFICIENT_WALLET_BALANCE';
  constructor(currency: string, requested: number, available: number) {
    super({ currency, requested, available }, `Not enough ${currency} in the wallet: ${requested} requested, ${available} available`);
  }
}

export class IdempotencyConflictError extends DomainError<{ idempotencyKey: string }> {
  static override readonly code = 'IDEMPOTENCY_CONFLICT';
  constructor(idempotencyKey: string) {
    super({ idempotencyKey }, `Idempotency key "${idempotencyKey}" was already used for a different request`);
  }
}

export class CurrencyMismatchError extends DomainError<{ expected: string; given: string }> {
  static override readonly code = 'CURRENCY_MISMATCH';
  constructor(expected: string, given: string) {
    super({ expected, given }, `This program earns on ${expected} orders, not ${given}`);
  }
}

export class TransferNotFoundError extends DomainError<{ transferId: string }> {
  static override readonly code = 'TRANSFER_NOT_FOUND';
  constructor(transferId: string) {
    super({ transferId }, `No transfer ${transferId} in this program`);
  }
}

export class TransferNotReversibleError extends DomainError<{ transferId: string; reason: string }> {
  static override readonly code = 'TRANSFER_NOT_REVERSIBLE';
  constructor(transferId: string, reason: string) {
    super({ transferId, reason }, `Transfer ${transferId} cannot be reversed: ${reason}`);
  }
}

registerDomainErrors(
  InsufficientPointsError,
  BelowMinimumRedemptionError,
  RedemptionExceedsTotalError,
  PointsNotWholeStepError,
  WalletPaymentExceedsTotalError,
  InsufficientWalletBalanceError,
  IdempotencyConflictError,
  CurrencyMismatchError,
  TransferNotFoundError,
  TransferNotReversibleError,
);
