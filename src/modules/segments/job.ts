import { and, asc, eq, gt } from 'drizzle-orm';
import { segments } from '../../../schema';
import type { Job } from '../../jobs/job';
import { refreshChunk } from './refresh';

/**
 * Refreshes every active segment of a program, one chunk of members per step. The cursor names the
 * segment under refresh (`at:<id>`, whose own cursor says how far it got) or the last one finished
 * (`after:<id>`), so a run stopped anywhere resumes where it was.
 */
export const refreshSegmentsJob: Job = {
  name: 'refresh-segments',
  scope: 'program',
  async step({ db }, { programId, now, cursor }) {
    const [position, segmentId = ''] = cursor?.split(':') ?? ['after', ''];
    const [segment] = await db
      .select()
      .from(segments)
      .where(
        and(
          eq(segments.programId, programId!),
          eq(segments.status, 'active'),
          position === 'at' ? eq(segments.id, segmentId) : gt(segments.id, segmentId),
        ),
      )
      .orderBy(asc(segments.id))
      .limit(1);
    if (!segment) return position === 'at' ? { processed: 0, cursor: `after:${segmentId}` } : { processed: 0, cursor: null };
    const { done } = await refreshChunk(db, segment, now);
    return { processed: done ? 1 : 0, cursor: done ? `after:${segment.id}` : `at:${segment.id}` };
  },
};
