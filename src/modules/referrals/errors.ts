import { DomainError, registerDomainErrors } from '../../platform/errors';

/** A settlement asked for before the reward is due, or a clawback nothing asks for: nothing moves. */
export class ReferralNotDueError extends DomainError<{ referralId: string; action: string }> {
  static override readonly code = 'REFERRAL_NOT_DUE';
  constructor(referralId: string, action: string) {
    super({ referralId, action }, `Referral ${referralId} has no ${action} due`);
  }
}

registerDomainErrors(ReferralNotDueError);
