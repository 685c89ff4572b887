import { and, isNotNull, lt, inArray } from 'drizzle-orm';
import { jobRuns } from '../../schema';
import type { Job } from './job';

export const JOB_RUN_RETENTION_DAYS = 90;
const CHUNK_SIZE = 500;

/** Deletes finished job-run records older than the retention period, oldest first. */
export const pruneJobRuns: Job = {
  name: 'prune-job-runs',
  async step({ db }, now) {
    const threshold = new Date(now.getTime() - JOB_RUN_RETENTION_DAYS * 24 * 60 * 60 * 1000);
    const expired = await db
      .select({ id: jobRuns.id })
      .from(jobRuns)
      .where(and(lt(jobRuns.startedAt, threshold), isNotNull(jobRuns.finishedAt)))
      .orderBy(jobRuns.id)
      .limit(CHUNK_SIZE);
    if (expired.length > 0) {
      await db.delete(jobRuns).where(inArray(jobRuns.id, expired.map((run) => run.id)));
    }
    // Deleted rows no longer match, so the next chunk needs no position: the cursor only says "more".
    return { processed: expired.length, cursor: expired.length === CHUNK_SIZE ? 'more' : null };
  },
};
