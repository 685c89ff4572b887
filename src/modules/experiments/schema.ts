import { z } from 'zod';
import { builder } from '../../graphql/builder';
import { programIdOf } from '../../graphql/context';
import { connectionById } from '../../graphql/connections';
import { requireId } from '../../graphql/global-ids';
import { upperCaseEnum } from '../../graphql/enums';
import { parseInput } from '../../graphql/parse-input';
import { ErrorInterface } from '../../graphql/types/errors';
import { text, whole } from '../../platform/validation';
import { experimentArms } from '../../../schema/values';
import type { ExperimentRow } from '../../../schema';
import { MemberType } from '../members';
import { SegmentNotFoundError, SegmentType, segmentIdFrom } from '../segments';
import { ExperimentNotFoundError } from './errors';

builder.objectType(ExperimentNotFoundError, {
  name: 'ExperimentNotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ experimentId: t.id({ resolve: (error) => error.details.experimentId }) }),
});

export const ExperimentArm = upperCaseEnum('ExperimentArm', experimentArms);
const ExperimentStatus = builder.enumType('ExperimentStatus', { values: ['SCHEDULED', 'RUNNING', 'ENDED'] as const });
const admin = { admin: true };

const ExposureCounts = builder.objectRef<{ treatment: number; control: number }>('ExperimentExposures').implement({
  fields: (t) => ({ treatment: t.exposeInt('treatment'), control: t.exposeInt('control') }),
});

export const ExperimentType = builder.node(builder.objectRef<ExperimentRow>('Experiment'), {
  id: { resolve: (experiment) => experiment.id },
  authScopes: admin,
  loadMany: (ids, context) => context.services.experiments.byIds(programIdOf(context), ids),
  fields: (t) => ({
    name: t.exposeString('name'),
    holdoutBasisPoints: t.exposeInt('holdoutBasisPoints'),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    status: t.field({
      type: ExperimentStatus,
      resolve: (experiment, _args, context) => context.services.experiments.status(experiment),
    }),
    segment: t.field({
      type: SegmentType,
      nullable: true,
      resolve: async (experiment, _args, context) =>
        experiment.segmentId ? ((await context.services.segments.byIds(programIdOf(context), [experiment.segmentId]))[0] ?? null) : null,
    }),
    exposures: t.field({
      type: ExposureCounts,
      resolve: (experiment, _args, context) => context.services.experiments.exposures(experiment),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const experimentIdFrom = (globalId: string | number) => requireId('Experiment', globalId, (id) => new ExperimentNotFoundError(id));

const MemberExperiment = builder
  .objectRef<{ experiment: ExperimentRow; arm: (typeof experimentArms)[number] }>('MemberExperiment')
  .implement({
    fields: (t) => ({
      experiment: t.field({ type: ExperimentType, resolve: (entry) => entry.experiment }),
      arm: t.field({ type: ExperimentArm, resolve: (entry) => entry.arm }),
    }),
  });

builder.objectFields(MemberType, (t) => ({
  experiments: t.field({
    type: [MemberExperiment],
    authScopes: admin,
    resolve: (member, _args, context) => context.services.experiments.ofMember(programIdOf(context), member.id),
  }),
  inGlobalControlGroup: t.boolean({
    authScopes: admin,
    resolve: (member, _args, context) => context.services.experiments.inGlobalControl(programIdOf(context), member.id),
  }),
}));

const GlobalControlGroup = builder.objectRef<{ basisPoints: number; updatedAt: Date | null }>('GlobalControlGroup').implement({
  fields: (t) => ({
    basisPoints: t.exposeInt('basisPoints'),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
  }),
});

const CreateExperimentInput = builder.inputType('CreateExperimentInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    holdoutBasisPoints: t.int({ required: true }),
    startsAt: t.field({ type: 'DateTime', required: true }),
    endsAt: t.field({ type: 'DateTime', required: true }),
    segmentId: t.id(),
  }),
});
const SetGlobalControlGroupInput = builder.inputType('SetGlobalControlGroupInput', {
  fields: (t) => ({ basisPoints: t.int({ required: true }) }),
});
const ExperimentPayload = builder.objectRef<{ experiment: ExperimentRow }>('ExperimentPayload').implement({
  fields: (t) => ({ experiment: t.field({ type: ExperimentType, resolve: (payload) => payload.experiment }) }),
});
const GlobalControlGroupPayload = builder
  .objectRef<{ globalControlGroup: { basisPoints: number; updatedAt: Date | null } }>('GlobalControlGroupPayload')
  .implement({
    fields: (t) => ({ globalControlGroup: t.field({ type: GlobalControlGroup, resolve: (payload) => payload.globalControlGroup }) }),
  });

const experimentSchema = z.object({ name: text(200), holdoutBasisPoints: whole(1, 9_999) });
const globalControlSchema = z.object({ basisPoints: whole(0, 5_000) });

builder.mutationFields((t) => ({
  createExperiment: t.field({
    type: ExperimentPayload,
    authScopes: admin,
    args: { input: t.arg({ type: CreateExperimentInput, required: true }) },
    errors: { types: [SegmentNotFoundError], directResult: true, union: { name: 'CreateExperimentResult' } },
    resolve: async (_root, { input }, context) => {
      const { name, holdoutBasisPoints } = parseInput(experimentSchema, input);
      const segmentId = input.segmentId == null ? null : segmentIdFrom(input.segmentId);
      return {
        experiment: await context.services.experiments.create(programIdOf(context), {
          name,
          holdoutBasisPoints,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          segmentId,
        }),
      };
    },
  }),
  setGlobalControlGroup: t.field({
    type: GlobalControlGroupPayload,
    authScopes: admin,
    args: { input: t.arg({ type: SetGlobalControlGroupInput, required: true }) },
    errors: { types: [], directResult: true, union: { name: 'SetGlobalControlGroupResult' } },
    resolve: async (_root, { input }, context) => {
      const { basisPoints } = parseInput(globalControlSchema, input);
      return { globalControlGroup: await context.services.experiments.setGlobalControlGroup(programIdOf(context), basisPoints) };
    },
  }),
}));

builder.queryFields((t) => ({
  experiments: t.connection({
    type: ExperimentType,
    authScopes: admin,
    resolve: (_root, args, context) => connectionById(args, (page) => context.services.experiments.list(programIdOf(context), page)),
  }),
  experiment: t.field({
    type: ExperimentType,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    authScopes: admin,
    resolve: async (_root, { id }, context) =>
      (await context.services.experiments.byIds(programIdOf(context), [experimentIdFrom(id)]))[0] ?? null,
  }),
  globalControlGroup: t.field({
    type: GlobalControlGroup,
    authScopes: admin,
    resolve: (_root, _args, context) => context.services.experiments.globalControlGroup(programIdOf(context)),
  }),
}));
