import { DomainError, registerDomainErrors } from '../../platform/errors';

export class ReferralCodeNotFoundError extends DomainError<{ code: string }> {
  static override readonly code = 'REFERRAL_CODE_NOT_FOUND';
  constructor(code: string) {
    super({ code }, `No member of this program has the referral code ${code}`);
  }
}

/** A settlement asked for before the reward is due, or a clawback nothing asks for: nothing moves. */
export class ReferralNotDueError extends DomainError<{ referralId: string; action: string }> {
  static override readonly code = 'REFERRAL_NOT_DUE';
  constructor(referralId: string, action: string) {
    super({ referralId, action }, `Referral ${referralId} has no ${action} due`);
  }
}

registerDomainErrors(ReferralCodeNotFoundError, ReferralNotDueError);
