import type { OwnerType } from '../../../schema';

export const POINTS = 'POINTS';

/**
 * The accounts of the chart, as (owner, kind). Member accounts have a floor of 0; program accounts
 * are the other side of every movement and may go negative (points issued is the liability).
 */
export const accountKinds = {
  memberPoints: { ownerType: 'member', kind: 'points', floor: 0 },
  memberWalletCash: { ownerType: 'member', kind: 'wallet_cash', floor: 0 },
  memberWalletBonus: { ownerType: 'member', kind: 'wallet_bonus', floor: 0 },
  pointsIssued: { ownerType: 'program', kind: 'points_issued', floor: null },
  pointsRedeemed: { ownerType: 'program', kind: 'points_redeemed', floor: null },
  pointsExpired: { ownerType: 'program', kind: 'points_expired', floor: null },
  pointsAdjustments: { ownerType: 'program', kind: 'points_adjustments', floor: null },
  walletFunding: { ownerType: 'program', kind: 'wallet_funding', floor: null },
  walletBonusIssued: { ownerType: 'program', kind: 'wallet_bonus_issued', floor: null },
  walletSpent: { ownerType: 'program', kind: 'wallet_spent', floor: null },
  /** A prepaid partner's money held by the host: never below 0. */
  partnerDeposit: { ownerType: 'partner', kind: 'partner_deposit', floor: 0 },
  /** What a postpaid partner owes the host (negative: owed); its floor is minus the credit limit. */
  partnerReceivable: { ownerType: 'partner', kind: 'partner_receivable', floor: null },
  /** Money partners paid in or took out, the other side of their deposits. */
  partnerFunds: { ownerType: 'program', kind: 'partner_funds', floor: null },
  /** The partners' shares of the voucher discounts the program gave. */
  partnerFundedDiscounts: { ownerType: 'program', kind: 'partner_funded_discounts', floor: null },
  /** Fees the program charged partners per redemption. */
  partnerFees: { ownerType: 'program', kind: 'partner_fees', floor: null },
} as const satisfies Record<string, { ownerType: OwnerType; kind: string; floor: number | null }>;

export type AccountKind = keyof typeof accountKinds;

export interface AccountRef {
  id: string;
  programId: string;
  ownerType: OwnerType;
  ownerId: string;
  kind: string;
  unit: string;
  floor: number | null;
}

/**
 * Names an account; its id is derived from its parts, so it can be created on first use. `ownerId`
 * is the member (or partner) of member (or partner) accounts.
 */
export function account(programId: string, kind: AccountKind, unit: string, owner?: string): AccountRef {
  const { ownerType, kind: kindName, floor } = accountKinds[kind];
  const ownerId = ownerType === 'program' ? programId : owner;
  if (!ownerId) throw new Error(`Account ${kind} needs a ${ownerType} id`);
  return { id: `${programId}/${ownerType}/${ownerId}/${kindName}/${unit}`, programId, ownerType, ownerId, kind: kindName, unit, floor };
}

/** The parts of an account id made by `account()`. */
export function parseAccountId(id: string) {
  const [programId = '', ownerType = '', ownerId = '', kind = '', unit = ''] = id.split('/');
  return { programId, ownerType, ownerId, kind, unit };
}

export function memberOfAccountId(id: string): string | null {
  const { ownerType, ownerId } = parseAccountId(id);
  return ownerType === 'member' ? ownerId : null;
}
