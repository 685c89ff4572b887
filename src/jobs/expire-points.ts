import { expireMembersInBulk, expiryKey } from '../modules/ledger';
import { membersWithExpiredLots } from '../modules/ledger';
import { createLedgerService } from '../modules/ledger';
import { forEachMember, nextCursor, type Job } from './job';

/**
 * Expires what is left of lots whose expiry has come: an expiry transfer per member to the
 * program's breakage account. A chunk of members is written set-based in one batch guarded by the
 * ledger's CHECKs; if a guard trips (a member command moved the same points meanwhile, or an expiry
 * is already recorded), the chunk goes member by member through each member's serializer instead.
 * Keyed by member and `now` either way, so a rerun moves nothing.
 */
export const expirePointsJob = ({ chunkSize }: { chunkSize: number }): Job => ({
  name: 'expire-points',
  scope: 'program',
  async step(deps, { programId, now, cursor }) {
    const memberIds = await membersWithExpiredLots(deps.db, programId!, now, cursor, chunkSize);
    const next = nextCursor(memberIds, chunkSize);
    try {
      await expireMembersInBulk(deps, programId!, memberIds, now);
      return { processed: memberIds.length, cursor: next };
    } catch {
      const ledger = createLedgerService(deps);
      const asOf = now.toISOString();
      const failures = await forEachMember(memberIds, (memberId) =>
        ledger.expirePoints(programId!, { memberId, asOf, idempotencyKey: expiryKey(memberId, asOf) }),
      );
      return { processed: memberIds.length - failures.length, cursor: next, failures };
    }
  },
});

/** Members per chunk: one read and one multi-row write batch each. */
export const expirePoints = expirePointsJob({ chunkSize: 250 });
