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

registerDomainErrors(DuplicateMemberError, MemberNotFoundError, MemberErasedError);
