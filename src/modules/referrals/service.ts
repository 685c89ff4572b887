import { and, count, eq, isNotNull, sql, sum } from 'drizzle-orm';
import type { referralCommands } from './commands';
import { referralCodes, referrals, referralSettings, type ReferralRow } from '../../../schema';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db/database';
import { keyset, type KeysetPage } from '../../platform/db/keyset';
import { memberKey, type Serializer } from '../../platform/serializer/serializer';
import { normalizeCode } from '../../platform/codes';
import { SYSTEM_KEY_PREFIX } from '../ledger';
import { nextRung, rungFor, shareLink, type ReferralSettings } from './domain';
import { conversionsOf, loadReferralSettings, newReferralCode } from './repository';
import { ReferralNotDueError } from './errors';

export type ReferralsService = ReturnType<typeof createReferralsService>;

/** Referral settings (admin), each member's code, link, referrals and rung, and program-wide stats. */
export function createReferralsService({
  db,
  clock,
  serializer,
}: {
  db: Database;
  clock: Clock;
  serializer: Serializer<typeof referralCommands>;
}) {
  /** The member's code; members enrolled before referrals existed get theirs on first use. */
  async function codeOf(programId: string, memberId: string): Promise<string> {
    const [existing] = await db.select({ code: referralCodes.code }).from(referralCodes).where(eq(referralCodes.memberId, memberId));
    if (existing) return existing.code;
    await db.insert(referralCodes).values({ memberId, programId, code: newReferralCode(), createdAt: clock.now() }).onConflictDoNothing();
    return codeOf(programId, memberId);
  }

  /** Moves a converted or confirmed referral on, in the referrer's serializer; once per referral and status. */
  function settle(programId: string, referral: { id: string; referrerId: string; status: 'converted' | 'confirmed' }) {
    return serializer.execute(memberKey(programId, referral.referrerId), 'referrals.settle', {
      programId,
      referralId: referral.id,
      from: referral.status,
      idempotencyKey: `${SYSTEM_KEY_PREFIX}referral/${referral.id}/from-${referral.status}`,
    });
  }

  return {
    settings: (programId: string) => loadReferralSettings(db, programId),

    async configure(programId: string, settings: ReferralSettings) {
      const row = { programId, ...settings, updatedAt: clock.now() };
      await db.insert(referralSettings).values(row).onConflictDoUpdate({ target: referralSettings.programId, set: row });
      return settings;
    },

    codeOf,

    async linkOf(programId: string, memberId: string) {
      const [settings, code] = await Promise.all([loadReferralSettings(db, programId), codeOf(programId, memberId)]);
      return shareLink(settings.shareBaseUrl, code);
    },

    /** Counts a visit of a member's share link (an invitation); false for an unknown code. */
    async trackVisit(programId: string, code: string): Promise<boolean> {
      const updated = await db
        .update(referralCodes)
        .set({ visits: sql`${referralCodes.visits} + 1` })
        .where(and(eq(referralCodes.programId, programId), eq(referralCodes.code, normalizeCode(code))))
        .returning({ memberId: referralCodes.memberId });
      return updated.length > 0;
    },

    list(programId: string, referrerId: string, page: KeysetPage): Promise<ReferralRow[]> {
      const { conditions, orderBy, limit } = keyset(referrals.id, page, true);
      return db
        .select()
        .from(referrals)
        .where(and(eq(referrals.programId, programId), eq(referrals.referrerId, referrerId), ...conditions))
        .orderBy(orderBy)
        .limit(limit);
    },

    /** Where the referrer stands on the ladder: points rungs count conversions, discount rungs issued (confirmed) ones. */
    async rungOf(programId: string, referrerId: string) {
      const settings = await loadReferralSettings(db, programId);
      const conversions = await conversionsOf(
        db,
        programId,
        referrerId,
        settings.rewardKind === 'points' ? ['converted', 'confirmed'] : ['confirmed'],
      );
      const current = rungFor(settings.rungs, conversions);
      return {
        rewardKind: settings.rewardKind,
        conversions,
        number: current?.number ?? 0,
        rung: current?.rung ?? null,
        next: nextRung(settings.rungs, conversions),
      };
    },

    async stats(programId: string) {
      const [[visits], byStatus, [issued]] = await Promise.all([
        db
          .select({ visits: sum(referralCodes.visits).mapWith(Number) })
          .from(referralCodes)
          .where(eq(referralCodes.programId, programId)),
        db
          .select({ status: referrals.status, referrals: count() })
          .from(referrals)
          .where(eq(referrals.programId, programId))
          .groupBy(referrals.status),
        db
          .select({
            rewards: count(),
            points: sql<number>`coalesce(sum(${referrals.rewardPoints} - ${referrals.pointsClawedBack}), 0)`.mapWith(Number),
          })
          .from(referrals)
          .where(and(eq(referrals.programId, programId), isNotNull(referrals.confirmedAt))),
      ]);
      const of = (status: string) => byStatus.find((row) => row.status === status)?.referrals ?? 0;
      const joined = byStatus.reduce((total, row) => total + row.referrals, 0);
      const converted = of('converted') + of('confirmed');
      return {
        invited: visits?.visits ?? 0,
        joined,
        converted,
        rejected: of('rejected'),
        conversionRate: joined === 0 ? 0 : converted / joined,
        rewardsIssued: issued?.rewards ?? 0,
        pointsIssued: issued?.points ?? 0,
      };
    },

    settle,

    /**
     * After a full refund: cancels the referral the order converted, or takes its reward back. The
     * settle-referrals job may move it at the same moment (its confirmation can even answer this
     * call, as the same move): so the referral is read again after each move, until it is rejected.
     */
    async settleRefunded(programId: string, referralId: string) {
      for (let move = 0; move < 3; move++) {
        const [current] = await db
          .select({ id: referrals.id, referrerId: referrals.referrerId, status: referrals.status })
          .from(referrals)
          .where(eq(referrals.id, referralId));
        if (current?.status !== 'converted' && current?.status !== 'confirmed') return;
        await settle(programId, { ...current, status: current.status }).catch((error: unknown) => {
          if (!(error instanceof ReferralNotDueError)) throw error;
        });
      }
    },
  };
}
