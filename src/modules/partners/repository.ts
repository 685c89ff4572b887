import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { partnerCampaigns, partners, settlementPeriods, type PartnerCampaignRow, type PartnerRow } from '../../../schema';
import { statementKinds, type StatementTransfer } from './settlement';
import type { Database } from '../../platform/db/database';
import { keyset, type KeysetPage } from '../../platform/db/keyset';
import { account, accountBalances, ownerAccountBalanceSql, ownerNetAmountByDay, ownerTransfersWithin, type AccountRef } from '../ledger';
import { offerIdsOfCodes, type OfferFunder } from '../offers';

/** The account a partner's money sits in: its deposit (prepaid), or its receivable, floored at minus its credit limit (postpaid). */
export function fundingAccount(partner: Pick<PartnerRow, 'programId' | 'id' | 'funding' | 'currency' | 'creditLimit'>): AccountRef {
  if (partner.funding === 'prepaid') return account(partner.programId, 'partnerDeposit', partner.currency, partner.id);
  return { ...account(partner.programId, 'partnerReceivable', partner.currency, partner.id), floor: -(partner.creditLimit ?? 0) };
}

export async function findPartner(db: Database, programId: string, partnerId: string): Promise<PartnerRow | undefined> {
  const [row] = await db
    .select()
    .from(partners)
    .where(and(eq(partners.programId, programId), eq(partners.id, partnerId)));
  return row;
}

export async function partnersByIds(db: Database, programId: string, ids: readonly string[]) {
  const rows = await db
    .select()
    .from(partners)
    .where(and(eq(partners.programId, programId), inArray(partners.id, [...ids])));
  return ids.map((id) => rows.find((row) => row.id === id) ?? null);
}

export function listPartners(db: Database, programId: string, page: KeysetPage) {
  const { conditions, orderBy, limit } = keyset(partners.id, page);
  return db
    .select()
    .from(partners)
    .where(and(eq(partners.programId, programId), ...conditions))
    .orderBy(orderBy)
    .limit(limit);
}

/** Balances of the partners' funding accounts (0 for an account not yet used), by partner id. */
export async function fundingBalances(db: Database, partnerRows: readonly PartnerRow[]): Promise<Map<string, number>> {
  const ids = partnerRows.map((partner) => fundingAccount(partner).id);
  const rows = ids.length === 0 ? [] : await accountBalances(db, ids);
  return new Map(partnerRows.map((partner) => [partner.id, rows.find((row) => row.id === fundingAccount(partner).id)?.balance ?? 0]));
}

export async function findCampaign(db: Database, programId: string, campaignId: string): Promise<PartnerCampaignRow | undefined> {
  const [row] = await db
    .select()
    .from(partnerCampaigns)
    .where(and(eq(partnerCampaigns.programId, programId), eq(partnerCampaigns.id, campaignId)));
  return row;
}

export async function campaignsByIds(db: Database, programId: string, ids: readonly string[]) {
  const rows = await db
    .select()
    .from(partnerCampaigns)
    .where(and(eq(partnerCampaigns.programId, programId), inArray(partnerCampaigns.id, [...ids])));
  return ids.map((id) => rows.find((row) => row.id === id) ?? null);
}

export function listCampaigns(db: Database, programId: string, partnerId: string | null, page: KeysetPage) {
  const { conditions, orderBy, limit } = keyset(partnerCampaigns.id, page);
  const where: SQL[] = [eq(partnerCampaigns.programId, programId), ...conditions];
  if (partnerId) where.push(eq(partnerCampaigns.partnerId, partnerId));
  return db
    .select()
    .from(partnerCampaigns)
    .where(and(...where))
    .orderBy(orderBy)
    .limit(limit);
}

export function campaignsOfPartner(db: Database, programId: string, partnerId: string) {
  return db
    .select()
    .from(partnerCampaigns)
    .where(and(eq(partnerCampaigns.programId, programId), eq(partnerCampaigns.partnerId, partnerId)));
}

/** A partner campaign's offer, with who funds it and what that partner has left: for checkout. */
export type CampaignFunder = OfferFunder & { partner: PartnerRow; campaignId: string };

/**
 * The funders of the offers of the codes a checkout uses (entered, or the member's vouchers that apply
 * themselves) that back partner campaigns, in one query: the partner, its
 * terms and what its funding account can still pay (the deposit, or the credit left).
 */
export async function offerFunders(
  db: Database,
  programId: string,
  codes: readonly string[],
  member?: { memberId: string | null; at: Date },
): Promise<Map<string, CampaignFunder>> {
  // The offers of the codes in play, found by the codes themselves: read at once with the codes, not after them.
  const offersOfCodes = offerIdsOfCodes(db, programId, codes, member);
  if (!offersOfCodes) return new Map();
  const rows = await db
    .select({
      campaign: partnerCampaigns,
      partner: partners,
      balance: ownerAccountBalanceSql({
        ownerType: 'partner',
        ownerId: partners.id,
        unit: partners.currency,
        kind: sql`case ${partners.funding} when 'prepaid' then 'partner_deposit' else 'partner_receivable' end`,
      }),
    })
    .from(partnerCampaigns)
    .innerJoin(partners, eq(partners.id, partnerCampaigns.partnerId))
    .where(and(eq(partnerCampaigns.programId, programId), inArray(partnerCampaigns.offerId, offersOfCodes)));
  return new Map(
    rows.map(({ campaign, partner, balance }) => [
      campaign.offerId,
      {
        funderId: partner.id,
        blockedBy: partner.status !== 'active' ? 'partner_suspended' : campaign.status === 'ended' ? 'voucher_void' : null,
        costShareBasisPoints: partner.costShareBasisPoints,
        feePerRedemption: partner.feePerRedemption,
        available: (balance ?? 0) - (fundingAccount(partner).floor ?? 0),
        partner,
        campaignId: campaign.id,
      },
    ]),
  );
}

/** The partner's funding transfers (shares, fees and their returns) created in [from, until), oldest first, with the member of each order. */
export function partnerTransfers(
  db: Database,
  programId: string,
  partnerId: string,
  from: Date,
  until: Date,
): Promise<StatementTransfer[]> {
  return ownerTransfersWithin(db, { programId, ownerType: 'partner', ownerId: partnerId, from, until }, statementKinds);
}

export async function settlementPeriodsOf(db: Database, programId: string, partnerId: string) {
  return db
    .select()
    .from(settlementPeriods)
    .where(and(eq(settlementPeriods.programId, programId), eq(settlementPeriods.partnerId, partnerId)))
    .orderBy(desc(settlementPeriods.until));
}

/** Raises (or with a negative `count`, lowers) a campaign's voucher counter; its CHECK keeps it within the voucher limit. */
export function voucherCounterStatement(db: Database, campaignId: string, count: number, now: Date) {
  return db
    .update(partnerCampaigns)
    .set({ vouchersIssued: sql`${partnerCampaigns.vouchersIssued} + ${count}`, updatedAt: now })
    .where(eq(partnerCampaigns.id, campaignId));
}

/** The partner's shares of discounts per UTC day number in [from, until), net of what refunds gave back. */
export async function partnerSharesByDay(db: Database, programId: string, partnerId: string, from: Date, until: Date) {
  const days = await ownerNetAmountByDay(
    db,
    { programId, ownerType: 'partner', ownerId: partnerId, from, until },
    'partner_share',
    'partner_share_return',
  );
  return days.map(({ day, amount }) => ({ day, funded: amount }));
}

/** The program's campaigns that meet `condition`, each with its partner. */
export function campaignsWithPartners(db: Database, programId: string, condition: SQL) {
  return db
    .select({ campaign: partnerCampaigns, partner: partners })
    .from(partnerCampaigns)
    .innerJoin(partners, eq(partners.id, partnerCampaigns.partnerId))
    .where(and(eq(partnerCampaigns.programId, programId), condition));
}
