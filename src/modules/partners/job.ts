import type { Job } from '../../jobs/job';
import { nextRunningPublication, publishChunk } from './publication';

/**
 * Gives the vouchers of the program's running publications, oldest first, one chunk of members per
 * step. Where a publication has got to is kept on the publication itself (moved in the same batch
 * as its vouchers), so the run's cursor only names the one under way and any run resumes it.
 */
export const publishPartnerCampaignsJob: Job = {
  name: 'publish-partner-campaigns',
  scope: 'program',
  async step({ db }, { programId, now }) {
    const publication = await nextRunningPublication(db, programId!);
    if (!publication) return { processed: 0, cursor: null };
    const { issued } = await publishChunk(db, publication, now);
    return { processed: issued, cursor: publication.id };
  },
};
