import { and, eq } from 'drizzle-orm';
import { jobRuns } from '../../schema';
import { keyset, type KeysetPage } from '../platform/db/keyset';
import { InvalidInputError } from '../platform/errors';
import type { ServiceDeps } from '../services';
import { runJobNow } from './runner';
import { jobs } from './schedule';

export type JobsService = ReturnType<typeof createJobsService>;

/** Program admins run their program's jobs by hand and read their runs. */
export function createJobsService(deps: ServiceDeps) {
  return {
    /**
     * Runs as of `now`, never later than the clock: expiring points or recalculating tiers "as of"
     * the future would take members' points and standing early, for good.
     */
    async run(programId: string, name: string, now: Date | null) {
      const job = jobs[name];
      if (!job || job.scope !== 'program') throw new Error(`${name} is not a program job`);
      if (now && now.getTime() > deps.clock.now().getTime()) {
        throw new InvalidInputError([{ path: ['input', 'now'], message: 'must not be in the future' }]);
      }
      return runJobNow(deps, job, { now: now ?? deps.clock.now(), trigger: 'manual', programId });
    },

    /** Runs of the program's jobs, newest first. */
    runs(programId: string, job: string | null, page: KeysetPage) {
      const { conditions, orderBy, limit } = keyset(jobRuns.id, page, true);
      return deps.db
        .select()
        .from(jobRuns)
        .where(and(eq(jobRuns.programId, programId), job ? eq(jobRuns.job, job) : undefined, ...conditions))
        .orderBy(orderBy)
        .limit(limit);
    },
  };
}
