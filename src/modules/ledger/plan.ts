import type { AccountRef } from './accounts';
import type { LotDelta } from './domain/lots';

export const transferKinds = [
  'earn',
  'order_payment',
  'refund_clawback',
  'refund_return',
  'redeem',
  'adjustment',
  'reversal',
  'expiry',
  'wallet_top_up',
  'wallet_bonus',
  'wallet_spend',
  'order_wallet_payment',
  'refund_wallet_return',
  'referral_reward',
  'referral_clawback',
  'partner_deposit',
  'partner_withdrawal',
  'partner_share',
  'partner_fee',
  'partner_share_return',
  'partner_fee_return',
  'partner_host_share',
] as const;
export type TransferKind = (typeof transferKinds)[number];

/** A transfer a command means to write, with the lot changes that go with it. */
export interface PlannedTransfer {
  id: string;
  debit: AccountRef;
  credit: AccountRef;
  amount: number;
  kind: TransferKind;
  ref: string | null;
  metadata?: Record<string, unknown>;
  reversesTransferId?: string;
  /** Lots this transfer draws from or puts back into. */
  lotDeltas?: LotDelta[];
  /** The lot this transfer creates (an earn), filled with `amount`. */
  newLot?: { id: string; memberId: string; earnedAt: Date; expiresAt: Date | null; vestsAt?: Date | null };
}
