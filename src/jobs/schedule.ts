import { expirePoints } from './expire-points';
import type { Job } from './job';
import { pruneJobRuns } from './prune-job-runs';
import { recalculateTiers } from './recalculate-tiers';
import { rekeyFingerprints } from './rekey-fingerprints';
import { settleReferrals } from './settle-referrals';
import { refreshSegmentsJob } from '../modules/segments';
import { publishPartnerCampaignsJob } from '../modules/partners';
import { dispatchWebhooksJob } from './dispatch-webhooks';
import { pruneEvents } from './prune-events';
import { sendReminders } from './send-reminders';
import { TIER_RECALCULATION_CRON } from '../modules/tiers';

export const jobs: Record<string, Job> = Object.fromEntries(
  [
    expirePoints,
    recalculateTiers,
    pruneJobRuns,
    settleReferrals,
    rekeyFingerprints,
    dispatchWebhooksJob,
    pruneEvents,
    refreshSegmentsJob,
    sendReminders,
    publishPartnerCampaignsJob,
  ].map((job) => [job.name, job]),
);

/**
 * Which jobs each Cron Trigger of `wrangler.toml` runs (UTC). The crons themselves live in
 * `wrangler.toml` (Workers reads them there, Node's scheduler parses the same file); a test keeps
 * both lists equal.
 */
export const jobsByCron: Record<string, string[]> = {
  '5 * * * *': [expirePoints.name, settleReferrals.name, publishPartnerCampaignsJob.name],
  '20 * * * *': [sendReminders.name],
  [TIER_RECALCULATION_CRON]: [recalculateTiers.name, rekeyFingerprints.name, refreshSegmentsJob.name],
  '15 3 * * *': [pruneJobRuns.name, pruneEvents.name],
  '* * * * *': [dispatchWebhooksJob.name],
};
