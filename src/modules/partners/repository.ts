import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { accounts, partnerCampaigns, partners, settlementPeriods, type PartnerCampaignRow, type PartnerRow } from '../../../schema';
import { statementKinds, type StatementTransfer } from './settlement';
import type { Database } from '../../platform/db/database';
import { keyset, type KeysetPage } from '../../platform/db/keyset';
import { account, type AccountRef } from '../ledger';
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
  const rows =
    ids.length === 0 ? [] : await db.select({ id: accounts.id, balance: accounts.balance }).from(accounts).where(inArray(accounts.id, ids));
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
    .select({ campaign: partnerCampaigns, partner: partners, balance: accounts.balance })
    .from(partnerCampaigns)
    .innerJoin(partners, eq(partners.id, partnerCampaigns.partnerId))
    .leftJoin(
      accounts,
      and(
        eq(accounts.ownerType, 'partner'),
        eq(accounts.ownerId, partners.id),
        eq(accounts.unit, partners.currency),
        sql`${accounts.kind} = case ${partners.funding} when 'prepaid' then 'partner_deposit' else 'partner_receivable' end`,
      ),
    )
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
export async function partnerTransfers(
  db: Database,
  programId: string,
  partnerId: string,
  from: Date,
  until: Date,
): Promise<StatementTransfer[]> {
  const rows = await db.all<{
    id: string;
    created_at: number;
    kind: string;
    ref: string | null;
    amount: number;
    metadata: string | null;
    member_id: string | null;
  }>(sql`
    select t.id, t.created_at, t.kind, t.ref, t.amount, t.metadata, o.member_id
    from transfers t
      join accounts a on a.id in (t.debit_account_id, t.credit_account_id) and a.owner_type = 'partner' and a.owner_id = ${partnerId}
      join operations o on o.id = t.operation_id
    where t.program_id = ${programId} and t.kind in (${sql.join(
      statementKinds.map((kind) => sql`${kind}`),
      sql`, `,
    )})
      and t.created_at >= ${from.getTime()} and t.created_at < ${until.getTime()}
    order by t.created_at, t.id`);
  return rows.map((row) => ({
    id: row.id,
    createdAt: new Date(Number(row.created_at)),
    kind: row.kind,
    ref: row.ref,
    amount: Number(row.amount),
    metadata: row.metadata ? (JSON.parse(row.metadata) as Record<string, unknown>) : null,
    memberId: row.member_id,
  }));
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
  const rows = await db.all<{ day: number; funded: number }>(sql`
    select cast(t.created_at / 86400000 as integer) as day,
      coalesce(sum(case t.kind when 'partner_share' then t.amount else -t.amount end), 0) as funded
    from transfers t join accounts a on a.id = t.debit_account_id or a.id = t.credit_account_id
    where t.program_id = ${programId} and a.owner_type = 'partner' and a.owner_id = ${partnerId}
      and t.kind in ('partner_share', 'partner_share_return') and t.created_at >= ${from.getTime()} and t.created_at < ${until.getTime()}
    group by 1`);
  return rows.map((row) => ({ day: Number(row.day), funded: Number(row.funded) }));
}

/** The program's campaigns that meet `condition`, each with its partner. */
export function campaignsWithPartners(db: Database, programId: string, condition: SQL) {
  return db
    .select({ campaign: partnerCampaigns, partner: partners })
    .from(partnerCampaigns)
    .innerJoin(partners, eq(partners.id, partnerCampaigns.partnerId))
    .where(and(eq(partnerCampaigns.programId, programId), condition));
}
