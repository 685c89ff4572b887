import { and, asc, eq, isNull } from 'drizzle-orm';
import { jobRuns, type JobRunRow } from '../../schema';
import { allProgramIds } from '../modules/programs';
import { newId } from '../platform/ids';
import type { ServiceDeps } from '../services';
import type { Job } from './job';
import { jobs, jobsByCron } from './schedule';

export interface JobRunOptions {
  now: Date;
  /** What started it: a cron expression, or `manual`. */
  trigger: string;
  /** The program of a `program` job; null for a `global` one. */
  programId: string | null;
  /** Wall-clock instant (ms) after which no new chunk starts; the rest resumes next invocation. */
  deadline: number;
}

const DEFAULT_BUDGET_MS = 20_000;

/**
 * The embedded database answers synchronously, so a run would otherwise hold Node's event loop
 * for its whole budget: a timer turn between chunks lets API requests in (and costs nothing on Workers).
 */
const betweenChunks = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Runs one job for one program (or globally), chunk by chunk, recording progress in `job_runs`
 * after each chunk. Runs left unfinished earlier (budget spent, isolate gone) are finished first,
 * each for its own `now`; then the run for `options.now` (unless the resumed run was that one),
 * which is returned.
 */
export async function runJob(deps: ServiceDeps, job: Job, options: JobRunOptions): Promise<JobRunRow> {
  for (const unfinished of await unfinishedRuns(deps, job.name, options.programId)) {
    const resumed = await continueRun(deps, job, unfinished, options.deadline);
    if (!resumed.finishedAt || resumed.scheduledFor.getTime() === options.now.getTime()) return resumed;
  }
  return continueRun(deps, job, await startRun(deps, job.name, options), options.deadline);
}

async function continueRun(deps: ServiceDeps, job: Job, run: JobRunRow, deadline: number): Promise<JobRunRow> {
  const { db, clock } = deps;
  let { processed, cursor, error } = run;
  const earlierError = run.error;
  const failures: string[] = [];
  try {
    do {
      const step = await job.step(deps, { programId: run.programId, now: run.scheduledFor, cursor });
      processed += step.processed;
      cursor = step.cursor;
      failures.push(...(step.failures ?? []));
      if (failures.length > 0) error = describeFailures(failures, earlierError);
      await db.update(jobRuns).set({ processed, cursor, error }).where(eq(jobRuns.id, run.id));
      await betweenChunks();
    } while (cursor !== null && clock.now().getTime() < deadline);
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
    cursor = null;
  }
  const finished = cursor === null;
  const [recorded] = await db
    .update(jobRuns)
    .set({ processed, cursor, error, finishedAt: finished ? clock.now() : null })
    .where(eq(jobRuns.id, run.id))
    .returning();
  return recorded!;
}

function describeFailures(failures: string[], earlier: string | null): string {
  const listed = failures.slice(0, 5).join('; ');
  return `${failures.length} member(s) failed${failures.length > 5 ? ' (first 5)' : ''}: ${listed}${earlier ? ` | earlier: ${earlier}` : ''}`.slice(
    0,
    2000,
  );
}

function unfinishedRuns({ db }: ServiceDeps, job: string, programId: string | null) {
  return db
    .select()
    .from(jobRuns)
    .where(
      and(
        eq(jobRuns.job, job),
        programId === null ? isNull(jobRuns.programId) : eq(jobRuns.programId, programId),
        isNull(jobRuns.finishedAt),
      ),
    )
    .orderBy(asc(jobRuns.startedAt));
}

async function startRun({ db, clock }: ServiceDeps, job: string, options: JobRunOptions) {
  const [run] = await db
    .insert(jobRuns)
    .values({ id: newId(), job, programId: options.programId, trigger: options.trigger, scheduledFor: options.now, startedAt: clock.now() })
    .returning();
  return run!;
}

/** Runs a job now, for one program or (global jobs) for all; what `runJob` in GraphQL calls. */
export function runJobNow(deps: ServiceDeps, job: Job, options: Omit<JobRunOptions, 'deadline'> & { budgetMs?: number }) {
  return runJob(deps, job, { ...options, deadline: deps.clock.now().getTime() + (options.budgetMs ?? DEFAULT_BUDGET_MS) });
}

/**
 * What a Cron Trigger does on either runtime: every job mapped to its expression, for every
 * program (or once, for a global job), all within one time budget.
 */
export async function runScheduledJobs(deps: ServiceDeps, cron: string, now: Date, budgetMs = DEFAULT_BUDGET_MS): Promise<JobRunRow[]> {
  const names = jobsByCron[cron];
  if (!names) throw new Error(`No jobs are mapped to cron "${cron}" (src/jobs/schedule.ts)`);
  const deadline = deps.clock.now().getTime() + budgetMs;
  const programIds = await allProgramIds(deps.db);
  const runs: JobRunRow[] = [];
  for (const name of names) {
    const job = jobs[name]!;
    for (const programId of job.scope === 'global' ? [null] : programIds) {
      // Past the budget, the other programs wait for the next tick (jobs catch up on any `now`);
      // one run always goes ahead, so every invocation makes progress.
      if (runs.length > 0 && deps.clock.now().getTime() >= deadline) return runs;
      runs.push(await runJob(deps, job, { now, trigger: cron, programId, deadline }));
    }
  }
  return runs;
}
