import { and, eq, inArray, type SQL } from 'drizzle-orm';
import { accounts, partnerCampaigns, partners, type PartnerCampaignRow, type PartnerRow } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { keyset, type KeysetPage } from '../../platform/db/keyset';
import { account, type AccountRef } from '../ledger';

/** The account a partner's money sits in: its deposit (prepaid), or its receivable, floored at minus its credit limit (postpaid). */
export function fundingAccount(partner: Pick<PartnerRow, 'programId' | 'id' | 'funding' | 'currency' | 'creditLimit'>): AccountRef {
  if (partner.funding === 'prepaid') return account(partner.programId, 'partnerDeposit', partner.currency, partner.id);
  return { ...account(partner.programId, 'partnerReceivable', partner.currency, partner.id), floor: -(partner.creditLimit ?? 0) };
}

export async function findPartner(db: Database, programId: string, partnerId: string): Promise<PartnerRow | undefined> {
  const [row] = await db.select().from(partners).where(and(eq(partners.programId, programId), eq(partners.id, partnerId)));
  return row;
}

export async function partnersByIds(db: Database, programId: string, ids: readonly string[]) {
  const rows = await db.select().from(partners).where(and(eq(partners.programId, programId), inArray(partners.id, [...ids])));
  return ids.map((id) => rows.find((row) => row.id === id) ?? null);
}

export function listPartners(db: Database, programId: string, page: KeysetPage) {
  const { conditions, orderBy, limit } = keyset(partners.id, page);
  return db.select().from(partners).where(and(eq(partners.programId, programId), ...conditions)).orderBy(orderBy).limit(limit);
}

/** Balances of the partners' funding accounts (0 for an account not yet used), by partner id. */
export async function fundingBalances(db: Database, partnerRows: readonly PartnerRow[]): Promise<Map<string, number>> {
  const ids = partnerRows.map((partner) => fundingAccount(partner).id);
  const rows = ids.length === 0 ? [] : await db.select({ id: accounts.id, balance: accounts.balance }).from(accounts).where(inArray(accounts.id, ids));
  return new Map(partnerRows.map((partner) => [partner.id, rows.find((row) => row.id === fundingAccount(partner).id)?.balance ?? 0]));
}

export async function findCampaign(db: Database, programId: string, campaignId: string): Promise<PartnerCampaignRow | undefined> {
  const [row] = await db.select().from(partnerCampaigns).where(and(eq(partnerCampaigns.programId, programId), eq(partnerCampaigns.id, campaignId)));
  return row;
}

export async function campaignsByIds(db: Database, programId: string, ids: readonly string[]) {
  const rows = await db.select().from(partnerCampaigns).where(and(eq(partnerCampaigns.programId, programId), inArray(partnerCampaigns.id, [...ids])));
  return ids.map((id) => rows.find((row) => row.id === id) ?? null);
}

export function listCampaigns(db: Database, programId: string, partnerId: string | null, page: KeysetPage) {
  const { conditions, orderBy, limit } = keyset(partnerCampaigns.id, page);
  const where: SQL[] = [eq(partnerCampaigns.programId, programId), ...conditions];
  if (partnerId) where.push(eq(partnerCampaigns.partnerId, partnerId));
  return db.select().from(partnerCampaigns).where(and(...where)).orderBy(orderBy).limit(limit);
}

export function campaignsOfPartner(db: Database, programId: string, partnerId: string) {
  return db.select().from(partnerCampaigns).where(and(eq(partnerCampaigns.programId, programId), eq(partnerCampaigns.partnerId, partnerId)));
}
