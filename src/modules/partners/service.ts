import { and, desc, eq, sql } from 'drizzle-orm';
import {
  checks,
  partnerCampaigns,
  partnerPublications,
  partners,
  settlementPeriods,
  type PartnerPublicationRow,
  type PartnerCampaignRow,
  type PartnerRow,
  type SettlementPeriodRow,
} from '../../../schema';
import type { Clock } from '../../platform/clock';
import type { FingerprintKeys } from '../../platform/fingerprints';
import { constraintViolation } from '../../platform/db/constraint-errors';
import type { Database } from '../../platform/db/database';
import type { KeysetPage } from '../../platform/db/keyset';
import { InvalidInputError } from '../../platform/errors';
import { normalizeCode } from '../../platform/codes';
import { newId } from '../../platform/ids';
import { memberKey, type Serializer } from '../../platform/serializer/serializer';
import { accountFloorStatement } from '../ledger';
import { createOffersService, newOfferStatements, offerChangeStatements, type NewOffer } from '../offers';
import { loadRules } from '../rules';
import { type partnerCommands, partnerSerializerKey, type PartnerFundsInput } from './commands';
import {
  applyPartnerUpdate,
  backingOfferStatus,
  mayAccess,
  nextCampaignStatus,
  type CampaignAction,
  type NewPartner,
  type NewPartnerCampaign,
  type PartnerActor,
  type PartnerCampaignUpdate,
  type PartnerUpdate,
} from './domain';
import {
  CampaignTransitionNotAllowedError,
  CreditLimitBelowOwedError,
  PartnerCampaignNotFoundError,
  PartnerNotActiveError,
  PartnerNotFoundError,
  VoucherLimitReachedError,
} from './errors';
import { memberReference, settlementCsv, settlementLines, settlementTotals } from './settlement';
import { checkAudience, type Audience } from './publication';
import { partnerDailyStats } from './stats';
import { findVoucherCode, type RedeemVoucherInput } from './till';
import { memberVouchers, voucherStatus } from './vouchers';
import {
  partnerTransfers,
  settlementPeriodsOf,
  campaignsByIds,
  campaignsOfPartner,
  findCampaign,
  findPartner,
  fundingAccount,
  fundingBalances,
  listCampaigns,
  listPartners,
  partnersByIds,
  voucherCounterStatement,
} from './repository';

export type PartnersService = ReturnType<typeof createPartnersService>;

/** The offer fields a campaign keeps in its backing offer. */
function offerFieldsOf(campaign: Partial<NewPartnerCampaign>): Partial<NewOffer> {
  const { voucherLimit: _limit, ...fields } = campaign;
  return fields;
}

/** Partner brands, their money and their campaigns (issue 13). */
export function createPartnersService({
  db,
  clock,
  serializer,
  fingerprints,
}: {
  db: Database;
  clock: Clock;
  serializer: Serializer<typeof partnerCommands>;
  fingerprints: FingerprintKeys;
}) {
  const offers = createOffersService({ db, clock });

  async function requirePartner(programId: string, partnerId: string, actor: PartnerActor = { kind: 'admin' }): Promise<PartnerRow> {
    const partner = mayAccess(actor, partnerId) ? await findPartner(db, programId, partnerId) : undefined;
    if (!partner) throw new PartnerNotFoundError(partnerId);
    return partner;
  }

  /** A campaign the actor may act on; another partner's is "not found", so its existence does not leak. */
  async function requireCampaign(programId: string, campaignId: string, actor: PartnerActor): Promise<PartnerCampaignRow> {
    const campaign = await findCampaign(db, programId, campaignId);
    if (!campaign || !mayAccess(actor, campaign.partnerId)) throw new PartnerCampaignNotFoundError(campaignId);
    return campaign;
  }

  function checkTransition(campaign: PartnerCampaignRow, action: CampaignAction, actor: PartnerActor) {
    const next = nextCampaignStatus(campaign.status, action, actor.kind);
    if (!next) throw new CampaignTransitionNotAllowedError(campaign.id, campaign.status, action);
    return next;
  }

  function moveFunds(
    name: 'partners.depositFunds' | 'partners.withdrawFunds',
    programId: string,
    input: Omit<PartnerFundsInput, 'programId'>,
  ) {
    return serializer.execute(memberKey(programId, partnerSerializerKey(input.partnerId)), name, { ...input, programId });
  }

  /** The partner's statement for [from, until): its shares and fees, net of refunds, with totals. */
  async function statement(programId: string, partnerId: string, from: Date, until: Date, actor: PartnerActor = { kind: 'admin' }) {
    const partner = await requirePartner(programId, partnerId, actor);
    if (from >= until) throw new InvalidInputError([{ path: ['to'], message: 'must be after from' }]);
    const lines = settlementLines(await partnerTransfers(db, programId, partnerId, from, until), (memberId) =>
      memberReference(fingerprints, partnerId, memberId),
    );
    const totals = settlementTotals(lines);
    return { partner, from, until, currency: partner.currency, lines, totals, csv: () => settlementCsv(lines, totals) };
  }

  return {
    /** A voucher's status at the service's clock (a voucher expires with time). */
    voucherStatus: (code: Parameters<typeof voucherStatus>[0]) => voucherStatus(code, clock.now()),
    requirePartner,
    statement,
    periods: (programId: string, partnerId: string) => settlementPeriodsOf(db, programId, partnerId),

    /**
     * Freezes the partner's statement from the end of its last period (or the beginning) up to
     * `until`, at most now: transfers are immutable and new ones are dated now, so what a later
     * refund gives back lands in the next period. Closing the same `until` again returns the period.
     */
    async closePeriod(programId: string, partnerId: string, until: Date): Promise<SettlementPeriodRow> {
      const now = clock.now();
      if (until > now) throw new InvalidInputError([{ path: ['input', 'until'], message: 'a period closes at most up to now' }]);
      for (let attempt = 0; attempt < 3; attempt++) {
        const [last, ...earlier] = await settlementPeriodsOf(db, programId, partnerId);
        const closed = [last, ...earlier].find((period) => period?.until.getTime() === until.getTime());
        if (closed) return closed;
        const from = last?.until ?? new Date(0);
        if (until <= from)
          throw new InvalidInputError([
            { path: ['input', 'until'], message: `the partner is settled up to ${from.toISOString()} already` },
          ]);
        const { totals, lines, currency } = await statement(programId, partnerId, from, until);
        try {
          const [row] = await db
            .insert(settlementPeriods)
            .values({
              id: newId(),
              programId,
              partnerId,
              from,
              until,
              currency,
              lineCount: lines.length,
              discount: totals.discount,
              partnerShare: totals.partnerShare,
              fees: totals.fees,
              closedAt: now,
            })
            .returning();
          return row!;
        } catch (error) {
          // Another close of the same partner won: read again and answer from what it wrote.
          if (constraintViolation(error)?.kind !== 'unique') throw error;
        }
      }
      throw new Error(`Settlement of partner ${partnerId} keeps racing`);
    },
    byIds: (programId: string, ids: readonly string[]) => partnersByIds(db, programId, ids),
    list: (programId: string, page: KeysetPage) => listPartners(db, programId, page),
    fundingBalances: (partnerRows: readonly PartnerRow[]) => fundingBalances(db, partnerRows),

    /** Whether a partner token may still be used: its partner exists and is ACTIVE. */
    async isActive(programId: string, partnerId: string) {
      return (await findPartner(db, programId, partnerId))?.status === 'active';
    },

    async create(programId: string, input: NewPartner): Promise<PartnerRow> {
      const { currency } = await loadRules(db, programId);
      const now = clock.now();
      const [row] = await db
        .insert(partners)
        .values({ id: newId(), programId, status: 'active', currency, ...input, createdAt: now, updatedAt: now })
        .returning();
      return row!;
    },

    /**
     * Changes a partner's profile, terms or status in one batch: the receivable's floor follows the
     * credit limit (its CHECK refuses a limit below what is owed), and the campaigns' offers stop or
     * start with the partner's status.
     */
    async update(programId: string, partnerId: string, update: PartnerUpdate): Promise<PartnerRow> {
      const partner = await requirePartner(programId, partnerId);
      const next = applyPartnerUpdate(partner, update);
      if ('issue' in next) throw new InvalidInputError([{ path: ['input', ...next.issue.path], message: next.issue.message }]);
      if (next.funding !== partner.funding && (await fundingBalances(db, [partner])).get(partnerId) !== 0) {
        throw new InvalidInputError([
          { path: ['input', 'funding'], message: 'settle the partner’s balance to 0 before changing its funding' },
        ]);
      }
      const now = clock.now();
      const { id: _id, programId: _program, createdAt: _created, ...changes } = next;
      const receivable = fundingAccount(next);
      const offerChanges =
        next.status === partner.status
          ? []
          : (await campaignsOfPartner(db, programId, partnerId)).flatMap((campaign) =>
              offerChangeStatements(db, programId, campaign.offerId, { status: backingOfferStatus(campaign.status, next.status) }, now),
            );
      try {
        const [[row]] = await db.batch([
          db
            .update(partners)
            .set({ ...changes, updatedAt: now })
            .where(and(eq(partners.programId, programId), eq(partners.id, partnerId)))
            .returning(),
          accountFloorStatement(db, receivable.id, receivable.floor, sql`${next.funding} = 'postpaid'`),
          ...offerChanges,
        ]);
        return row!;
      } catch (error) {
        const violation = constraintViolation(error);
        if (violation?.kind === 'check' && violation.targets.includes(checks.accountsFloor)) {
          throw new CreditLimitBelowOwedError(partnerId, -((await fundingBalances(db, [partner])).get(partnerId) ?? 0));
        }
        throw error;
      }
    },

    depositFunds: (programId: string, input: Omit<PartnerFundsInput, 'programId'>) => moveFunds('partners.depositFunds', programId, input),
    withdrawFunds: (programId: string, input: Omit<PartnerFundsInput, 'programId'>) =>
      moveFunds('partners.withdrawFunds', programId, input),

    campaignsByIds: (programId: string, ids: readonly string[]) => campaignsByIds(db, programId, ids),
    campaigns: (programId: string, partnerId: string | null, page: KeysetPage) => listCampaigns(db, programId, partnerId, page),
    requireCampaign,

    /** The status of a campaign of the program and of its partner (null: none): what a partner-gift offer checks. */
    async voucherCampaignStatus(programId: string, campaignId: string) {
      const campaign = await findCampaign(db, programId, campaignId);
      const partner = campaign && (await findPartner(db, programId, campaign.partnerId));
      return campaign && partner ? { status: campaign.status, partnerStatus: partner.status } : null;
    },

    /** A DRAFT campaign of the partner, backed by a paused, code-only offer written in the same batch. */
    async createCampaign(programId: string, partnerId: string, input: NewPartnerCampaign): Promise<PartnerCampaignRow> {
      const partner = await requirePartner(programId, partnerId);
      if (partner.status !== 'active') throw new PartnerNotActiveError(partnerId, partner.status);
      await offers.checkConditions(programId, input.conditions);
      const now = clock.now();
      const offerId = newId();
      const offer: NewOffer & { id: string } = {
        id: offerId,
        ...offerFieldsOf(input),
        name: input.name,
        description: input.description,
        status: 'paused',
        codeRequired: true,
        priority: 0,
        exclusive: false,
        maxRedemptions: null,
        perMemberLimitPeriod: null,
        perMemberLimitWindow: 'calendar',
      } as NewOffer & { id: string };
      const [, , [row]] = await db.batch([
        ...newOfferStatements(db, programId, offer, now),
        db
          .insert(partnerCampaigns)
          .values({
            id: newId(),
            programId,
            partnerId,
            offerId,
            status: 'draft',
            voucherLimit: input.voucherLimit,
            createdAt: now,
            updatedAt: now,
          })
          .returning(),
      ]);
      return row!;
    },

    /** Changes the partner's own DRAFT campaign (and its offer) in one batch. */
    async updateCampaign(
      programId: string,
      actor: PartnerActor,
      campaignId: string,
      update: PartnerCampaignUpdate,
    ): Promise<PartnerCampaignRow> {
      const campaign = await requireCampaign(programId, campaignId, actor);
      checkTransition(campaign, 'update', actor);
      const current = await offers.requireOffer(programId, campaign.offerId);
      const window = {
        startsAt: update.startsAt === undefined ? current.startsAt : update.startsAt,
        endsAt: update.endsAt === undefined ? current.endsAt : update.endsAt,
      };
      if (window.startsAt && window.endsAt && window.startsAt >= window.endsAt)
        throw new InvalidInputError([{ path: ['input', 'endsAt'], message: 'endsAt must be after startsAt' }]);
      if (update.conditions) await offers.checkConditions(programId, update.conditions);
      const now = clock.now();
      const offerChanges = Object.fromEntries(Object.entries(offerFieldsOf(update)).filter(([, value]) => value !== undefined));
      const [[row]] = await db.batch([
        db
          .update(partnerCampaigns)
          .set({ ...(update.voucherLimit === undefined ? {} : { voucherLimit: update.voucherLimit }), updatedAt: now })
          .where(and(eq(partnerCampaigns.id, campaignId), eq(partnerCampaigns.status, 'draft')))
          .returning(),
        ...offerChangeStatements(db, programId, campaign.offerId, offerChanges, now),
      ]);
      if (!row) throw new CampaignTransitionNotAllowedError(campaignId, (await findCampaign(db, programId, campaignId))!.status, 'update');
      return row;
    },

    /**
     * Moves a campaign along its lifecycle (submit, approve, reject with a reason, pause, resume,
     * end); its offer goes live or stops in the same batch. The status it leaves is part of the
     * update's condition, so two racing transitions cannot both apply.
     */
    async transitionCampaign(
      programId: string,
      actor: PartnerActor,
      campaignId: string,
      action: Exclude<CampaignAction, 'update' | 'issueVouchers' | 'publish'>,
      reason: string | null = null,
    ) {
      const campaign = await requireCampaign(programId, campaignId, actor);
      const status = checkTransition(campaign, action, actor);
      const partner = await requirePartner(programId, campaign.partnerId);
      if ((action === 'submit' || action === 'approve' || action === 'resume') && partner.status !== 'active')
        throw new PartnerNotActiveError(partner.id, partner.status);
      const now = clock.now();
      const rejectionReason = action === 'reject' ? reason : action === 'submit' ? null : campaign.rejectionReason;
      const [[row]] = await db.batch([
        db
          .update(partnerCampaigns)
          .set({ status, rejectionReason, updatedAt: now })
          .where(and(eq(partnerCampaigns.id, campaignId), eq(partnerCampaigns.status, campaign.status)))
          .returning(),
        ...offerChangeStatements(db, programId, campaign.offerId, { status: backingOfferStatus(status, partner.status) }, now),
      ]);
      if (!row) throw new CampaignTransitionNotAllowedError(campaignId, (await findCampaign(db, programId, campaignId))!.status, action);
      return row;
    },

    /**
     * `count` unique single-use codes of an ACTIVE campaign, made by the promo-code machinery, in one
     * batch with the campaign's voucher counter: its CHECK keeps concurrent requests within the
     * limit, and a batch it stops writes no code either.
     */
    async issueVouchers(programId: string, actor: PartnerActor, campaignId: string, count: number) {
      const campaign = await requireCampaign(programId, campaignId, actor);
      checkTransition(campaign, 'issueVouchers', actor);
      const partner = await requirePartner(programId, campaign.partnerId);
      if (partner.status !== 'active') throw new PartnerNotActiveError(partner.id, partner.status);
      const offer = await offers.requireOffer(programId, campaign.offerId);
      const request = { count, prefix: '', length: 10, minimumSpend: null, expiresAt: offer.endsAt };
      try {
        return await offers.generateCodes(programId, campaign.offerId, request, [
          voucherCounterStatement(db, campaignId, count, clock.now()),
        ]);
      } catch (error) {
        if (constraintViolation(error)?.targets.includes(checks.partnerCampaignsVoucherLimit)) {
          const now = (await findCampaign(db, programId, campaignId))!;
          throw new VoucherLimitReachedError(campaignId, count, now.voucherLimit - now.vouchersIssued);
        }
        throw error;
      }
    },

    /**
     * Publishes an ACTIVE campaign to an audience of host members: a publication that the
     * `publish-partner-campaigns` job works through in chunks (the caller starts it).
     */
    async publish(programId: string, campaignId: string, audience: Audience): Promise<PartnerPublicationRow> {
      const admin: PartnerActor = { kind: 'admin' };
      const campaign = await requireCampaign(programId, campaignId, admin);
      checkTransition(campaign, 'publish', admin);
      const partner = await requirePartner(programId, campaign.partnerId);
      if (partner.status !== 'active') throw new PartnerNotActiveError(partner.id, partner.status);
      await checkAudience(db, programId, audience);
      const [row] = await db
        .insert(partnerPublications)
        .values({ id: newId(), programId, campaignId, audience, status: 'running', createdAt: clock.now() })
        .returning();
      return row!;
    },
    publications: (programId: string, campaignId: string) =>
      db
        .select()
        .from(partnerPublications)
        .where(and(eq(partnerPublications.programId, programId), eq(partnerPublications.campaignId, campaignId)))
        .orderBy(desc(partnerPublications.id)),
    async publication(programId: string, publicationId: string) {
      const [row] = await db
        .select()
        .from(partnerPublications)
        .where(and(eq(partnerPublications.programId, programId), eq(partnerPublications.id, publicationId)));
      return row;
    },

    /** A member's personal partner vouchers, newest first. */
    memberVouchers: (programId: string, memberId: string, page: KeysetPage) => memberVouchers(db, programId, memberId, page),

    /**
     * A voucher of the partner's campaigns redeemed at the partner's own till, in the voucher
     * member's serializer (a generated code without a member: the partner's). Idempotent by the
     * order reference unless an idempotency key is given.
     */
    async redeemVoucher(
      programId: string,
      input: Omit<RedeemVoucherInput, 'programId' | 'idempotencyKey'> & { idempotencyKey: string | null },
    ) {
      // Normalized first: the same voucher typed in lower case is the same request.
      const code = normalizeCode(input.code);
      const found = await findVoucherCode(db, programId, code);
      const key = found?.promoCode.assignedMemberId ?? partnerSerializerKey(input.partnerId);
      return serializer.execute(memberKey(programId, key), 'partners.redeemVoucher', {
        ...input,
        code,
        programId,
        idempotencyKey: input.idempotencyKey ?? `redeemVoucher:${input.partnerId}:${input.orderReference}`,
      });
    },

    /** The partner's voucher statistics per UTC day in [from, until). */
    async stats(programId: string, partnerId: string, from: Date, until: Date, actor: PartnerActor) {
      const partner = await requirePartner(programId, partnerId, actor);
      return { partner, from, until, ...(await partnerDailyStats(db, programId, partnerId, from, until)) };
    },

    offer: (programId: string, campaign: PartnerCampaignRow) => offers.requireOffer(programId, campaign.offerId),
    batchCsv: (programId: string, batchId: string) => offers.batchCsv(programId, batchId),
    listCodes: (programId: string, filter: { offerId?: string; batchId?: string }, page: KeysetPage) =>
      offers.listCodes(programId, filter, page),
  };
}
