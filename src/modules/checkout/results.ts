import type { Offer } from '../offers';
import type { Tier } from '../tiers';
import type { GiftOutcome } from '../partners';
import type { QuoteResult } from './quote';

/** What recording an order answers (the use case in src/use-cases/record-order.ts computes it). */
export interface RecordOrderResult extends QuoteResult {
  orderId: string;
  memberId: string | null;
  /** The member's balance after the order; 0 for a guest. */
  pointsBalance: number;
  /** The tier this order lifted the member into, if any. */
  upgradedTierId: string | null;
  /**
   * The applied offers as the order read them, so that the response shows them without reading them
   * again; not kept for replays of the request, which read them.
   */
  offersApplied?: Offer[];
  /** The program's tiers as the order read them (an applied tier discount names one); likewise. */
  tiersRead?: Tier[];
  /** The partner vouchers the order earned (partnerVoucher offers), each with its code or why it was not given. */
  partnerVouchers: GiftOutcome[];
}

/** What refunding an order answers (the use case in src/use-cases/refund-order.ts computes it). */
export interface RefundOrderResult {
  orderId: string;
  /** Null for a guest order nobody claimed. */
  memberId: string | null;
  amount: number;
  totalRefunded: number;
  pointsClawedBack: number;
  /**
   * Points the refund should have taken back but could not: the member had spent them (the program
   * absorbs them), or they had expired (the program has them back already).
   */
  pointsNotRecovered: number;
  pointsReturned: number;
  /** Money given back to the wallet (bonus credit and cash together). */
  walletReturned: number;
  pointsBalance: number;
  /** Stamps taken off the member's stamp cards for the units this refund returned. */
  stampsReturned: number;
  /** True when this refund completed a full refund: the order's offer and code uses were given back. */
  offersReleased: boolean;
  /** The referral this order converted, which the full refund cancels (in the referrer's serializer, next). */
  referralToSettle: { id: string; referrerId: string; status: 'converted' | 'confirmed' } | null;
}
