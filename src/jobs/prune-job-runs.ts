import { and, isNotNull, lt, inArray } from 'drizzle-orm';
import { jobRuns } from '../../schema';
import { DAY_MS } from '../platform/time';
import type { Job } from './job';

export const JOB_RUN_RETENTION_DAYS = 90;
const PRUNE_CHUNK = 500;

/** Deletes finished job-run records older than the retention period, oldest first. */
export const pruneJobRuns: Job = {
  name: 'prune-job-runs',
  scope: 'global',
  async step({ db }, { now }) {
    const threshold = new Date(now.getTime() - JOB_RUN_RETENTION_DAYS * DAY_MS);
    const expired = await db
      .select({ id: jobRuns.id })
      .from(jobRuns)
      .where(and(lt(jobRuns.startedAt, threshold), isNotNull(jobRuns.finishedAt)))
      .orderBy(jobRuns.id)
      .limit(PRUNE_CHUNK);
    if (expired.length > 0) {
      await db.delete(jobRuns).where(
        inArray(
          jobRuns.id,
          expired.map((run) => run.id),
        ),
      );
    }
    // Deleted rows no longer match, so the next chunk needs no position: the cursor only says "more".
    return { processed: expired.length, cursor: expired.length === PRUNE_CHUNK ? 'more' : null };
  },
};
