import { DomainError, registerDomainErrors } from '../../platform/errors';

export type UniqueMemberField = 'externalId' | 'email';

export class DuplicateMemberError extends DomainError<{ field: UniqueMemberField }> {
  static override readonly code = 'DUPLICATE_MEMBER';
  constructor(field: UniqueMemberField) {
    super({ field }, `Another member of this program already has this ${field}`);
  }
}

export class MemberNotFoundError extends DomainError<{ memberId: string }> {
  static override readonly code = 'MEMBER_NOT_FOUND';
  constructor(memberId: string) {
    super({ memberId }, `No member ${memberId} in this program`);
  }
}

export class MemberErasedError extends DomainError<{ memberId: string }> {
  static override readonly code = 'MEMBER_ERASED';
  constructor(memberId: string) {
    super({ memberId }, `Member ${memberId} has been erased and can no longer be changed`);
  }
}

/** A referral code given at enrollment that no active member of the program holds. */
export class ReferralCodeNotFoundError extends DomainError<{ code: string }> {
  static override readonly code = 'REFERRAL_CODE_NOT_FOUND';
  constructor(code: string) {
    super({ code }, `No member of this program has the referral code ${code}`);
  }
}

registerDomainErrors(DuplicateMemberError, MemberNotFoundError, MemberErasedError, ReferralCodeNotFoundError);
