import { DomainError, registerDomainErrors } from '../../platform/errors';

export class TierNotFoundError extends DomainError<{ tierId: string }> {
  static override readonly code = 'TIER_NOT_FOUND';
  constructor(tierId: string) {
    super({ tierId }, `No tier ${tierId} in this program`);
  }
}

export class DuplicateTierError extends DomainError<{ field: 'name' | 'threshold' }> {
  static override readonly code = 'DUPLICATE_TIER';
  constructor(field: 'name' | 'threshold') {
    super({ field }, `Another tier of this program has the same ${field}`);
  }
}

export class TierInUseError extends DomainError<{ tierId: string; members: number }> {
  static override readonly code = 'TIER_IN_USE';
  constructor(tierId: string, members: number) {
    super({ tierId, members }, `${members} members hold tier ${tierId}; move them (lower its threshold or recalculate) before deleting it`);
  }
}

registerDomainErrors(TierNotFoundError, DuplicateTierError, TierInUseError);
