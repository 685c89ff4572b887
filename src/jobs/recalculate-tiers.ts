import { recalculateTiersInBulk } from '../modules/tiers';
import { nextCursor, type Job } from './job';

/**
 * Recalculates every active member's tier as of `now`, a chunk of members at a time, set-based:
 * one read and one multi-row write batch per chunk (see `recalculateTiersInBulk`).
 */
export const recalculateTiersJob = ({ chunkSize }: { chunkSize: number }): Job => ({
  name: 'recalculate-tiers',
  scope: 'program',
  async step({ db }, { programId, now, cursor }) {
    const { memberIds } = await recalculateTiersInBulk(db, programId!, now, cursor, chunkSize);
    return { processed: memberIds.length, cursor: nextCursor(memberIds, chunkSize) };
  },
});

/** Members per chunk: each chunk is one read of their standings and one write batch. */
export const recalculateTiers = recalculateTiersJob({ chunkSize: 500 });
