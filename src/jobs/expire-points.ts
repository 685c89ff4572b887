import { expireMembersInBulk, expiryKey } from '../modules/ledger';
import { membersWithExpiredLots } from '../modules/ledger';
import { createLedgerService } from '../modules/ledger';
import { forEachMember, nextCursor, type Job } from './job';

/**
 * Expires what is left of lots whose expiry has come: an expiry transfer per member to the
 * program's breakage account. A chunk of members is read and written set-based, a few members at a
 * time (`membersPerBatch`: one read and one batch guarded by the ledger's CHECKs each, so that no
 * single call holds the database for long); if a guard trips (a member command moved the same points
 * meanwhile, or an expiry is already recorded), those members go one by one through each member's
 * serializer instead. Keyed by member and `now` either way, so a rerun moves nothing.
 */
export const expirePointsJob = ({ chunkSize, membersPerBatch = chunkSize }: { chunkSize: number; membersPerBatch?: number }): Job => ({
  name: 'expire-points',
  scope: 'program',
  async step(deps, { programId, now, cursor }) {
    const memberIds = await membersWithExpiredLots(deps.db, programId!, now, cursor, chunkSize);
    const failures: string[] = [];
    for (let start = 0; start < memberIds.length; start += membersPerBatch) {
      const batch = memberIds.slice(start, start + membersPerBatch);
      try {
        await expireMembersInBulk(deps, programId!, batch, now);
      } catch {
        const ledger = createLedgerService(deps);
        const asOf = now.toISOString();
        failures.push(
          ...(await forEachMember(batch, (memberId) =>
            ledger.expirePoints(programId!, { memberId, asOf, idempotencyKey: expiryKey(memberId, asOf) }),
          )),
        );
      }
    }
    return { processed: memberIds.length - failures.length, cursor: nextCursor(memberIds, chunkSize), failures };
  },
});

/**
 * Members per chunk (the walk to them and the run's progress, recorded after each) and per write
 * batch. A batch's time grows with its members (each writes about twenty index entries, one of them
 * at a random place of the program-wide expiry index): 125 keep a batch of a 100,000-member run near
 * 10 ms of CPU, while the per-chunk work is shared by 250. The longest calls are the batches that
 * also fold the WAL back into the file (SQLite's auto-checkpoint, 1,000 pages).
 */
export const expirePoints = expirePointsJob({ chunkSize: 250, membersPerBatch: 125 });
