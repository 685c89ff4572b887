import { and, eq, inArray, sql } from 'drizzle-orm';
import {
  checks,
  partnerCampaigns,
  partners,
  partnerVouchers,
  type PartnerCampaignRow,
  type PartnerVoucherRow,
  type PromoCodeRow,
} from '../../../schema';
import type { ConstraintViolation } from '../../platform/db/constraint-errors';
import type { Database, Statement } from '../../platform/db/database';
import { keyset, type KeysetPage } from '../../platform/db/keyset';
import { newId } from '../../platform/ids';
import {
  autoApplyCodesStatement,
  codesByIds,
  codeTaken,
  drawCodes,
  offersByIds,
  unusedCodeSql,
  voidUnusedCodesStatement,
  type Offer,
} from '../offers';
import { campaignsWithPartners, voucherCounterStatement } from './repository';

/** Length of a personal voucher code: 29^10 ≈ 4 × 10^14 codes, as the partner's generated ones. */
const VOUCHER_CODE_LENGTH = 10;

export type VoucherStatus = 'issued' | 'redeemed' | 'void' | 'expired';

/** Where a voucher stands at `now`: redeemed once used, void once voided, expired past its date, else issued. */
export function voucherStatus(code: Pick<PromoCodeRow, 'uses' | 'voidedAt' | 'expiresAt'>, now: Date): VoucherStatus {
  if (code.uses > 0) return 'redeemed';
  if (code.voidedAt) return 'void';
  if (code.expiresAt && code.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'issued';
}

/** A personal voucher to give: to whom, of which campaign, and what gave it (a publication or an order). */
export interface VoucherGrant {
  campaign: Pick<PartnerCampaignRow, 'id' | 'offerId'>;
  memberId: string;
  expiresAt: Date | null;
  publicationId?: string;
  orderPk?: string;
}

/**
 * Gives personal vouchers as statements for the caller's batch: a single-use code of the campaign's
 * offer that applies itself at the member's checkout, the voucher row (whose UNIQUE indexes say a
 * publication or an order gives a campaign's voucher once), and the campaign's counter raised by
 * as many, whose CHECK keeps it within the voucher limit. A code drawn twice trips the code's
 * UNIQUE index and the caller's batch draws again.
 */
export function voucherGrantStatements(
  db: Database,
  programId: string,
  grants: readonly VoucherGrant[],
  now: Date,
): { statements: Statement[]; codes: string[] } {
  if (grants.length === 0) return { statements: [], codes: [] };
  const codes = drawCodes(VOUCHER_CODE_LENGTH, grants.length);
  const rows = grants.map((grant, index) => ({ grant, codeId: newId(), code: codes[index]! }));
  const perCampaign = new Map<string, number>();
  for (const { campaign } of grants) perCampaign.set(campaign.id, (perCampaign.get(campaign.id) ?? 0) + 1);
  const statements = [
    autoApplyCodesStatement(
      db,
      programId,
      rows.map(({ grant, codeId, code }) => ({
        id: codeId,
        offerId: grant.campaign.offerId,
        memberId: grant.memberId,
        code,
        expiresAt: grant.expiresAt,
      })),
      now,
    ),
    db.insert(partnerVouchers).values(
      rows.map(({ grant, codeId }) => ({
        id: newId(),
        programId,
        campaignId: grant.campaign.id,
        codeId,
        memberId: grant.memberId,
        publicationId: grant.publicationId ?? null,
        orderPk: grant.orderPk ?? null,
        createdAt: now,
      })),
    ),
    ...[...perCampaign].map(([campaignId, count]) => voucherCounterStatement(db, campaignId, count, now)),
  ];
  return { statements, codes };
}

/**
 * A voucher issue to prepare again: its campaign's limit tripped (another issue took what was left
 * first), or a drawn code collided with an existing one.
 */
export const lostVoucherRace = (violation: ConstraintViolation) =>
  (violation.kind === 'check' && violation.targets.includes(checks.partnerCampaignsVoucherLimit)) || codeTaken(violation);

/** Why an order that qualified for a partner gift got no voucher. */
export type GiftRefusal = 'voucher_limit_reached' | 'campaign_not_active' | 'partner_suspended';

export interface GiftOutcome {
  campaignId: string;
  offerId: string;
  /** The code given, or null with the reason it was not. */
  code: string | null;
  reason: GiftRefusal | null;
}

/**
 * What an order's partner-gift offers give, for the order's own batch: a voucher of each campaign
 * that is still ACTIVE (its partner too) and below its voucher limit, as read now. A campaign that
 * cannot give is reported with why, and the order records anyway. Should another order take the
 * last voucher first, the limit's CHECK trips and the order is prepared again (`voucherLimitTripped`).
 */
export async function giftVoucherPlan(
  db: Database,
  order: { programId: string; memberId: string | null; orderPk: string; at: Date },
  gifts: ReadonlyArray<{ offer: Offer; campaignId: string }>,
  now: Date,
): Promise<{ statements: Statement[]; outcomes: GiftOutcome[] }> {
  if (gifts.length === 0 || !order.memberId) return { statements: [], outcomes: [] };
  const campaigns = await campaignsWithPartners(
    db,
    order.programId,
    inArray(
      partnerCampaigns.id,
      gifts.map((gift) => gift.campaignId),
    ),
  );
  const campaignOffers = await offersByIds(
    db,
    campaigns.map((row) => row.campaign.offerId),
  );
  const rows = campaigns.map((row) => ({
    ...row,
    endsAt: campaignOffers.find((offer) => offer.id === row.campaign.offerId)?.endsAt ?? null,
  }));
  const grants: VoucherGrant[] = [];
  const outcomes: GiftOutcome[] = [];
  const granted: number[] = [];
  for (const { offer, campaignId } of gifts) {
    const found = rows.find((row) => row.campaign.id === campaignId);
    const reason: GiftRefusal | null = !found
      ? 'campaign_not_active'
      : found.partner.status !== 'active'
        ? 'partner_suspended'
        : found.campaign.status !== 'active' || (found.endsAt && found.endsAt <= order.at)
          ? 'campaign_not_active'
          : found.campaign.vouchersIssued + grants.filter((grant) => grant.campaign.id === campaignId).length >= found.campaign.voucherLimit
            ? 'voucher_limit_reached'
            : null;
    outcomes.push({ campaignId, offerId: offer.id, code: null, reason });
    if (reason || !found) continue;
    granted.push(outcomes.length - 1);
    grants.push({ campaign: found.campaign, memberId: order.memberId, expiresAt: found.endsAt, orderPk: order.orderPk });
  }
  const { statements, codes } = voucherGrantStatements(db, order.programId, grants, now);
  granted.forEach((index, position) => {
    outcomes[index] = { ...outcomes[index]!, code: codes[position]! };
  });
  return { statements, outcomes };
}

/**
 * Voids the unused vouchers an order earned (its full refund), for the refund's batch: their codes
 * stop applying and their campaigns' counters give the vouchers back. The counters move first,
 * while the codes still read as unused.
 */
export function voidOrderVoucherStatements(db: Database, orderPk: string, at: Date): Statement[] {
  const unusedOfCampaign = sql`(select count(*) from ${partnerVouchers} pv
    where pv.order_pk = ${orderPk} and pv.campaign_id = ${partnerCampaigns.id} and ${unusedCodeSql(sql`pv.code_id`)})`;
  return [
    db
      .update(partnerCampaigns)
      .set({ vouchersIssued: sql`${partnerCampaigns.vouchersIssued} - ${unusedOfCampaign}`, updatedAt: at })
      .where(
        inArray(
          partnerCampaigns.id,
          db.select({ id: partnerVouchers.campaignId }).from(partnerVouchers).where(eq(partnerVouchers.orderPk, orderPk)),
        ),
      ),
    voidUnusedCodesStatement(db, sql`(select code_id from ${partnerVouchers} where order_pk = ${orderPk})`, at),
  ];
}

/** A member's personal voucher with its code, campaign, offer and partner name. */
export interface MemberVoucherRow {
  id: string;
  voucher: PartnerVoucherRow;
  code: PromoCodeRow;
  campaign: PartnerCampaignRow;
  offer: Offer;
  partnerName: string;
}

/** A page of a member's personal vouchers, newest first: read here, then their codes and offers through the offers module. */
export async function memberVouchers(db: Database, programId: string, memberId: string, page: KeysetPage): Promise<MemberVoucherRow[]> {
  const { conditions, orderBy, limit } = keyset(partnerVouchers.id, page, true);
  const rows = await db
    .select({ voucher: partnerVouchers, campaign: partnerCampaigns, partnerName: partners.name })
    .from(partnerVouchers)
    .innerJoin(partnerCampaigns, eq(partnerCampaigns.id, partnerVouchers.campaignId))
    .innerJoin(partners, eq(partners.id, partnerCampaigns.partnerId))
    .where(and(eq(partnerVouchers.programId, programId), eq(partnerVouchers.memberId, memberId), ...conditions))
    .orderBy(orderBy)
    .limit(limit);
  const [codes, campaignOffers] = await Promise.all([
    codesByIds(
      db,
      rows.map((row) => row.voucher.codeId),
    ),
    offersByIds(db, [...new Set(rows.map((row) => row.campaign.offerId))]),
  ]);
  return rows.map((row) => ({
    ...row,
    id: row.voucher.id,
    code: codes.find((code) => code.id === row.voucher.codeId)!,
    offer: campaignOffers.find((offer) => offer.id === row.campaign.offerId)!,
  }));
}
