import type { Job } from './job';
import { pruneJobRuns } from './prune-job-runs';

export const jobs: Record<string, Job> = {
  [pruneJobRuns.name]: pruneJobRuns,
};

/**
 * Which jobs each Cron Trigger of `wrangler.toml` runs. The crons themselves live in `wrangler.toml`
 * (Workers reads them there, Node's scheduler parses the same file); a test keeps both lists equal.
 */
export const jobsByCron: Record<string, string[]> = {
  '15 3 * * *': [pruneJobRuns.name],
};
