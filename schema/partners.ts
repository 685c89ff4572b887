import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, uniqueIndex, check } from 'drizzle-orm/sqlite-core';
import { programIdColumn, wholeWithin, nullOrWholeWithin } from './columns';
import { MAX_AMOUNT, MAX_BALANCE, MAX_BASIS_POINTS, MAX_QUANTITY } from '../src/platform/bounds';
import { offers, promoCodes } from './offers';
import { memberIdColumn } from './members';
import { orders } from './orders';
import { partnerCampaignStatuses, partnerFundings, partnerPublicationStatuses, partnerStatuses } from './values';
import { checks } from './constraints';

/**
 * A partner brand of the host program and its commercial terms: what share of each voucher discount
 * it funds, the fee the host charges per redemption, and how it pays (a prepaid deposit, or a credit
 * limit billed per settlement period).
 */
export const partners = sqliteTable(
  'partners',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    name: text('name').notNull(),
    status: text('status', { enum: partnerStatuses }).notNull(),
    contactName: text('contact_name'),
    contactEmail: text('contact_email'),
    funding: text('funding', { enum: partnerFundings }).notNull(),
    /** ISO currency of the deposit, receivable and fees. */
    currency: text('currency').notNull(),
    /** POSTPAID only: most the partner may owe, minor units. */
    creditLimit: integer('credit_limit'),
    costShareBasisPoints: integer('cost_share_basis_points').notNull(),
    feePerRedemption: integer('fee_per_redemption').notNull().default(0),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('partners_program').on(t.programId, t.id),
    check(checks.partnersStatus, sql`${t.status} in ('active', 'suspended', 'archived')`),
    check(
      checks.partnersFunding,
      sql`(${t.funding} = 'prepaid' and ${t.creditLimit} is null) or (${t.funding} = 'postpaid' and ${t.creditLimit} is not null)`,
    ),
    check(
      checks.partnersTermsRange,
      sql`${wholeWithin(t.costShareBasisPoints, 0, MAX_BASIS_POINTS)} and ${wholeWithin(t.feePerRedemption, 0, MAX_AMOUNT)} and ${nullOrWholeWithin(t.creditLimit, 0, MAX_AMOUNT)}`,
    ),
  ],
);

/**
 * A cross-promotion a partner funds in the host program. Its effect, conditions, validity, per-member
 * limit and money budget live in the offer it is backed by (`offer_id`), so checkout evaluates and
 * guards it like any offer; the offer is live only while the campaign is ACTIVE and its partner too.
 * `vouchers_issued` is guarded against `voucher_limit` by a CHECK, as offers guard their counters.
 */
export const partnerCampaigns = sqliteTable(
  'partner_campaigns',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    offerId: text('offer_id')
      .notNull()
      .references(() => offers.id),
    status: text('status', { enum: partnerCampaignStatuses }).notNull(),
    /** Why the host sent the campaign back to DRAFT; cleared when it is submitted again. */
    rejectionReason: text('rejection_reason'),
    voucherLimit: integer('voucher_limit').notNull(),
    vouchersIssued: integer('vouchers_issued').notNull().default(0),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('partner_campaigns_partner').on(t.programId, t.partnerId, t.id),
    index('partner_campaigns_offer').on(t.offerId),
    check(checks.partnerCampaignsStatus, sql`${t.status} in ('draft', 'submitted', 'active', 'paused', 'ended')`),
    check(
      checks.partnerCampaignsVoucherLimit,
      sql`${wholeWithin(t.voucherLimit, 1, MAX_QUANTITY)} and ${wholeWithin(t.vouchersIssued, 0, MAX_QUANTITY)} and ${t.vouchersIssued} <= ${t.voucherLimit}`,
    ),
  ],
);

export type PartnerRow = typeof partners.$inferSelect;
export type PartnerCampaignRow = typeof partnerCampaigns.$inferSelect;

/**
 * A closed settlement period of a partner: the statement of its transfers from `from` (the previous
 * period's `until`) to `until`, frozen with its totals. Transfers are immutable and a period closes
 * only up to now, so the statement recomputed later equals these totals (the ledger audit checks it).
 */
export const settlementPeriods = sqliteTable(
  'settlement_periods',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    from: integer('from', { mode: 'timestamp_ms' }).notNull(),
    until: integer('until', { mode: 'timestamp_ms' }).notNull(),
    currency: text('currency').notNull(),
    lineCount: integer('line_count').notNull(),
    discount: integer('discount').notNull(),
    partnerShare: integer('partner_share').notNull(),
    fees: integer('fees').notNull(),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('settlement_periods_partner_until').on(t.partnerId, t.until),
    /** Periods follow each other: two closes racing from the same start cannot both be written. */
    uniqueIndex('settlement_periods_partner_from').on(t.partnerId, t.from),
    check(checks.settlementPeriodsWindow, sql`${t.from} < ${t.until}`),
    check(
      checks.settlementPeriodsRange,
      sql`${wholeWithin(t.discount, -MAX_BALANCE, MAX_BALANCE)} and ${wholeWithin(t.partnerShare, -MAX_BALANCE, MAX_BALANCE)} and ${wholeWithin(t.fees, -MAX_BALANCE, MAX_BALANCE)}`,
    ),
  ],
);
export type SettlementPeriodRow = typeof settlementPeriods.$inferSelect;

/**
 * What a campaign was published to: an audience of host members, each given a personal voucher in
 * chunks by the `publish-partner-campaigns` job. `cursor` (the last member id covered) moves in the
 * same batch as the vouchers of its chunk, so a publication stopped anywhere resumes exactly.
 */
export const partnerPublications = sqliteTable(
  'partner_publications',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => partnerCampaigns.id),
    /** `{ all: true }`, `{ tierIds: [...] }` or `{ segmentIds: [...] }`. */
    audience: text('audience', { mode: 'json' }).$type<{ all: boolean; tierIds: string[]; segmentIds: string[] }>().notNull(),
    status: text('status', { enum: partnerPublicationStatuses }).notNull(),
    cursor: text('cursor'),
    issued: integer('issued').notNull().default(0),
    /** Why it stopped before the end of the audience: VOUCHER_LIMIT_REACHED, BUDGET_EXHAUSTED, CAMPAIGN_NOT_ACTIVE. */
    stoppedBy: text('stopped_by'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('partner_publications_status').on(t.programId, t.status, t.id),
    index('partner_publications_campaign').on(t.campaignId, t.id),
    check(checks.partnerPublicationsStatus, sql`${t.status} in ('running', 'done')`),
    check(checks.partnerPublicationsRange, wholeWithin(t.issued, 0, MAX_QUANTITY)),
  ],
);
export type PartnerPublicationRow = typeof partnerPublications.$inferSelect;

/**
 * A personal voucher of a partner campaign given to one host member: published to an audience
 * (once per member and campaign) or earned by a host order (voided by that order's full refund
 * while unused). The code itself is a single-use, auto-applying promo code of the campaign's offer.
 */
export const partnerVouchers = sqliteTable(
  'partner_vouchers',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => partnerCampaigns.id),
    codeId: text('code_id')
      .notNull()
      .references(() => promoCodes.id),
    memberId: memberIdColumn(),
    publicationId: text('publication_id').references(() => partnerPublications.id),
    orderPk: text('order_pk').references(() => orders.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('partner_vouchers_code').on(t.codeId),
    /** Published never twice to the same member for the same campaign. */
    uniqueIndex('partner_vouchers_published').on(t.campaignId, t.memberId).where(sql`${t.publicationId} is not null`),
    /** One voucher of a campaign per order that earns it. */
    uniqueIndex('partner_vouchers_order').on(t.orderPk, t.campaignId),
    index('partner_vouchers_member').on(t.programId, t.memberId, t.id),
  ],
);
export type PartnerVoucherRow = typeof partnerVouchers.$inferSelect;

/**
 * A host-issued voucher redeemed at the partner's own till (`redeemVoucher`): the order there is
 * the partner's, so only its reference and amount are known. One per partner and order reference.
 */
export const partnerTillRedemptions = sqliteTable(
  'partner_till_redemptions',
  {
    id: text('id').primaryKey(),
    programId: programIdColumn(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => partnerCampaigns.id),
    codeId: text('code_id')
      .notNull()
      .references(() => promoCodes.id),
    memberId: text('member_id'),
    orderReference: text('order_reference').notNull(),
    amount: integer('amount').notNull(),
    discount: integer('discount').notNull(),
    /** The part of the discount the partner bears itself (the host pays the rest back). */
    partnerShare: integer('partner_share').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('partner_till_redemptions_reference').on(t.partnerId, t.orderReference),
    uniqueIndex('partner_till_redemptions_code').on(t.codeId),
    index('partner_till_redemptions_partner').on(t.programId, t.partnerId, t.createdAt),
    check(
      checks.partnerTillRedemptionsRange,
      sql`${wholeWithin(t.amount, 1, MAX_AMOUNT)} and ${wholeWithin(t.discount, 0, MAX_AMOUNT)} and ${wholeWithin(t.partnerShare, 0, MAX_AMOUNT)} and ${t.discount} <= ${t.amount} and ${t.partnerShare} <= ${t.discount}`,
    ),
  ],
);
export type PartnerTillRedemptionRow = typeof partnerTillRedemptions.$inferSelect;
