import { pruneDeliveriesBefore, pruneEventsBefore, strictEventsOptions } from '../modules/events';
import { DAY_MS } from '../platform/time';
import type { Job } from './job';

const PRUNE_CHUNK = 500;

/**
 * Deletes events and finished webhook deliveries older than the retention period
 * (EVENT_RETENTION_DAYS); an event a pending delivery still waits for is kept.
 */
export const pruneEvents: Job = {
  name: 'prune-events',
  scope: 'global',
  async step({ db, events }, { now }) {
    const before = new Date(now.getTime() - (events ?? strictEventsOptions).retentionDays * DAY_MS);
    const deliveries = await pruneDeliveriesBefore(db, before, PRUNE_CHUNK);
    const pruned = deliveries + (await pruneEventsBefore(db, before, PRUNE_CHUNK));
    // Deleted rows no longer match, so the next chunk needs no position: the cursor only says "more".
    return { processed: pruned, cursor: pruned > 0 ? 'more' : null };
  },
};
