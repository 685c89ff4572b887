import type { JobRunRow } from '../../schema';

/**
 * One log line for a job run: job, program, processed, duration and errors, e.g.
 * `job expire-points program=acme processed=120 duration=85ms errors=none`.
 * The duration runs from the run's start to its end (or to `now` while it waits to be resumed).
 */
export function describeJobRun(run: JobRunRow, now: Date): string {
  const end = run.finishedAt ?? now;
  const fields = [
    `job ${run.job}`,
    `program=${run.programId ?? '(all)'}`,
    `processed=${run.processed}`,
    `duration=${end.getTime() - run.startedAt.getTime()}ms`,
    ...(run.finishedAt ? [] : ['unfinished=resumes-next-tick']),
    `errors=${run.error ? JSON.stringify(run.error) : 'none'}`,
  ];
  return fields.join(' ');
}
