import { membersWithExpiredLots } from '../modules/ledger';
import { createLedgerService } from '../modules/ledger';
import { SYSTEM_KEY_PREFIX } from '../modules/ledger';
import { CHUNK_SIZE, forEachMember, nextCursor, type Job } from './job';

/**
 * Expires, through each member's serializer, what is left of lots whose expiry has come: an expiry
 * transfer to the program's breakage account. Keyed by member and `now`, so a rerun moves nothing.
 */
export const expirePoints: Job = {
  name: 'expire-points',
  scope: 'program',
  async step(deps, { programId, now, cursor }) {
    const ledger = createLedgerService(deps);
    const memberIds = await membersWithExpiredLots(deps.db, programId!, now, cursor, CHUNK_SIZE);
    const asOf = now.toISOString();
    const failures = await forEachMember(memberIds, (memberId) =>
      ledger.expirePoints(programId!, { memberId, asOf, idempotencyKey: `${SYSTEM_KEY_PREFIX}expire/${memberId}/${asOf}` }),
    );
    return { processed: memberIds.length - failures.length, cursor: nextCursor(memberIds), failures };
  },
};
