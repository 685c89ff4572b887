import { and, eq, inArray, sql } from 'drizzle-orm';
import { experimentExposures, experiments, globalControlGroups, type ExperimentRow } from '../../../schema';
import type { ExperimentArm, ExposureSubject } from '../../../schema/values';
import type { Database } from '../../platform/db/database';
import { memberInSegments, segmentMembersSql } from '../segments';
import { armOf, inGlobalControl } from './domain/split';

/** The program's global control group: its share (0 when never set) and the salt of its split. */
export async function globalControlGroup(db: Database, programId: string) {
  const [row] = await db.select().from(globalControlGroups).where(eq(globalControlGroups.programId, programId));
  return { basisPoints: row?.basisPoints ?? 0, salt: row?.salt ?? `global:${programId}`, updatedAt: row?.updatedAt ?? null };
}

export function experimentsByIds(db: Database, programId: string, ids: readonly string[]): Promise<ExperimentRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(experiments)
    .where(and(eq(experiments.programId, programId), inArray(experiments.id, [...ids])));
}

/** Running at `at`: started, not yet ended. Outside that window nobody is held out. */
export const isRunning = (experiment: Pick<ExperimentRow, 'startsAt' | 'endsAt'>, at: Date) =>
  experiment.startsAt.getTime() <= at.getTime() && at.getTime() < experiment.endsAt.getTime();

/** What marketing a member is held out of at `at`. */
export interface Holdouts {
  /** In the program's global control group: no automatic offer, reminder or partner campaign. */
  globalControl: boolean;
  /** The member's arm in each named experiment that runs at `at` and that the member takes part in. */
  arms: Map<string, ExperimentArm>;
}

export const NO_HOLDOUTS: Holdouts = { globalControl: false, arms: new Map() };

/** Whether the member is held out of something naming `experimentId` (null: plain marketing) at this moment. */
export function heldOut(holdouts: Holdouts, experimentId: string | null | undefined): boolean {
  if (holdouts.globalControl) return true;
  return experimentId != null && holdouts.arms.get(experimentId) === 'control';
}

/** The member's arms in the experiments named (see `memberArms`) and whether the member is in the global control group. */
export async function memberHoldouts(
  db: Database,
  programId: string,
  memberId: string,
  experimentIds: readonly string[],
  at: Date,
): Promise<Holdouts> {
  const [global, arms] = await Promise.all([globalControlGroup(db, programId), memberArms(db, programId, memberId, experimentIds, at)]);
  return { globalControl: inGlobalControl(global.salt, memberId, global.basisPoints), arms };
}

/** The member's arm in each of the named experiments that runs at `at` and whose segment (if any) holds the member now. */
export async function memberArms(
  db: Database,
  programId: string,
  memberId: string,
  experimentIds: readonly string[],
  at: Date,
): Promise<Map<string, ExperimentArm>> {
  if (experimentIds.length === 0) return new Map();
  const named = await experimentsByIds(db, programId, experimentIds);
  const running = named.filter((experiment) => isRunning(experiment, at));
  const segmentIds = [...new Set(running.flatMap((experiment) => (experiment.segmentId ? [experiment.segmentId] : [])))];
  const inSegments = await memberInSegments(db, programId, memberId, segmentIds, at);
  const arms = new Map<string, ExperimentArm>();
  for (const experiment of running)
    if (!experiment.segmentId || inSegments.has(experiment.segmentId))
      arms.set(experiment.id, armOf(experiment.salt, memberId, experiment.holdoutBasisPoints));
  return arms;
}

export interface Exposure {
  experimentId: string;
  memberId: string;
  arm: ExperimentArm;
  subjectKind: ExposureSubject;
  subjectId: string;
  at: Date;
}

/** Records exposures in the caller's batch (one multi-row statement); a member's first exposure to a subject is kept. */
export function exposureStatements(db: Database, exposures: readonly Exposure[]) {
  if (exposures.length === 0) return [];
  return [
    db
      .insert(experimentExposures)
      .values(
        exposures.map(({ at, ...exposure }) => ({
          ...exposure,
          firstAt: at,
        })),
      )
      .onConflictDoNothing(),
  ];
}

/** Exposures recorded so far per arm. */
export async function exposureCounts(db: Database, experimentId: string) {
  const rows = await db
    .select({ arm: experimentExposures.arm, members: sql<number>`count(distinct ${experimentExposures.memberId})`.mapWith(Number) })
    .from(experimentExposures)
    .where(eq(experimentExposures.experimentId, experimentId))
    .groupBy(experimentExposures.arm);
  const of = (arm: ExperimentArm) => rows.find((row) => row.arm === arm)?.members ?? 0;
  return { treatment: of('treatment'), control: of('control') };
}

/** Who of a set of members (a job's chunk) is held out at `at`, and their arm in the experiment named (null: none). */
export interface AudienceHoldouts {
  /** The member's arm, when the experiment runs at `at` and the member takes part (its segment, as last refreshed, holds it). */
  armOf(memberId: string): ExperimentArm | null;
  /** Held out: in the global control group, or in the experiment's control group. */
  heldOut(memberId: string): boolean;
}

/**
 * For marketing that goes to many members at once (reminders, a partner campaign's audience): one
 * read of the global control group and of the experiment, and one of its segment's members among `memberIds`.
 */
export async function audienceHoldouts(
  db: Database,
  programId: string,
  experimentId: string | null,
  memberIds: readonly string[],
  at: Date,
): Promise<AudienceHoldouts> {
  const [global, [experiment]] = await Promise.all([
    globalControlGroup(db, programId),
    experimentId ? experimentsByIds(db, programId, [experimentId]) : Promise.resolve([]),
  ]);
  const running = experiment && isRunning(experiment, at) ? experiment : null;
  let inSegment: Set<string> | null = null;
  if (running?.segmentId && memberIds.length > 0) {
    const rows = await db.all<{ member_id: string }>(
      sql`select member_id from (${segmentMembersSql(programId, running.segmentId)}) where member_id in (${sql.join(
        memberIds.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    );
    inSegment = new Set(rows.map((row) => row.member_id));
  }
  const armOfMember = (memberId: string): ExperimentArm | null =>
    running && (!inSegment || inSegment.has(memberId)) ? armOf(running.salt, memberId, running.holdoutBasisPoints) : null;
  return {
    armOf: armOfMember,
    heldOut: (memberId) => inGlobalControl(global.salt, memberId, global.basisPoints) || armOfMember(memberId) === 'control',
  };
}
