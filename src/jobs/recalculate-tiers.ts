import { activeMemberIds } from '../modules/members';
import { loadTierSettings } from '../modules/tiers';
import { memberKey } from '../platform/serializer/serializer';
import { CHUNK_SIZE, forEachMember, nextCursor, type Job } from './job';

/** Recalculates every active member's tier as of `now`, through each member's serializer. */
export const recalculateTiers: Job = {
  name: 'recalculate-tiers',
  scope: 'program',
  async step({ db, serializer }, { programId, now, cursor }) {
    if (!(await loadTierSettings(db, programId!))) return { processed: 0, cursor: null };
    const memberIds = await activeMemberIds(db, programId!, cursor, CHUNK_SIZE);
    const asOf = now.toISOString();
    const failures = await forEachMember(memberIds, (memberId) =>
      serializer.execute(memberKey(programId!, memberId), 'tiers.recalculate', { programId: programId!, memberId, asOf }),
    );
    return { processed: memberIds.length - failures.length, cursor: nextCursor(memberIds), failures };
  },
};
