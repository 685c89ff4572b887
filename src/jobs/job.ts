import pMap from 'p-map';
import type { ServiceDeps } from '../services';

/** One chunk of a job's work: how much it did and where the next chunk starts (null when done). */
export interface JobStep {
  processed: number;
  cursor: string | null;
  /** Members the chunk could not process, with why; the run goes on and reports them. */
  failures?: string[];
}

export interface JobStepContext {
  /** The program a `program` job works on; null for a `global` job. */
  programId: string | null;
  /** The instant the run is for: jobs are idempotent for a given `now`. */
  now: Date;
  cursor: string | null;
}

/**
 * A scheduled job (DESIGN.md §5): idempotent for a given `now`, and resumable because it works in
 * chunks that each return a cursor, so any amount of work fits a Worker's CPU limit per invocation.
 * A `program` job runs once per program (tenant); a `global` job once for the whole database.
 */
export interface Job {
  name: string;
  scope: 'program' | 'global';
  step(deps: ServiceDeps, context: JobStepContext): Promise<JobStep>;
}

/** Members a chunk touches at once: bounded, so memory stays flat for any number of members. */
export const CHUNK_SIZE = 100;
/** Commands a job runs at the same time (each in its member's serializer). */
export const JOB_CONCURRENCY = 8;

/** Where the next chunk starts: after the last id, unless this chunk was not full (then the job is done). */
export function nextCursor(ids: string[], chunkSize = CHUNK_SIZE): string | null {
  return ids.length === chunkSize ? ids.at(-1)! : null;
}

/**
 * Runs `work` for each member, a few at a time; one member's failure does not stop the others.
 * Returns the failures as `memberId: message`.
 */
export async function forEachMember(memberIds: string[], work: (memberId: string) => Promise<unknown>): Promise<string[]> {
  const outcomes = await pMap(
    memberIds,
    async (memberId) => {
      try {
        await work(memberId);
        return null;
      } catch (error) {
        return `${memberId}: ${error instanceof Error ? error.message : String(error)}`;
      }
    },
    { concurrency: JOB_CONCURRENCY },
  );
  return outcomes.filter((failure): failure is string => failure !== null);
}
