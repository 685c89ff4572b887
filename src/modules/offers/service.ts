import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import { offers, promoCodeBatches, promoCodes, stampCards, type OfferStatus, type PromoCodeRow, checks } from '../../../schema';
import type { Clock } from '../../platform/clock';
import { constraintViolation } from '../../platform/db/constraint-errors';
import { type Database, type Statement, writeBatch } from '../../platform/db/database';
import { keyset, type KeysetPage } from '../../platform/db/keyset';
import { InvalidInputError } from '../../platform/errors';
import { newId } from '../../platform/ids';
import { requireActiveMember } from '../members';
import { codesCsv, generateCodes, type CodeBatchRequest, type NewPromoCode } from './domain/codes';
import { normalizeCode } from '../../platform/codes';
import {
  applyOfferUpdate,
  hasLimitForPeriod,
  isWindowValid,
  type NewOffer,
  type Offer,
  type OfferConditions,
  type OfferEffect,
  type OfferUpdate,
} from './domain/offer';
import {
  DuplicatePromoCodeError,
  OfferNotFoundError,
  PromoCodeNotFoundError,
  VoucherCampaignNotActiveError,
  VoucherCampaignNotFoundError,
} from './errors';
import { bumpRevision } from './active-offers';
import { codeTaken } from './personal-codes';
import { existingTierIds } from '../tiers';
import { experimentsByIds } from '../experiments';
import { existingSegmentIds } from '../segments';

/** SQLite allows 32,766 bound variables; 12 columns × 1,000 rows stays well under. */
const INSERT_CHUNK = 1000;

/** A limit lowered below what the offer has already given trips the counters' CHECK. */
function belowCountersError(error: unknown): InvalidInputError | null {
  const violation = constraintViolation(error);
  if (violation?.kind !== 'check') return null;
  if (violation.targets.includes(checks.offersRedemptionCap))
    return new InvalidInputError([{ path: ['input', 'maxRedemptions'], message: 'must not be below the redemptions so far' }]);
  if (violation.targets.includes(checks.offersBudget))
    return new InvalidInputError([{ path: ['input', 'budget'], message: 'must not be below the discount given so far' }]);
  return null;
}

export type OffersService = ReturnType<typeof createOffersService>;

/** Writes a new offer in another module's batch (a partner campaign is backed by one). */
export function newOfferStatements(db: Database, programId: string, offer: NewOffer & { id: string }, now: Date) {
  return [db.insert(offers).values({ ...offer, programId, createdAt: now, updatedAt: now }), bumpRevision(db, programId)] as const;
}

/** Changes an offer in another module's batch; checkout sees the change through the revision. */
export function offerChangeStatements(db: Database, programId: string, offerId: string, changes: Partial<NewOffer>, now: Date) {
  return [
    db
      .update(offers)
      .set({ ...changes, updatedAt: now })
      .where(and(eq(offers.programId, programId), eq(offers.id, offerId))),
    bumpRevision(db, programId),
  ] as const;
}

/**
 * The status of a partner campaign of the program (null: none), and of its partner: what an offer
 * giving its vouchers needs to know. The partners module answers it (offers sit below partners).
 */
export type VoucherCampaignLookup = (programId: string, campaignId: string) => Promise<{ status: string; partnerStatus: string } | null>;

/** Offer and promo-code administration, and what members hold. */
export function createOffersService({
  db,
  clock,
  voucherCampaigns,
}: {
  db: Database;
  clock: Clock;
  voucherCampaigns?: VoucherCampaignLookup;
}) {
  async function requireOffer(programId: string, offerId: string): Promise<Offer> {
    const [offer] = await db
      .select()
      .from(offers)
      .where(and(eq(offers.programId, programId), eq(offers.id, offerId)));
    if (!offer) throw new OfferNotFoundError(offerId);
    return offer;
  }

  async function checkSegments(programId: string, segmentIds: string[] = [], experimentId: string | null = null) {
    if (experimentId && (await experimentsByIds(db, programId, [experimentId])).length === 0)
      throw new InvalidInputError([{ path: ['input', 'conditions', 'experimentId'], message: 'no such experiment in this program' }]);
    if (segmentIds.length === 0) return;
    const known = await existingSegmentIds(db, programId, segmentIds);
    if (known.length !== segmentIds.length)
      throw new InvalidInputError([{ path: ['input', 'conditions', 'segmentIds'], message: 'a segment does not exist in this program' }]);
  }

  async function checkTiers(programId: string, tierIds: string[]) {
    if (tierIds.length === 0) return;
    const known = await existingTierIds(db, programId, tierIds);
    if (known.length !== new Set(tierIds).size)
      throw new InvalidInputError([{ path: ['input', 'conditions', 'tierIds'], message: 'a tier does not exist in this program' }]);
  }

  /** A partnerVoucher effect gives vouchers of an ACTIVE campaign of this program, whose partner is ACTIVE. */
  async function checkEffect(programId: string, effect: OfferEffect) {
    if (effect.kind !== 'partner_voucher') return;
    const found = voucherCampaigns ? await voucherCampaigns(programId, effect.campaignId) : null;
    if (!found) throw new VoucherCampaignNotFoundError(effect.campaignId);
    if (found.status !== 'active') throw new VoucherCampaignNotActiveError(effect.campaignId, found.status);
    if (found.partnerStatus !== 'active') throw new VoucherCampaignNotActiveError(effect.campaignId, `partner ${found.partnerStatus}`);
  }

  /** Every tier and segment the conditions name exists in the program (InvalidInputError with the path otherwise). */
  async function checkConditions(programId: string, conditions: OfferConditions) {
    await checkTiers(programId, conditions.tierIds);
    await checkSegments(programId, conditions.segmentIds, conditions.experimentId);
  }

  return {
    requireOffer,
    checkConditions,
    async byIds(programId: string, ids: readonly string[]) {
      const rows = await db
        .select()
        .from(offers)
        .where(and(eq(offers.programId, programId), inArray(offers.id, [...ids])));
      return ids.map((id) => rows.find((row) => row.id === id) ?? null);
    },

    list(programId: string, page: KeysetPage & { status: OfferStatus | null }) {
      const { conditions, orderBy, limit } = keyset(offers.id, page);
      const where: SQL[] = [eq(offers.programId, programId), ...conditions];
      if (page.status) where.push(eq(offers.status, page.status));
      return db
        .select()
        .from(offers)
        .where(and(...where))
        .orderBy(orderBy)
        .limit(limit);
    },

    async create(programId: string, offer: NewOffer): Promise<Offer> {
      await checkEffect(programId, offer.effect);
      await checkConditions(programId, offer.conditions);
      const now = clock.now();
      const [[row]] = await db.batch([
        db
          .insert(offers)
          .values({ id: newId(), programId, ...offer, createdAt: now, updatedAt: now })
          .returning(),
        bumpRevision(db, programId),
      ]);
      return row!;
    },

    async update(programId: string, offerId: string, update: OfferUpdate): Promise<Offer> {
      const next = applyOfferUpdate(await requireOffer(programId, offerId), update);
      if (!isWindowValid(next)) throw new InvalidInputError([{ path: ['input', 'endsAt'], message: 'endsAt must be after startsAt' }]);
      if (!hasLimitForPeriod(next))
        throw new InvalidInputError([{ path: ['input', 'perMemberLimitPeriod'], message: 'perMemberLimitPeriod needs perMemberLimit' }]);
      if (update.effect) await checkEffect(programId, update.effect);
      if (update.conditions) await checkConditions(programId, update.conditions);
      const {
        id: _id,
        programId: _program,
        createdAt: _created,
        redemptions: _r,
        discountGiven: _d,
        bonusPointsGiven: _b,
        ...changes
      } = next;
      try {
        const [[row]] = await db.batch([
          db
            .update(offers)
            .set({ ...changes, updatedAt: clock.now() })
            .where(and(eq(offers.programId, programId), eq(offers.id, offerId)))
            .returning(),
          bumpRevision(db, programId),
        ]);
        return row!;
      } catch (error) {
        throw belowCountersError(error) ?? error;
      }
    },

    async createCode(programId: string, offerId: string, code: NewPromoCode): Promise<PromoCodeRow> {
      await requireOffer(programId, offerId);
      if (code.assignedMemberId) await requireActiveMember(db, { programId, memberId: code.assignedMemberId });
      try {
        const [row] = await db
          .insert(promoCodes)
          .values({ id: newId(), programId, offerId, ...code, createdAt: clock.now() })
          .returning();
        return row!;
      } catch (error) {
        if (constraintViolation(error)?.kind === 'unique') throw new DuplicatePromoCodeError(code.code);
        throw error;
      }
    },

    /**
     * A batch of unique single-use codes, written in one batch with `alongside` (another module's
     * statements, e.g. a counter that a CHECK keeps within a limit): all of it or nothing. A draw that
     * collides with an existing code is drawn again.
     */
    async generateCodes(programId: string, offerId: string, request: CodeBatchRequest, alongside: Statement[] = []) {
      await requireOffer(programId, offerId);
      const now = clock.now();
      for (let attempt = 1; ; attempt++) {
        const batch = { id: newId(), programId, offerId, prefix: request.prefix, count: request.count, createdAt: now };
        const codes = new Set<string>();
        while (codes.size < request.count) {
          for (const code of generateCodes(request.prefix, request.length, request.count - codes.size)) codes.add(code);
        }
        const rows = [...codes].map((code) => ({
          id: newId(),
          programId,
          offerId,
          batchId: batch.id,
          code,
          maxUses: 1,
          minimumSpend: request.minimumSpend,
          expiresAt: request.expiresAt,
          createdAt: now,
        }));
        const inserts = Array.from({ length: Math.ceil(rows.length / INSERT_CHUNK) }, (_, index) =>
          db.insert(promoCodes).values(rows.slice(index * INSERT_CHUNK, (index + 1) * INSERT_CHUNK)),
        );
        try {
          await writeBatch(db, [...alongside, db.insert(promoCodeBatches).values(batch), ...inserts]);
          return batch;
        } catch (error) {
          const violation = constraintViolation(error);
          if (attempt < 10 && violation && codeTaken(violation)) continue;
          throw error;
        }
      }
    },

    async batchesByIds(programId: string, ids: readonly string[]) {
      const rows = await db
        .select()
        .from(promoCodeBatches)
        .where(and(eq(promoCodeBatches.programId, programId), inArray(promoCodeBatches.id, [...ids])));
      return ids.map((id) => rows.find((row) => row.id === id) ?? null);
    },

    listCodes(programId: string, filter: { offerId?: string; batchId?: string }, page: KeysetPage) {
      const { conditions, orderBy, limit } = keyset(promoCodes.id, page);
      const where: SQL[] = [eq(promoCodes.programId, programId), ...conditions];
      if (filter.offerId) where.push(eq(promoCodes.offerId, filter.offerId));
      if (filter.batchId) where.push(eq(promoCodes.batchId, filter.batchId));
      return db
        .select()
        .from(promoCodes)
        .where(and(...where))
        .orderBy(orderBy)
        .limit(limit);
    },

    async batchCsv(programId: string, batchId: string): Promise<string> {
      const rows = await db
        .select()
        .from(promoCodes)
        .where(and(eq(promoCodes.programId, programId), eq(promoCodes.batchId, batchId)))
        .orderBy(asc(promoCodes.id));
      return codesCsv(rows);
    },

    /** Gives a code to one member: only they can use it, and it shows in their available offers. */
    async assignCode(programId: string, code: string, memberId: string): Promise<PromoCodeRow> {
      await requireActiveMember(db, { programId, memberId });
      const [row] = await db
        .update(promoCodes)
        .set({ assignedMemberId: memberId })
        .where(and(eq(promoCodes.programId, programId), eq(promoCodes.code, normalizeCode(code))))
        .returning();
      if (!row) throw new PromoCodeNotFoundError(normalizeCode(code));
      return row;
    },

    /** A member's stamp cards on live stamp-card offers, with the offer each belongs to. */
    async stampCards(programId: string, memberId: string) {
      const cards = await db
        .select({ offer: offers, stamps: stampCards.stamps, rewards: stampCards.rewards })
        .from(stampCards)
        .innerJoin(offers, eq(offers.id, stampCards.offerId))
        .where(and(eq(stampCards.programId, programId), eq(stampCards.memberId, memberId), eq(offers.status, 'active')))
        .orderBy(asc(offers.id));
      return cards.flatMap(({ offer, ...card }) =>
        offer.effect.kind === 'stamp_card' ? [{ ...card, offer, stampsRequired: offer.effect.stampsRequired }] : [],
      );
    },
  };
}
