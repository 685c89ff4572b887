import { and, desc, eq, isNull } from 'drizzle-orm';
import { jobRuns, type JobRunRow } from '../../schema';
import { newId } from '../platform/ids';
import type { ServiceDeps } from '../services';
import type { Job } from './job';
import { jobs, jobsByCron } from './schedule';

export interface JobRunOptions {
  now: Date;
  /** What started it: a cron expression, or `manual`. */
  trigger: string;
  /** Wall-clock budget for this invocation; the rest resumes from the recorded cursor next time. */
  budgetMs?: number;
}

/**
 * Runs one job, chunk by chunk, recording progress in `job_runs` after each chunk. A run left
 * unfinished (budget spent, or the isolate died) is resumed from its cursor by the next invocation.
 */
export async function runJob(deps: ServiceDeps, job: Job, options: JobRunOptions): Promise<JobRunRow> {
  const { db, clock } = deps;
  const deadline = clock.now().getTime() + (options.budgetMs ?? 20_000);
  const run = (await findUnfinishedRun(deps, job.name)) ?? (await startRun(deps, job.name, options));
  let { processed, cursor } = run;
  let error: string | null = null;
  try {
    do {
      const step = await job.step(deps, run.scheduledFor, cursor);
      processed += step.processed;
      cursor = step.cursor;
      await db.update(jobRuns).set({ processed, cursor }).where(eq(jobRuns.id, run.id));
    } while (cursor !== null && clock.now().getTime() < deadline);
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  const finished = cursor === null || error !== null;
  const [recorded] = await db
    .update(jobRuns)
    .set({ processed, cursor, error, finishedAt: finished ? clock.now() : null })
    .where(eq(jobRuns.id, run.id))
    .returning();
  return recorded!;
}

function findUnfinishedRun({ db }: ServiceDeps, job: string) {
  return db.query.jobRuns.findFirst({
    where: and(eq(jobRuns.job, job), isNull(jobRuns.finishedAt)),
    orderBy: desc(jobRuns.startedAt),
  });
}

async function startRun({ db, clock }: ServiceDeps, job: string, options: JobRunOptions) {
  const [run] = await db
    .insert(jobRuns)
    .values({ id: newId(), job, trigger: options.trigger, scheduledFor: options.now, startedAt: clock.now() })
    .returning();
  return run!;
}

/** What a Cron Trigger does on either runtime: run every job mapped to its expression. */
export async function runScheduledJobs(deps: ServiceDeps, cron: string, now: Date): Promise<JobRunRow[]> {
  const names = jobsByCron[cron];
  if (!names) throw new Error(`No jobs are mapped to cron "${cron}" (src/jobs/schedule.ts)`);
  const runs: JobRunRow[] = [];
  for (const name of names) runs.push(await runJob(deps, jobs[name]!, { now, trigger: cron }));
  return runs;
}
