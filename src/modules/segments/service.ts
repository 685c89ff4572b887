import { and, eq, gt, inArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { members, segmentMembers, segments, type SegmentRow } from '../../../schema';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db/database';
import { InvalidInputError } from '../../platform/errors';
import { keyset, type KeysetPage } from '../../platform/db/keyset';
import { newId } from '../../platform/ids';
import { DefinitionError, needsProgramWideScores, parseDefinition, referencesOf } from './domain/definition';
import { refreshSegmentFully, segmentCondition } from './refresh';
import { anyPurchaseOf } from '../history';
import { tierIdsByName } from '../tiers';
import { SegmentNotFoundError } from './errors';

const definitionPath = (path: Array<string | number>) => ['input', 'definition', ...path.map(String)];

export type SegmentsService = ReturnType<typeof createSegmentsService>;

/** Segments: definitions checked against the program, materialized membership, live checks for one member. */
export function createSegmentsService({ db, clock }: { db: Database; clock: Clock }) {
  /** Parses a definition and checks that every tier, tag and category it names exists in the program. */
  async function checkDefinition(programId: string, json: unknown) {
    try {
      parseDefinition(json);
    } catch (error) {
      if (error instanceof DefinitionError)
        throw new InvalidInputError(error.issues.map((issue) => ({ path: definitionPath(issue.path), message: issue.message })));
      throw error;
    }
    const references = referencesOf(json);
    const tierIds = await tierIdsByName(db, programId);
    const unknown = await Promise.all(
      references.map(async (reference) => {
        if (reference.kind === 'tier') return tierIds.has(reference.name) ? null : reference;
        const [found] =
          reference.kind === 'tag'
            ? await db
                .select({ id: members.id })
                .from(members)
                .where(
                  and(
                    eq(members.programId, programId),
                    sql`exists (select 1 from json_each(${members.tags}) where value = ${reference.name})`,
                  ),
                )
                .limit(1)
            : await anyPurchaseOf(db, programId, 'category', reference.name);
        return found ? null : reference;
      }),
    );
    const issues = unknown.flatMap((reference) =>
      reference ? [{ path: definitionPath(reference.path), message: `unknown ${reference.kind} "${reference.name}" in this program` }] : [],
    );
    if (issues.length > 0) throw new InvalidInputError(issues);
  }

  async function find(programId: string, segmentId: string) {
    const [segment] = await db
      .select()
      .from(segments)
      .where(and(eq(segments.programId, programId), eq(segments.id, segmentId)));
    if (!segment) throw new SegmentNotFoundError(segmentId);
    return segment;
  }

  return {
    async create(programId: string, input: { name: string; definition: unknown }) {
      await checkDefinition(programId, input.definition);
      const now = clock.now();
      const id = newId();
      await db.insert(segments).values({ id, programId, name: input.name, definition: input.definition, createdAt: now, updatedAt: now });
      await refreshSegmentFully(db, id, now);
      return find(programId, id);
    },

    /** A new definition starts a refresh over (what a previous one had half-written is dropped). */
    async update(programId: string, segmentId: string, input: { name?: string | null; definition?: unknown }) {
      const segment = await find(programId, segmentId);
      if (segment.status === 'archived')
        throw new InvalidInputError([{ path: ['input', 'id'], message: 'an archived segment cannot change' }]);
      if (input.definition !== undefined && input.definition !== null) await checkDefinition(programId, input.definition);
      const now = clock.now();
      const redefined = input.definition !== undefined && input.definition !== null;
      await db.batch([
        db
          .update(segments)
          .set({
            ...(input.name ? { name: input.name } : {}),
            ...(redefined ? { definition: input.definition, refreshCursor: null } : {}),
            updatedAt: now,
          })
          .where(eq(segments.id, segmentId)),
        db.delete(segmentMembers).where(and(eq(segmentMembers.segmentId, segmentId), gt(segmentMembers.generation, segment.generation))),
      ]);
      if (redefined) await refreshSegmentFully(db, segmentId, now);
      return find(programId, segmentId);
    },

    async archive(programId: string, segmentId: string) {
      await find(programId, segmentId);
      await db.update(segments).set({ status: 'archived', refreshCursor: null, updatedAt: clock.now() }).where(eq(segments.id, segmentId));
      return find(programId, segmentId);
    },

    async refresh(programId: string, segmentId: string) {
      const segment = await find(programId, segmentId);
      if (segment.status === 'archived')
        throw new InvalidInputError([{ path: ['input', 'id'], message: 'an archived segment is not refreshed' }]);
      await refreshSegmentFully(db, segmentId, clock.now());
      return find(programId, segmentId);
    },

    get: (programId: string, segmentId: string) => find(programId, segmentId).catch(() => null),

    byIds: (programId: string, segmentIds: readonly string[]) =>
      segmentIds.length
        ? db
            .select()
            .from(segments)
            .where(and(eq(segments.programId, programId), inArray(segments.id, [...segmentIds])))
        : Promise.resolve([]),

    list(programId: string, page: KeysetPage, includeArchived: boolean) {
      const { conditions, orderBy, limit } = keyset(segments.id, page);
      return db
        .select()
        .from(segments)
        .where(and(eq(segments.programId, programId), includeArchived ? undefined : eq(segments.status, 'active'), ...conditions))
        .orderBy(orderBy)
        .limit(limit);
    },

    /** Members of the segment as of its last refresh, in member id order. */
    async members(segment: SegmentRow, page: KeysetPage) {
      const { conditions, orderBy, limit } = keyset(members.id, page);
      return db
        .select({ member: members })
        .from(segmentMembers)
        .innerJoin(members, eq(members.id, segmentMembers.memberId))
        .where(and(eq(segmentMembers.segmentId, segment.id), eq(segmentMembers.generation, segment.generation), ...conditions))
        .orderBy(orderBy)
        .limit(limit)
        .then((rows) => rows.map((row) => ({ ...row.member, id: row.member.id })));
    },

    /** The active segments the member is in, as of their last refresh. */
    ofMember(programId: string, memberId: string) {
      return db
        .select({ segment: segments })
        .from(segmentMembers)
        .innerJoin(segments, and(eq(segments.id, segmentMembers.segmentId), eq(segments.generation, segmentMembers.generation)))
        .where(and(eq(segmentMembers.memberId, memberId), eq(segments.programId, programId), eq(segments.status, 'active')))
        .orderBy(segments.id)
        .then((rows) => rows.map((row) => row.segment));
    },
  };
}

/**
 * Which of the segments the member is in now: evaluated live (one query) where the definition is
 * about the member alone, read from the last refresh where it ranks the whole program (RFM).
 * Archived and unknown segments contain no one.
 */
export async function memberInSegments(
  db: Database,
  programId: string,
  memberId: string,
  segmentIds: string[],
  now: Date,
): Promise<Set<string>> {
  if (segmentIds.length === 0) return new Set();
  const rows = await db
    .select()
    .from(segments)
    .where(and(eq(segments.programId, programId), inArray(segments.id, segmentIds), eq(segments.status, 'active')));
  const inside = new Set<string>();
  await Promise.all(
    rows.map(async (segment) => {
      const [hit] = needsProgramWideScores(parseDefinition(segment.definition))
        ? await db
            .select({ one: sql`1` })
            .from(segmentMembers)
            .where(
              and(
                eq(segmentMembers.segmentId, segment.id),
                eq(segmentMembers.generation, segment.generation),
                eq(segmentMembers.memberId, memberId),
              ),
            )
        : await db
            .select({ one: sql`1` })
            .from(members)
            .where(
              and(
                eq(members.programId, programId),
                eq(members.id, memberId),
                eq(members.status, 'active'),
                await segmentCondition(db, segment, now),
              ),
            );
      if (hit) inside.add(segment.id);
    }),
  );
  return inside;
}

/** Which of these ids are segments of the program (archived ones included). */
export function existingSegmentIds(db: Database, programId: string, segmentIds: string[]) {
  return db
    .select({ id: segments.id })
    .from(segments)
    .where(and(eq(segments.programId, programId), inArray(segments.id, segmentIds)));
}

/**
 * SQL: the member `memberId` (a column of the caller's query) is in one of `segmentIds` as of each
 * segment's last refresh (its materialized generation): what publishing to a segment goes by.
 */
export const inSegmentsCondition = (memberId: SQLWrapper, segmentIds: readonly string[]): SQL =>
  sql`exists (select 1 from ${segmentMembers} join ${segments} on ${segments.id} = ${segmentMembers.segmentId} and ${segments.generation} = ${segmentMembers.generation}
    where ${segmentMembers.memberId} = ${memberId} and ${inArray(segmentMembers.segmentId, [...segmentIds])} and ${segments.status} = 'active')`;
