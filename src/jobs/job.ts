import type { ServiceDeps } from '../services';

/** One chunk of a job's work: how much it did and where the next chunk starts (null when done). */
export interface JobStep {
  processed: number;
  cursor: string | null;
}

/**
 * A scheduled job (DESIGN.md §5): idempotent for a given `now`, and resumable because it works in
 * chunks that each return a cursor, so any amount of work fits a Worker's CPU limit per invocation.
 */
export interface Job {
  name: string;
  step(deps: ServiceDeps, now: Date, cursor: string | null): Promise<JobStep>;
}
