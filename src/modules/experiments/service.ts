import { and, eq } from 'drizzle-orm';
import { experiments, globalControlGroups, type ExperimentRow } from '../../../schema';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db/database';
import { InvalidInputError } from '../../platform/errors';
import { keyset, type KeysetPage } from '../../platform/db/keyset';
import { newId } from '../../platform/ids';
import { existingSegmentIds, SegmentNotFoundError, memberInSegments } from '../segments';
import { armOf } from './domain/split';
import { ExperimentNotFoundError } from './errors';
import { experimentsByIds, exposureCounts, globalControlGroup, memberHoldouts } from './repository';

export interface NewExperiment {
  name: string;
  holdoutBasisPoints: number;
  startsAt: Date;
  endsAt: Date;
  segmentId: string | null;
}

export type ExperimentsService = ReturnType<typeof createExperimentsService>;

/** Experiments (pilots with a control group) and the program's global control group. */
export function createExperimentsService({ db, clock }: { db: Database; clock: Clock }) {
  async function get(programId: string, experimentId: string): Promise<ExperimentRow> {
    const [experiment] = await experimentsByIds(db, programId, [experimentId]);
    if (!experiment) throw new ExperimentNotFoundError(experimentId);
    return experiment;
  }

  return {
    get,
    byIds: (programId: string, ids: readonly string[]) => experimentsByIds(db, programId, ids),

    async create(programId: string, input: NewExperiment): Promise<ExperimentRow> {
      if (input.startsAt.getTime() >= input.endsAt.getTime())
        throw new InvalidInputError([{ path: ['input', 'endsAt'], message: 'endsAt must be after startsAt' }]);
      if (input.segmentId && (await existingSegmentIds(db, programId, [input.segmentId])).length === 0)
        throw new SegmentNotFoundError(input.segmentId);
      const id = newId();
      const [row] = await db
        .insert(experiments)
        .values({ id, programId, ...input, salt: `experiment:${id}`, createdAt: clock.now() })
        .returning();
      return row!;
    },

    list(programId: string, page: KeysetPage) {
      const { conditions, orderBy, limit } = keyset(experiments.id, page, true);
      return db
        .select()
        .from(experiments)
        .where(and(eq(experiments.programId, programId), ...conditions))
        .orderBy(orderBy)
        .limit(limit);
    },

    /** Where the experiment stands now. */
    status(experiment: ExperimentRow): 'SCHEDULED' | 'RUNNING' | 'ENDED' {
      const now = clock.now().getTime();
      return now < experiment.startsAt.getTime() ? 'SCHEDULED' : now < experiment.endsAt.getTime() ? 'RUNNING' : 'ENDED';
    },

    exposures: (experiment: ExperimentRow) => exposureCounts(db, experiment.id),

    /** Every experiment of the program the member takes part in (its segment holds the member now), with the arm. */
    async ofMember(programId: string, memberId: string) {
      const rows = await db.select().from(experiments).where(eq(experiments.programId, programId)).orderBy(experiments.id);
      const inSegments = await memberInSegments(
        db,
        programId,
        memberId,
        [...new Set(rows.flatMap((row) => (row.segmentId ? [row.segmentId] : [])))],
        clock.now(),
      );
      return rows
        .filter((row) => !row.segmentId || inSegments.has(row.segmentId))
        .map((experiment) => ({ experiment, arm: armOf(experiment.salt, memberId, experiment.holdoutBasisPoints) }));
    },

    async inGlobalControl(programId: string, memberId: string) {
      return (await memberHoldouts(db, programId, memberId, [], clock.now())).globalControl;
    },

    globalControlGroup: (programId: string) => globalControlGroup(db, programId),

    /** Sets the share of the global control group; the split's salt is kept, so members only join or leave at the margin. */
    async setGlobalControlGroup(programId: string, basisPoints: number) {
      const current = await globalControlGroup(db, programId);
      const now = clock.now();
      await db
        .insert(globalControlGroups)
        .values({ programId, basisPoints, salt: current.salt, updatedAt: now })
        .onConflictDoUpdate({ target: globalControlGroups.programId, set: { basisPoints, updatedAt: now } });
      return globalControlGroup(db, programId);
    },
  };
}
