import type { TransferRow } from '../../../schema';
import { newId } from '../../platform/ids';
import { account, parseAccountId, type AccountRef, type PlannedTransfer } from '../ledger';
import { funderCost } from '../offers';
import { mulDivRounded } from '../rules';
import type { CampaignFunder } from './repository';
import { fundingAccount } from './repository';

/** The transfer kinds an order's partner funding writes, and those its refunds write back. */
export const chargeKinds = ['partner_share', 'partner_fee'] as const;
export const returnKinds = ['partner_share_return', 'partner_fee_return'] as const;

/**
 * What partners pay for an order's vouchers, as transfers in the order's own batch: each partner's
 * share of the discount and its fee, out of its deposit (prepaid) or onto its receivable
 * (postpaid). The funding account's floor guards the partner's money against concurrent orders.
 */
export function partnerFundingTransfers(
  order: { programId: string; orderId: string; currency: string },
  applied: ReadonlyArray<{ offerId: string | null; discount: number; countsAsRedemption: boolean }>,
  funders: ReadonlyMap<string, CampaignFunder>,
): PlannedTransfer[] {
  const planned: PlannedTransfer[] = [];
  for (const application of applied) {
    const funder = application.offerId ? funders.get(application.offerId) : undefined;
    if (!funder || !application.countsAsRedemption) continue;
    const { share, fee } = funderCost(funder, application.discount);
    const metadata = { partnerId: funder.partner.id, campaignId: funder.campaignId, discount: application.discount };
    const paying = fundingAccount(funder.partner);
    if (share > 0)
      planned.push({
        id: newId(),
        debit: paying,
        credit: account(order.programId, 'partnerFundedDiscounts', order.currency),
        amount: share,
        kind: 'partner_share',
        ref: order.orderId,
        metadata,
      });
    if (fee > 0)
      planned.push({
        id: newId(),
        debit: paying,
        credit: account(order.programId, 'partnerFees', order.currency),
        amount: fee,
        kind: 'partner_fee',
        ref: order.orderId,
        metadata,
      });
  }
  return planned;
}

const refOf = (id: string): AccountRef => {
  const { programId, ownerType, ownerId, kind, unit } = parseAccountId(id);
  return { id, programId, ownerType: ownerType as AccountRef['ownerType'], ownerId, kind, unit, floor: null };
};

/**
 * Gives partners back their share of a refunded order in proportion to what is refunded so far,
 * as running totals (so rounding never drifts over many partial refunds): after a refund, each
 * share has returned ⌊share × refunded / net⌋, all of it once the order is fully refunded. The
 * fee comes back with the full refund, when the redemption is released.
 */
export function partnerRefundTransfers(
  orderId: string,
  charged: readonly TransferRow[],
  alreadyReturned: readonly TransferRow[],
  refund: { net: number; refundedAfter: number; full: boolean },
): PlannedTransfer[] {
  const returnedFor = new Map<string, number>();
  for (const transfer of alreadyReturned) {
    const original = String((transfer.metadata as { returns?: string } | null)?.returns ?? '');
    returnedFor.set(original, (returnedFor.get(original) ?? 0) + transfer.amount);
  }
  const planned: PlannedTransfer[] = [];
  for (const transfer of charged) {
    const isShare = transfer.kind === 'partner_share';
    const due = refund.full
      ? transfer.amount
      : isShare && refund.net > 0
        ? mulDivRounded([transfer.amount, Math.min(refund.refundedAfter, refund.net)], refund.net, 'down')
        : 0;
    const amount = due - (returnedFor.get(transfer.id) ?? 0);
    if (amount <= 0) continue;
    planned.push({
      id: newId(),
      debit: refOf(transfer.creditAccountId),
      credit: refOf(transfer.debitAccountId),
      amount,
      kind: isShare ? 'partner_share_return' : 'partner_fee_return',
      ref: orderId,
      metadata: { ...(transfer.metadata ?? {}), returns: transfer.id },
    });
  }
  return planned;
}
