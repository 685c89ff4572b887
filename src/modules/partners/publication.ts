import { and, asc, eq, notExists, sql, type Column, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { partnerCampaigns, partnerPublications, partnerVouchers, type PartnerPublicationRow } from '../../../schema';
import { constraintViolation } from '../../platform/db/constraint-errors';
import { type Database, writeBatch } from '../../platform/db/database';
import { InvalidInputError } from '../../platform/errors';
import { audienceHoldouts, exposureStatements } from '../experiments';
import { activeMemberIds } from '../members';
import { offersByIds } from '../offers';
import { inSegmentsCondition, existingSegmentIds } from '../segments';
import { existingTierIds, memberInTiersSql } from '../tiers';
import { campaignsWithPartners } from './repository';
import { lostVoucherRace, voucherGrantStatements } from './vouchers';

/** Members one publishing chunk gives vouchers to: a few reads and one write batch each. */
export const PUBLISH_CHUNK = 500;

/** Who a campaign is published to: every active member, or those holding one of some tiers, or in one of some segments. */
export const audienceSchema = z
  .object({
    all: z.boolean().nullish(),
    tierIds: z.array(z.string()).min(1).max(50).nullish(),
    segmentIds: z.array(z.string()).min(1).max(20).nullish(),
  })
  .refine(
    (audience) => [audience.all === true, audience.tierIds != null, audience.segmentIds != null].filter(Boolean).length === 1,
    'give exactly one of all: true, tierIds or segmentIds',
  )
  .transform((audience) => ({
    all: audience.all === true,
    tierIds: [...new Set(audience.tierIds ?? [])],
    segmentIds: [...new Set(audience.segmentIds ?? [])],
  }));
export type Audience = z.output<typeof audienceSchema>;

/** Every tier and segment the audience names exists in the program (InvalidInputError with the path otherwise). */
export async function checkAudience(db: Database, programId: string, audience: Audience) {
  const [tiers, segments] = await Promise.all([
    existingTierIds(db, programId, audience.tierIds),
    audience.segmentIds.length > 0
      ? existingSegmentIds(db, programId, audience.segmentIds).then((rows) => rows.map((row) => row.id))
      : ([] as string[]),
  ]);
  const issues = [
    ...audience.tierIds
      .filter((id) => !tiers.includes(id))
      .map((id) => ({ path: ['input', 'audience', 'tierIds'], message: `no tier ${id} in this program` })),
    ...audience.segmentIds
      .filter((id) => !segments.includes(id))
      .map((id) => ({ path: ['input', 'audience', 'segmentIds'], message: `no segment ${id} in this program` })),
  ];
  if (issues.length > 0) throw new InvalidInputError(issues);
}

/** SQL: the member (its id column in the caller's query) is in the audience. */
function audienceCondition(audience: Audience, memberId: Column): SQL | undefined {
  if (audience.tierIds.length > 0) return memberInTiersSql(memberId, audience.tierIds);
  if (audience.segmentIds.length > 0) return inSegmentsCondition(memberId, audience.segmentIds);
  return undefined;
}

/** Why a publication stopped before the end of its audience. */
export type PublicationStop = 'voucher_limit_reached' | 'budget_exhausted' | 'campaign_not_active' | 'partner_suspended';

/**
 * One chunk of a publication: the next members of its audience (by id, after its cursor) who hold
 * no published voucher of the campaign get one, within what the voucher limit leaves; the cursor,
 * the count and (at the end) the status move in the same batch as the vouchers, so a publication
 * stopped anywhere resumes where it stopped and never gives a member two. A campaign no longer
 * ACTIVE, a partner no longer ACTIVE, a spent budget or the voucher limit ends it early, said in
 * `stoppedBy`. Members held out (the program's global control group, or the control group of the
 * experiment the campaign's conditions name) get none; members of that experiment who were given one
 * or held out are recorded as exposed in the same batch. Returns how many vouchers it gave and
 * whether the publication is done.
 */
export async function publishChunk(db: Database, first: PartnerPublicationRow, now: Date): Promise<{ issued: number; done: boolean }> {
  let publication = first;
  for (let attempt = 1; ; attempt++) {
    const [[state], candidates] = await Promise.all([
      campaignsWithPartners(db, publication.programId, eq(partnerCampaigns.id, publication.campaignId)),
      activeMemberIds(db, publication.programId, publication.cursor, PUBLISH_CHUNK, (memberId) =>
        and(
          audienceCondition(publication.audience, memberId),
          notExists(
            db
              .select({ one: sql`1` })
              .from(partnerVouchers)
              .where(
                and(
                  eq(partnerVouchers.campaignId, publication.campaignId),
                  eq(partnerVouchers.memberId, memberId),
                  sql`${partnerVouchers.publicationId} is not null`,
                ),
              ),
          ),
        ),
      ),
    ]);
    const { campaign, partner } = state!;
    const offer = (await offersByIds(db, [campaign.offerId]))[0]!;
    const stop: PublicationStop | null =
      campaign.status !== 'active' || (offer.endsAt && offer.endsAt <= now)
        ? 'campaign_not_active'
        : partner.status !== 'active'
          ? 'partner_suspended'
          : offer.budget !== null && offer.discountGiven >= offer.budget
            ? 'budget_exhausted'
            : candidates.length > 0 && campaign.vouchersIssued >= campaign.voucherLimit
              ? 'voucher_limit_reached'
              : null;
    const experimentId = offer.conditions.experimentId ?? null;
    const holdouts = await audienceHoldouts(db, publication.programId, experimentId, stop ? [] : candidates, now);
    const eligible = stop ? [] : candidates.filter((memberId) => !holdouts.heldOut(memberId));
    const given = eligible.slice(0, campaign.voucherLimit - campaign.vouchersIssued);
    // The limit left room for only some of this chunk: the publication ends there.
    const stoppedBy = stop ?? (given.length < eligible.length ? 'voucher_limit_reached' : null);
    const done = stoppedBy !== null || candidates.length < PUBLISH_CHUNK;
    // Held-out members are passed over: the cursor moves past them unless the limit ended the chunk early.
    const cursor = (stoppedBy ? given.at(-1) : candidates.at(-1)) ?? publication.cursor;
    const givenSet = new Set(given);
    const exposures = stop
      ? []
      : candidates.flatMap((memberId) => {
          const arm = holdouts.armOf(memberId);
          return experimentId && arm && (givenSet.has(memberId) || holdouts.heldOut(memberId))
            ? [{ experimentId, memberId, arm, subjectKind: 'partner_campaign' as const, subjectId: campaign.id, at: now }]
            : [];
        });
    const { statements } = voucherGrantStatements(
      db,
      publication.programId,
      given.map((memberId) => ({ campaign, memberId, expiresAt: offer.endsAt, publicationId: publication.id })),
      now,
    );
    try {
      await writeBatch(db, [
        ...statements,
        ...exposureStatements(db, exposures),
        db
          .update(partnerPublications)
          .set({
            cursor,
            issued: sql`${partnerPublications.issued} + ${given.length}`,
            ...(done ? { status: 'done' as const, stoppedBy, finishedAt: now } : {}),
          })
          .where(eq(partnerPublications.id, publication.id)),
      ]);
      return { issued: given.length, done };
    } catch (error) {
      // Another issue of the campaign (or another run of this publication) got in first: read again.
      const violation = constraintViolation(error);
      if (attempt < 5 && violation && (lostVoucherRace(violation) || violation.kind === 'unique')) {
        const [latest] = await db.select().from(partnerPublications).where(eq(partnerPublications.id, publication.id));
        if (!latest || latest.status === 'done') return { issued: 0, done: true };
        publication = latest;
        continue;
      }
      throw error;
    }
  }
}

/** The program's oldest publication still running, if any: the one the job works on next. */
export async function nextRunningPublication(db: Database, programId: string): Promise<PartnerPublicationRow | undefined> {
  const [row] = await db
    .select()
    .from(partnerPublications)
    .where(and(eq(partnerPublications.programId, programId), eq(partnerPublications.status, 'running')))
    .orderBy(asc(partnerPublications.id))
    .limit(1);
  return row;
}
