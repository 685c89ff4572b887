import { and, asc, count, eq, gt, inArray, isNotNull, lte, or, sql, type SQL } from 'drizzle-orm';
import {
  emailFingerprints,
  referralCodes,
  referralConversionCounts,
  referrals,
  referralSettings,
  type ReferralRow,
  checks,
} from '../../../schema';
import type { Database, Statement } from '../../platform/db/database';
import { insertRows } from '../../platform/db/insert-rows';
import { newId } from '../../platform/ids';
import { eventCatalog, eventStatement } from '../../platform/outbox';
import { events } from '../../../schema';
import { normalizeCode, randomCodes } from '../../platform/codes';
import type { ConstraintViolation } from '../../platform/db/constraint-errors';
import { columnTarget } from '../../platform/db/constraint-errors';
import {
  canConvert,
  conversionFraud,
  defaultReferralSettings,
  emailIdentity,
  enrollmentFraud,
  periodKey,
  planConversion,
  rungFor,
  sameEmailIdentity,
  type ReferralSettings,
} from './domain';
import { emailFingerprint, recognisedEmailFingerprints } from './fingerprints';
import type { FingerprintKeys } from '../../platform/fingerprints';
import { findMember, membersByIds, otherMemberWithEmailIdentity, ReferralCodeNotFoundError } from '../members';
import { orderFullyRefundedAtSql } from '../orders';

/** Referral codes: 8 characters, 29^8 ≈ 5 × 10^11 of them. */
export const newReferralCode = randomCodes(8);

export async function loadReferralSettings(db: Database, programId: string): Promise<ReferralSettings> {
  const [row] = await db.select().from(referralSettings).where(eq(referralSettings.programId, programId));
  if (!row) return defaultReferralSettings;
  const { programId: _program, updatedAt: _updated, ...settings } = row;
  return settings;
}

/** Referrals that count for the referrer's ladder: converted, whether the reward is issued yet or not. */
const COUNTING = ['converted', 'confirmed'] as const;

export async function conversionsOf(
  db: Database,
  programId: string,
  referrerId: string,
  statuses: ReadonlyArray<'converted' | 'confirmed'> = COUNTING,
) {
  const [row] = await db
    .select({ conversions: count() })
    .from(referrals)
    .where(and(eq(referrals.programId, programId), eq(referrals.referrerId, referrerId), inArray(referrals.status, [...statuses])));
  return row?.conversions ?? 0;
}

/** The fingerprint row of an email (keyed, one-way). */
const fingerprintRow = (keys: FingerprintKeys, programId: string, email: string, at: Date) => ({
  programId,
  ...emailFingerprint(keys, programId, email),
  createdAt: at,
});

/** Statements that remember an email for good (keyed, one-way), so its owner is never "new" again. */
export function fingerprintStatement(db: Database, keys: FingerprintKeys, programId: string, email: string, at: Date): Statement {
  return db
    .insert(emailFingerprints)
    .values(fingerprintRow(keys, programId, email, at))
    .onConflictDoNothing();
}

/**
 * What enrolling many members without a referral code (an import) writes for referrals, as
 * `enrollmentStatements` does for one: their own codes and their emails' fingerprints.
 */
export function enrollmentsStatements(
  db: Database,
  keys: FingerprintKeys,
  programId: string,
  enrolled: Array<{ memberId: string; email: string | null }>,
  at: Date,
): Statement[] {
  return [
    ...insertRows(
      db,
      referralCodes,
      enrolled.map(({ memberId }) => ({ memberId, programId, code: newReferralCode(), createdAt: at })),
    ),
    ...fingerprintsStatements(
      db,
      keys,
      programId,
      enrolled.flatMap(({ email }) => (email ? [email] : [])),
      at,
    ),
  ];
}

/** `fingerprintStatement` for many emails (an import), as a few multi-row statements. */
export function fingerprintsStatements(db: Database, keys: FingerprintKeys, programId: string, emails: string[], at: Date): Statement[] {
  return insertRows(
    db,
    emailFingerprints,
    emails.map((email) => fingerprintRow(keys, programId, email, at)),
    { onConflictDoNothing: true },
  );
}

/**
 * What enrolling a member writes for referrals, in the enrollment's batch: the member's own code,
 * the fingerprint of their email and, when they came with a referral code, the referral, rejected
 * with its reason when it breaks a fraud rule: the same person as the referrer, or an email
 * identity the program has seen before. That second check runs inside the batch, before the
 * new fingerprint is written, so two sign-ups of one person at the same instant cannot both be new.
 */
export async function enrollmentStatements(
  db: Database,
  keys: FingerprintKeys,
  enrollment: { programId: string; memberId: string; email: string | null; referralCode: string | null; at: Date },
): Promise<Statement[]> {
  const { programId, memberId, email, at } = enrollment;
  const codeRow: Statement = db.insert(referralCodes).values({ memberId, programId, code: newReferralCode(), createdAt: at });
  const fingerprint = email ? [fingerprintStatement(db, keys, programId, email, at)] : [];
  if (!enrollment.referralCode) return [codeRow, ...fingerprint];

  const code = normalizeCode(enrollment.referralCode);
  const [owner] = await db
    .select({ memberId: referralCodes.memberId })
    .from(referralCodes)
    .where(and(eq(referralCodes.programId, programId), eq(referralCodes.code, code)));
  const referrer = owner ? await findMember(db, programId, owner.memberId) : undefined;
  if (referrer?.status !== 'active') throw new ReferralCodeNotFoundError(code);
  // The rules decide for both answers to "seen before"; the batch itself finds which holds.
  const selfReferral = sameEmailIdentity(email, referrer.email);
  const ifNew = enrollmentFraud({ selfReferral, seenBefore: false });
  const ifSeen = enrollmentFraud({ selfReferral, seenBefore: true });
  const seenBefore = email ? emailSeenBefore(keys, programId, email, memberId) : sql`0`;
  const status = (fraud: string | null) => (fraud ? 'rejected' : 'pending');
  const referralId = newId();
  const referral = db.run(sql`
    insert into ${referrals} (id, program_id, referrer_id, referee_id, status, rejection_reason, reward_points, points_clawed_back, created_at)
    select ${referralId}, ${programId}, ${referrer.id}, ${memberId},
      case when ${seenBefore} then ${status(ifSeen)} else ${status(ifNew)} end,
      case when ${seenBefore} then ${ifSeen} else ${ifNew} end,
      0, 0, ${at.getTime()}`);
  // The outcome is decided inside the batch (above), so the event reads it back from the row.
  const attributed = db.run(sql`
    insert into ${events} (id, program_id, type, version, member_id, data, occurred_at)
    select ${newId()}, ${programId}, 'referral.attributed', ${eventCatalog['referral.attributed']}, ${memberId},
      json_object('referralId', id, 'referrerId', referrer_id, 'refereeId', referee_id, 'status', status, 'rejectionReason', rejection_reason),
      ${at.getTime()}
    from ${referrals} where id = ${referralId}`);
  return [codeRow, referral, attributed, ...fingerprint];
}

/**
 * Whether the program has seen this email identity: a fingerprint (every address since referrals
 * exist, erased members' included), or a member enrolled before fingerprints whose address is the
 * same once its `+tag` is dropped (emails are stored lower-cased).
 */
function emailSeenBefore(keys: FingerprintKeys, programId: string, email: string, newMemberId: string) {
  return sql`(exists (select 1 from ${emailFingerprints} where program_id = ${programId} and ${inArray(emailFingerprints.hash, recognisedEmailFingerprints(keys, programId, email))})
    or ${otherMemberWithEmailIdentity(programId, emailIdentity(email), newMemberId)})`;
}

export async function referralOfReferee(db: Database, programId: string, refereeId: string): Promise<ReferralRow | undefined> {
  const [row] = await db
    .select()
    .from(referrals)
    .where(and(eq(referrals.programId, programId), eq(referrals.refereeId, refereeId)));
  return row;
}

/**
 * What an order of a referee does to their referral, in the order's batch: the first order of at
 * least the minimum converts it (the reward, by the referrer's rung, is held for the holding
 * period), unless the referrer reached the cap for the period. Guarded in the database, because
 * referees of one referrer order in different serializers: the update only takes a `pending`
 * referral; the conversion's number is UNIQUE per referrer (two at once cannot take the same
 * rung); and the period counter (CHECK conversions <= cap) is only bumped by the batch whose
 * update took the referral. A batch that loses one of these races is prepared again.
 */
export async function conversionStatements(
  db: Database,
  keys: FingerprintKeys,
  { referral, settings }: Pick<ReferralStanding, 'referral' | 'settings'>,
  order: { programId: string; orderPk: string; amount: number; at: Date },
): Promise<Statement[]> {
  if (!referral || !canConvert(referral, settings, order.amount)) return [];
  const { programId, at } = order;
  const period = periodKey(settings.capPeriod, at);
  // Everything the rules look at, in one round trip; the fingerprint only once the email is known.
  const [people, counters, [numbers]] = await db.batch([
    membersByIds(db, programId, [referral.refereeId, referral.referrerId]),
    db
      .select({ conversions: referralConversionCounts.conversions })
      .from(referralConversionCounts)
      .where(and(eq(referralConversionCounts.referrerId, referral.referrerId), eq(referralConversionCounts.period, period))),
    db
      .select({
        counting: sql<number>`count(*) filter (where ${referrals.status} in ('converted', 'confirmed'))`.mapWith(Number),
        lastSeq: sql<number>`coalesce(max(${referrals.conversionSeq}), 0)`.mapWith(Number),
      })
      .from(referrals)
      .where(and(eq(referrals.programId, programId), eq(referrals.referrerId, referral.referrerId))),
  ]);
  const refereeEmail = people.find((person) => person.id === referral.refereeId)?.email ?? null;
  const referrerEmail = people.find((person) => person.id === referral.referrerId)?.email ?? null;
  const fingerprintedAt =
    refereeEmail && !sameEmailIdentity(refereeEmail, referrerEmail) ? await fingerprintedSince(db, keys, programId, refereeEmail) : null;
  const plan = planConversion({
    settings,
    at,
    fraud: conversionFraud({ refereeEmail, referrerEmail, fingerprintedAt, referralCreatedAt: referral.createdAt }),
    conversionsInPeriod: counters[0]?.conversions ?? 0,
    conversionsCounting: numbers?.counting ?? 0,
    lastConversionSeq: numbers?.lastSeq ?? 0,
  });

  const pendingOnly = and(eq(referrals.id, referral.id), eq(referrals.status, 'pending'));
  if (plan.kind === 'reject')
    return [db.update(referrals).set({ status: 'rejected', rejectionReason: plan.reason, orderPk: order.orderPk }).where(pendingOnly)];
  const { rung, rewardPoints, confirmAfter, conversionSeq } = plan;
  return [
    db
      .update(referrals)
      .set({ status: 'converted', orderPk: order.orderPk, rung, rewardPoints, convertedAt: at, confirmAfter, conversionSeq })
      .where(pendingOnly),
    db.run(sql`
      insert into ${referralConversionCounts} (referrer_id, program_id, period, conversions, cap)
      select ${referral.referrerId}, ${programId}, ${plan.period}, 1, ${settings.capPerPeriod ?? 2_147_483_647}
      where exists (select 1 from ${referrals} where id = ${referral.id} and order_pk = ${order.orderPk} and status = 'converted')
      on conflict (referrer_id, period) do update set conversions = conversions + 1, cap = excluded.cap`),
    eventStatement(db, order.programId, order.at, {
      type: 'referral.converted',
      memberId: referral.refereeId,
      data: {
        referralId: referral.id,
        referrerId: referral.referrerId,
        refereeId: referral.refereeId,
        rung,
        rewardPoints,
        confirmAfter: confirmAfter.toISOString(),
      },
    }),
  ];
}

/** When the program first fingerprinted this email identity (under any recognised key), or null. */
async function fingerprintedSince(db: Database, keys: FingerprintKeys, programId: string, email: string): Promise<Date | null> {
  const [fingerprint] = await db
    .select({ createdAt: emailFingerprints.createdAt })
    .from(emailFingerprints)
    .where(
      and(eq(emailFingerprints.programId, programId), inArray(emailFingerprints.hash, recognisedEmailFingerprints(keys, programId, email))),
    )
    .orderBy(emailFingerprints.createdAt)
    .limit(1);
  return fingerprint?.createdAt ?? null;
}

/** A new member's random referral code that another member drew first (rare): draw again. */
export const referralCodeTaken = (violation: ConstraintViolation | null) =>
  violation?.kind === 'unique' && violation.targets.includes(columnTarget(referralCodes.code));

/** A conversion that lost a race to another referee of the same referrer: prepare it again. */
export const lostReferralRace = (violation: ConstraintViolation) =>
  (violation.kind === 'check' && violation.targets.includes(checks.referralConversionCountsCap)) ||
  (violation.kind === 'unique' && violation.targets.includes(columnTarget(referrals.conversionSeq)));

/** The referral an order converted, while its reward is held or issued: what a full refund must undo. */
export async function referralConvertedBy(db: Database, programId: string, orderPk: string) {
  const [referral] = await db
    .select({ id: referrals.id, referrerId: referrals.referrerId, status: referrals.status })
    .from(referrals)
    .where(and(eq(referrals.programId, programId), eq(referrals.orderPk, orderPk), inArray(referrals.status, ['converted', 'confirmed'])));
  return referral ?? null;
}

/**
 * Referrals due to move on, by id after `cursor`: held rewards whose holding period is over, and
 * converted or confirmed referrals whose order was fully refunded.
 */
export function dueReferrals(db: Database, programId: string, now: Date, cursor: string | null, limit: number) {
  const refunded = isNotNull(orderFullyRefundedAtSql(referrals.orderPk));
  const conditions: SQL[] = [
    eq(referrals.programId, programId),
    or(
      and(eq(referrals.status, 'converted'), or(lte(referrals.confirmAfter, now), refunded)),
      and(eq(referrals.status, 'confirmed'), refunded),
    )!,
  ];
  if (cursor) conditions.push(gt(referrals.id, cursor));
  return db
    .select({ id: referrals.id, referrerId: referrals.referrerId, status: referrals.status })
    .from(referrals)
    .where(and(...conditions))
    .orderBy(asc(referrals.id))
    .limit(limit);
}

/**
 * What checkout needs of a member's referrals: the referral they joined through (whether it was not
 * rejected decides referee-only offers; their first qualifying order converts it), the program's
 * settings, and the standing discount their rung gives them as a referrer.
 */
export async function referralStanding(db: Database, programId: string, memberId: string) {
  const [settings, referral] = await Promise.all([loadReferralSettings(db, programId), referralOfReferee(db, programId, memberId)]);
  const discountRung =
    settings.rewardKind === 'discount' && settings.rungs.length > 0
      ? rungFor(settings.rungs, await conversionsOf(db, programId, memberId, ['confirmed']))
      : null;
  return {
    referral: referral ?? null,
    settings,
    referred: referral !== undefined && referral.status !== 'rejected',
    discountBasisPoints: discountRung?.rung.discountBasisPoints ?? 0,
  };
}

export type ReferralStanding = Awaited<ReturnType<typeof referralStanding>>;
