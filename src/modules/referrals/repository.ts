import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { emailFingerprints, members, referralCodes, referralConversionCounts, referrals, referralSettings, type ReferralRow } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { newId } from '../../platform/ids';
import { randomCodes } from '../../platform/codes';
import type { Statement } from '../ledger/writer';
import { defaultReferralSettings, emailFingerprint, emailIdentity, periodKey, rungFor, type ReferralSettings } from './domain';
import { ReferralCodeNotFoundError } from './errors';

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

export async function conversionsOf(db: Database, programId: string, referrerId: string, statuses: ReadonlyArray<'converted' | 'confirmed'> = COUNTING) {
  const [row] = await db
    .select({ conversions: count() })
    .from(referrals)
    .where(and(eq(referrals.programId, programId), eq(referrals.referrerId, referrerId), inArray(referrals.status, [...statuses])));
  return row?.conversions ?? 0;
}

/** Statements that remember an email for good (one-way), so its owner is never "new" again. */
export function fingerprintStatement(db: Database, programId: string, email: string, at: Date): Statement {
  return db.insert(emailFingerprints).values({ programId, hash: emailFingerprint(programId, email), createdAt: at }).onConflictDoNothing();
}

/**
 * What enrolling a member writes for referrals, in the enrollment's batch: the member's own code,
 * the fingerprint of their email and, when they came with a referral code, the referral, rejected
 * with its reason when it breaks a fraud rule (same person as the referrer, not new to the program).
 */
export async function enrollmentStatements(
  db: Database,
  enrollment: { programId: string; memberId: string; email: string | null; referralCode: string | null; at: Date },
): Promise<Statement[]> {
  const { programId, memberId, email, at } = enrollment;
  const statements: Statement[] = [db.insert(referralCodes).values({ memberId, programId, code: newReferralCode(), createdAt: at })];
  const knownBefore = email ? await isKnownEmail(db, programId, email) : false;
  if (email) statements.push(fingerprintStatement(db, programId, email, at));
  if (!enrollment.referralCode) return statements;

  const code = enrollment.referralCode.trim().toUpperCase();
  const [referrer] = await db
    .select({ memberId: referralCodes.memberId, email: members.email })
    .from(referralCodes)
    .innerJoin(members, eq(members.id, referralCodes.memberId))
    .where(and(eq(referralCodes.programId, programId), eq(referralCodes.code, code), eq(members.status, 'active')));
  if (!referrer) throw new ReferralCodeNotFoundError(code);
  const sameIdentity = email !== null && referrer.email !== null && emailIdentity(email) === emailIdentity(referrer.email);
  const rejectionReason = sameIdentity ? 'self_referral' : knownBefore ? 'not_new_to_program' : null;
  statements.push(
    db.insert(referrals).values({
      id: newId(),
      programId,
      referrerId: referrer.memberId,
      refereeId: memberId,
      status: rejectionReason ? 'rejected' : 'pending',
      rejectionReason,
      createdAt: at,
    }),
  );
  return statements;
}

async function isKnownEmail(db: Database, programId: string, email: string) {
  const [row] = await db
    .select({ hash: emailFingerprints.hash })
    .from(emailFingerprints)
    .where(and(eq(emailFingerprints.programId, programId), eq(emailFingerprints.hash, emailFingerprint(programId, email))));
  return row !== undefined;
}

export async function referralOfReferee(db: Database, programId: string, refereeId: string): Promise<ReferralRow | undefined> {
  const [row] = await db.select().from(referrals).where(and(eq(referrals.programId, programId), eq(referrals.refereeId, refereeId)));
  return row;
}

/**
 * What an order of a referee does to their referral, in the order's batch: the first order of at
 * least the minimum converts it (the reward, by the referrer's rung, is pending for the holding
 * period), unless the referrer reached the cap for the period. Guarded twice: the update only
 * takes a `pending` referral, and the period counter (CHECK conversions <= cap) is only bumped by
 * the batch whose update took it, so concurrent first orders convert it exactly once.
 */
export async function conversionStatements(
  db: Database,
  order: { programId: string; refereeId: string; orderPk: string; amount: number; at: Date },
): Promise<Statement[]> {
  const referral = await referralOfReferee(db, order.programId, order.refereeId);
  if (referral?.status !== 'pending') return [];
  const settings = await loadReferralSettings(db, order.programId);
  if (order.amount < settings.minimumOrderAmount) return [];
  const pendingOnly = and(eq(referrals.id, referral.id), eq(referrals.status, 'pending'));

  const period = periodKey(settings.capPeriod, order.at);
  if (settings.capPerPeriod !== null) {
    const [counter] = await db
      .select({ conversions: referralConversionCounts.conversions })
      .from(referralConversionCounts)
      .where(and(eq(referralConversionCounts.referrerId, referral.referrerId), eq(referralConversionCounts.period, period)));
    if ((counter?.conversions ?? 0) >= settings.capPerPeriod) {
      return [db.update(referrals).set({ status: 'rejected', rejectionReason: 'cap_reached', orderPk: order.orderPk }).where(pendingOnly)];
    }
  }

  const conversionNumber = (await conversionsOf(db, order.programId, referral.referrerId)) + 1;
  const rung = rungFor(settings.rungs, conversionNumber);
  const rewardPoints = settings.rewardKind === 'points' ? (rung?.rung.points ?? 0) : 0;
  const confirmAfter = new Date(order.at.getTime() + settings.holdingDays * 86_400_000);
  return [
    db
      .update(referrals)
      .set({ status: 'converted', orderPk: order.orderPk, rung: rung?.number ?? null, rewardPoints, convertedAt: order.at, confirmAfter })
      .where(pendingOnly),
    db.run(sql`
      insert into ${referralConversionCounts} (referrer_id, program_id, period, conversions, cap)
      select ${referral.referrerId}, ${order.programId}, ${period}, 1, ${settings.capPerPeriod ?? 2_147_483_647}
      where exists (select 1 from ${referrals} where id = ${referral.id} and order_pk = ${order.orderPk} and status = 'converted')
      on conflict (referrer_id, period) do update set conversions = conversions + 1, cap = excluded.cap`),
  ];
}

/** CHECK of the per-referrer cap: a batch that trips it lost the race for the last conversion. */
export const REFERRAL_CAP_GUARD = 'referral_conversion_counts_cap';

/**
 * What a full refund of an order does to the referral it converted: a reward still held is
 * cancelled; an issued one is marked for clawback from the referrer (in the referrer's serializer).
 */
export async function refundStatements(db: Database, programId: string, orderPk: string): Promise<{ statements: Statement[]; clawback: { referralId: string; referrerId: string } | null }> {
  const [referral] = await db
    .select()
    .from(referrals)
    .where(and(eq(referrals.programId, programId), eq(referrals.orderPk, orderPk), inArray(referrals.status, ['converted', 'confirmed'])));
  if (!referral) return { statements: [], clawback: null };
  const cancelled = { status: 'rejected' as const, rejectionReason: 'order_refunded' as const };
  if (referral.status === 'converted') {
    return { statements: [db.update(referrals).set(cancelled).where(and(eq(referrals.id, referral.id), eq(referrals.status, 'converted')))], clawback: null };
  }
  return {
    statements: [db.update(referrals).set({ ...cancelled, clawbackDue: referral.rewardPoints > 0 }).where(and(eq(referrals.id, referral.id), eq(referrals.status, 'confirmed')))],
    clawback: referral.rewardPoints > 0 ? { referralId: referral.id, referrerId: referral.referrerId } : null,
  };
}

/**
 * What checkout needs of a member's referrals: whether they joined through a (not rejected)
 * referral, for referee-only offers, and the standing discount their rung gives them as a referrer.
 */
export async function referralStanding(db: Database, programId: string, memberId: string) {
  const [settings, referral] = await Promise.all([loadReferralSettings(db, programId), referralOfReferee(db, programId, memberId)]);
  const discountRung = settings.rewardKind === 'discount' && settings.rungs.length > 0 ? rungFor(settings.rungs, await conversionsOf(db, programId, memberId, ['confirmed'])) : null;
  return { referred: referral !== undefined && referral.status !== 'rejected', discountBasisPoints: discountRung?.rung.discountBasisPoints ?? 0 };
}
