import { eq } from 'drizzle-orm';
import { checks, partnerCampaigns, partnerTillRedemptions } from '../../../schema';
import { normalizeCode } from '../../platform/codes';
import type { Database } from '../../platform/db/database';
import { newId } from '../../platform/ids';
import { account, ledgerCommand, type LedgerCommandInput, type PlannedTransfer } from '../ledger';
import { counterStatements, funderCost, matchCodes } from '../offers';
import { tillPricing } from './domain';
import {
  InsufficientPartnerFundsError,
  VoucherAlreadyRedeemedError,
  VoucherExpiredError,
  VoucherNotFoundError,
  VoucherNotRedeemableError,
  VoucherOfAnotherPartnerError,
  VoucherVoidError,
} from './errors';
import { campaignsWithPartners, fundingAccount, fundingBalances } from './repository';

export interface RedeemVoucherInput extends LedgerCommandInput {
  partnerId: string;
  code: string;
  orderReference: string;
  /** What the order at the partner's till comes to before the voucher, minor units. */
  amount: number;
}

export interface RedeemVoucherResult {
  partnerId: string;
  campaignId: string;
  code: string;
  orderReference: string;
  amount: number;
  discount: number;
  /** The part of the discount the partner bears; the host pays the rest back to it. */
  partnerShare: number;
  hostShare: number;
  fee: number;
  /** What is left to pay at the till. */
  amountToPay: number;
}

/** A voucher code with its offer and, when it belongs to a partner campaign, the campaign and partner. */
export async function findVoucherCode(db: Database, programId: string, code: string) {
  const [entry] = await matchCodes(db, programId, [normalizeCode(code)]);
  if (!entry?.match) return undefined;
  const { promoCode, offer } = entry.match;
  const [owner] = await campaignsWithPartners(db, programId, eq(partnerCampaigns.offerId, offer.id));
  return { promoCode, offer, campaign: owner?.campaign ?? null, partner: owner?.partner ?? null };
}

/**
 * A voucher of one of the partner's campaigns redeemed at the partner's own till. The partner gave
 * the discount itself, so money moves the other way from a host order: the host pays back its part
 * of the discount (what the partner's cost share leaves) onto the partner's funding account, and
 * the partner pays its fee; in one batch with the voucher's use (its CHECK: single use), the
 * campaign's redemption and discount counters (the budget's CHECK) and the till redemption row
 * (one per partner and order reference).
 */
export const redeemVoucherCommand = ledgerCommand<RedeemVoucherInput, RedeemVoucherResult>(
  'partners.redeemVoucher',
  async (deps, input, now) => {
    const { db } = deps;
    const { programId, partnerId, orderReference, amount } = input;
    const code = normalizeCode(input.code);
    const found = await findVoucherCode(db, programId, code);
    if (!found) throw new VoucherNotFoundError(code);
    const { promoCode, offer, campaign, partner } = found;
    if (!campaign || !partner || campaign.partnerId !== partnerId) throw new VoucherOfAnotherPartnerError(code);
    if (promoCode.maxUses !== null && promoCode.uses >= promoCode.maxUses) throw new VoucherAlreadyRedeemedError(code);
    if (promoCode.voidedAt || campaign.status === 'ended') throw new VoucherVoidError(code);
    const expiry = [promoCode.expiresAt, offer.endsAt].filter((at): at is Date => at !== null && at.getTime() <= now.getTime())[0];
    if (expiry) throw new VoucherExpiredError(code, expiry);
    if (campaign.status !== 'active' || partner.status !== 'active' || offer.status !== 'active')
      throw new VoucherNotRedeemableError(code, partner.status !== 'active' ? 'partner_suspended' : 'inactive');
    if (offer.startsAt && offer.startsAt.getTime() > now.getTime()) throw new VoucherNotRedeemableError(code, 'not_started');
    const minimumSpend = Math.max(promoCode.minimumSpend ?? 0, offer.conditions.minimumSpend ?? 0) || null;
    const pricing = tillPricing(offer.effect, minimumSpend, amount, offer.budget === null ? Infinity : offer.budget - offer.discountGiven);
    if ('refusal' in pricing) throw new VoucherNotRedeemableError(code, pricing.refusal);
    const { discount } = pricing;
    const { share, fee } = funderCost(partner, discount);
    const hostShare = discount - share;
    const paying = fundingAccount(partner);
    const metadata = { partnerId, campaignId: campaign.id, discount, amount, till: true };
    const transfers: PlannedTransfer[] = [];
    // The host's part comes first, so a prepaid partner's deposit can pay the fee from it.
    if (hostShare > 0)
      transfers.push({
        id: newId(),
        debit: account(programId, 'partnerFundedDiscounts', partner.currency),
        credit: paying,
        amount: hostShare,
        kind: 'partner_host_share',
        ref: orderReference,
        metadata,
      });
    if (fee > 0)
      transfers.push({
        id: newId(),
        debit: paying,
        credit: account(programId, 'partnerFees', partner.currency),
        amount: fee,
        kind: 'partner_fee',
        ref: orderReference,
        metadata,
      });
    return {
      memberId: promoCode.assignedMemberId,
      transfers,
      result: {
        partnerId,
        campaignId: campaign.id,
        code,
        orderReference,
        amount,
        discount,
        partnerShare: share,
        hostShare,
        fee,
        amountToPay: amount - discount,
      },
      statements: [
        ...counterStatements(db, { offerId: offer.id, codeId: promoCode.id, discount, bonusPoints: 0, countsAsRedemption: true }, 1),
        db.insert(partnerTillRedemptions).values({
          id: newId(),
          programId,
          partnerId,
          campaignId: campaign.id,
          codeId: promoCode.id,
          memberId: promoCode.assignedMemberId,
          orderReference,
          amount,
          discount,
          partnerShare: share,
          createdAt: now,
        }),
      ],
      // Another redemption spent the budget first: price again on what it left.
      retryOn: (violation) => violation.kind === 'check' && violation.targets.includes(checks.offersBudget),
      onViolation: async (violation) => {
        if (violation.targets.includes(checks.promoCodesUses) || violation.targets.some((target) => target.includes('code_id')))
          return new VoucherAlreadyRedeemedError(code);
        if (violation.kind === 'check' && violation.targets.includes(checks.accountsFloor)) {
          const left = (await fundingBalances(db, [partner])).get(partnerId) ?? 0;
          return new InsufficientPartnerFundsError(partnerId, fee, Math.max(left - (paying.floor ?? 0), 0));
        }
        if (violation.kind === 'unique' && violation.targets.some((target) => target.includes('order_reference')))
          return new VoucherNotRedeemableError(code, 'order_reference_used');
        return null;
      },
    };
  },
);
