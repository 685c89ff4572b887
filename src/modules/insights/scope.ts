import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../platform/db/database';
import { existingSegmentIds, SegmentNotFoundError, segmentMembersSql } from '../segments';
import { existingTierIds, TierNotFoundError, tierMembersSql } from '../tiers';
import type { CountedOrdersScope } from '../orders';

export interface MemberFilter {
  segmentId: string | null;
  tierId: string | null;
}

/**
 * The members a report covers as a subquery of ids: a segment's members as of its last refresh,
 * and/or the members whose tier is `tierId` now; null when the report covers everyone. Unknown ids
 * are typed errors.
 */
export async function membersOf(db: Database, programId: string, filter: MemberFilter): Promise<SQL | null> {
  const [segments, tiers] = await Promise.all([
    filter.segmentId ? existingSegmentIds(db, programId, [filter.segmentId]) : [],
    filter.tierId ? existingTierIds(db, programId, [filter.tierId]) : [],
  ]);
  if (filter.segmentId && segments.length === 0) throw new SegmentNotFoundError(filter.segmentId);
  if (filter.tierId && tiers.length === 0) throw new TierNotFoundError(filter.tierId);
  const parts = [
    filter.segmentId ? segmentMembersSql(programId, filter.segmentId) : null,
    filter.tierId ? tierMembersSql(programId, filter.tierId) : null,
  ].filter((part): part is SQL => part !== null);
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0]! : sql`${parts[0]} intersect ${parts[1]}`;
}

export async function scopeOf(db: Database, programId: string, filter: MemberFilter): Promise<CountedOrdersScope> {
  return { programId, members: await membersOf(db, programId, filter) };
}
