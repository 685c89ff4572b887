import { and, count, eq, gt, sql } from 'drizzle-orm';
import { members, segmentMembers, segments, type SegmentRow } from '../../../schema';
import type { Database } from '../../platform/db/database';
import { tierIdsByName } from '../tiers';
import { parseDefinition } from './domain/definition';
import { compileDefinition } from './sql';

/** Members one refresh chunk covers: one set-based insert … select each. */
export const REFRESH_CHUNK = 5000;

/** The SQL condition of a stored segment at `now`. */
export async function segmentCondition(db: Database, segment: SegmentRow, now: Date) {
  return compileDefinition(parseDefinition(segment.definition), { now, tierIds: await tierIdsByName(db, segment.programId) });
}

/**
 * One chunk of a segment's refresh: the next REFRESH_CHUNK members (by id) after its cursor are
 * tested and those that match written into the next generation; the last chunk flips the segment
 * to it (count, time) and drops the previous one. Each chunk is one batch, so a refresh stopped
 * anywhere resumes from its cursor. Returns whether the refresh is complete.
 */
export async function refreshChunk(db: Database, segment: SegmentRow, now: Date): Promise<{ done: boolean }> {
  const next = segment.generation + 1;
  const inProgram = and(
    eq(members.programId, segment.programId),
    segment.refreshCursor ? gt(members.id, segment.refreshCursor) : undefined,
  );
  const [upper] = await db
    .select({ id: members.id })
    .from(members)
    .where(inProgram)
    .orderBy(members.id)
    .limit(1)
    .offset(REFRESH_CHUNK - 1);
  const condition = await segmentCondition(db, segment, now);
  const range = and(inProgram, upper ? sql`${members.id} <= ${upper.id}` : undefined, eq(members.status, 'active'), condition);
  const insert = db.run(
    sql`insert or ignore into ${segmentMembers} (segment_id, generation, member_id) select ${segment.id}, ${next}, ${members.id} from ${members} where ${range}`,
  );
  if (upper) {
    await db.batch([insert, db.update(segments).set({ refreshCursor: upper.id }).where(eq(segments.id, segment.id))]);
    return { done: false };
  }
  await db.batch([
    insert,
    db
      .update(segments)
      .set({
        generation: next,
        memberCount: sql`(select ${count()} from ${segmentMembers} where ${segmentMembers.segmentId} = ${segment.id} and ${segmentMembers.generation} = ${next})`,
        lastRefreshedAt: now,
        refreshCursor: null,
        refreshCount: sql`${segments.refreshCount} + 1`,
      })
      .where(eq(segments.id, segment.id)),
    db.delete(segmentMembers).where(and(eq(segmentMembers.segmentId, segment.id), sql`${segmentMembers.generation} <> ${next}`)),
  ]);
  return { done: true };
}

/** Refreshes a segment to the end, chunk after chunk (re-reading its cursor each time). */
export async function refreshSegmentFully(db: Database, segmentId: string, now: Date) {
  for (;;) {
    const [segment] = await db.select().from(segments).where(eq(segments.id, segmentId));
    if (!segment || (await refreshChunk(db, segment, now)).done) return;
    // The embedded database answers on the event loop: let requests in between chunks.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/**
 * The ids of the segment's members as of its last refresh, as a subquery (`member_id in (…)`) for
 * set-based reports; an unknown segment, or one of another program, holds no one.
 */
export function segmentMembersSql(programId: string, segmentId: string) {
  return sql`select ${segmentMembers.memberId} from ${segmentMembers} where ${segmentMembers.segmentId} = ${segmentId} and ${segmentMembers.generation} = (select ${segments.generation} from ${segments} where ${segments.id} = ${segmentId} and ${segments.programId} = ${programId})`;
}
