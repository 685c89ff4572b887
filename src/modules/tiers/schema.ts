import type { TierHistoryRow } from '../../../schema';
import { pendingCounts, tierMetrics, tierWindows } from '../../../schema';
import { builder, type InputFieldBuilder } from '../../graphql/builder';
import { programIdOf, type GraphQLContext } from '../../graphql/context';
import { requireId } from '../../graphql/global-ids';
import { parseInput } from '../../graphql/parse-input';
import { ErrorInterface } from '../../graphql/types/errors';
import { MemberType } from '../members';
import { ProgramType } from '../programs';
import { newTierSchema, tierSettingsSchema, tierUpdateSchema, type Tier, type TierSettings } from './domain';
import { DuplicateTierError, TierInUseError, TierNotFoundError } from './errors';
import { connectionById } from '../../graphql/connections';
import { upperCaseEnum } from '../../graphql/enums';

const TierMetric = upperCaseEnum('TierMetric', tierMetrics);
const TierWindow = upperCaseEnum('TierWindow', tierWindows);

export const TierType = builder.node(builder.objectRef<Tier>('Tier'), {
  description: 'A level members reach when their qualifying metric reaches `threshold`',
  id: { resolve: (tier) => tier.id },
  authScopes: { admin: true, storefront: true, member: true },
  loadMany: (ids, context) => context.services.tiers.byIds(programIdOf(context), ids),
  fields: (t) => ({
    name: t.exposeString('name'),
    threshold: t.expose('threshold', { type: 'SafeInt', description: 'Minor units of spend, or points earned, in the window' }),
    earnMultiplierPermille: t.exposeInt('earnMultiplierPermille', { description: '1000 = ×1, 1500 = ×1.5 points' }),
    discountBasisPoints: t.exposeInt('discountBasisPoints', { description: 'Standing discount checkout applies; 500 = 5 %' }),
    memberOnlyOffers: t.exposeBoolean('memberOnlyOffers', { description: 'Members of this tier may use member-only offers' }),
  }),
});

const PendingPointsCount = upperCaseEnum(
  'PendingPointsCount',
  pendingCounts,
  'With the program rule pointsVestingDays: whether an order counts toward tier progress AT_ONCE, or AT_VESTING (once its return window is over)',
);

const TierSettingsType = builder.objectRef<TierSettings>('TierSettings').implement({
  fields: (t) => ({
    metric: t.field({ type: TierMetric, resolve: (settings) => settings.metric }),
    window: t.field({ type: TierWindow, resolve: (settings) => settings.window }),
    windowMonths: t.exposeInt('windowMonths', { description: 'For ROLLING_MONTHS' }),
    downgradeGraceDays: t.exposeInt('downgradeGraceDays', {
      description: 'How long a due downgrade waits for the member to qualify again',
    }),
    pendingPointsCount: t.field({
      type: PendingPointsCount,
      description: 'Whether an order counts toward tier progress at once or once its points vest',
      resolve: (settings) => settings.pendingPointsCount,
    }),
  }),
});

builder.objectFields(ProgramType, (t) => ({
  tierSettings: t.field({
    type: TierSettingsType,
    nullable: true,
    authScopes: { admin: true, storefront: true, member: true },
    resolve: (program, _args, context) => context.services.tiers.settings(program.id),
  }),
  tiers: t.field({
    type: [TierType],
    description: 'Lowest threshold first',
    authScopes: { admin: true, storefront: true, member: true },
    resolve: (program, _args, context) => context.services.tiers.list(program.id),
  }),
}));

const TierProgressType = builder
  .objectRef<{
    metric: TierSettings['metric'];
    value: number;
    windowStart: Date;
    windowEnd: Date;
    current: Tier | null;
    next: Tier | null;
    missing: number;
  }>('TierProgress')
  .implement({
    fields: (t) => ({
      metric: t.field({ type: TierMetric, resolve: (progress) => progress.metric }),
      value: t.expose('value', { type: 'SafeInt', description: 'The metric so far in the window' }),
      windowStart: t.expose('windowStart', { type: 'DateTime' }),
      windowEnd: t.expose('windowEnd', { type: 'DateTime' }),
      currentTier: t.field({ type: TierType, nullable: true, resolve: (progress) => progress.current }),
      nextTier: t.field({ type: TierType, nullable: true, resolve: (progress) => progress.next }),
      missing: t.expose('missing', { type: 'SafeInt', description: 'Still needed to reach nextTier (0 at the top)' }),
    }),
  });

async function tierById(context: GraphQLContext, programId: string, tierId: string | null) {
  if (!tierId) return null;
  const [tier] = await context.services.tiers.byIds(programId, [tierId]);
  return tier ?? null;
}

const TierChangeType = builder.objectRef<TierHistoryRow>('TierChange').implement({
  fields: (t) => ({
    from: t.field({
      type: TierType,
      nullable: true,
      resolve: (change, _args, context) => tierById(context, change.programId, change.fromTierId),
    }),
    to: t.field({
      type: TierType,
      nullable: true,
      resolve: (change, _args, context) => tierById(context, change.programId, change.toTierId),
    }),
    reason: t.exposeString('reason', { description: 'upgrade or downgrade' }),
    metricValue: t.expose('metricValue', { type: 'SafeInt' }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

builder.objectFields(MemberType, (t) => ({
  tier: t.loadable({
    type: TierType,
    nullable: true,
    load: (memberIds: string[], context) => context.services.tiers.memberTiers(programIdOf(context), memberIds),
    resolve: (member) => member.id,
  }),
  tierProgress: t.field({
    type: TierProgressType,
    nullable: true,
    description: 'Null when the program has no tiers',
    resolve: (member, _args, context) => context.services.tiers.progress(member.programId, member.id),
  }),
  tierHistory: t.connection({
    type: TierChangeType,
    description: 'Tier changes, newest first',
    resolve: (member, args, context) => connectionById(args, (page) => context.services.tiers.history(member.programId, member.id, page)),
  }),
}));

builder.objectType(TierNotFoundError, { name: 'TierNotFoundError', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(DuplicateTierError, {
  name: 'DuplicateTierError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ field: t.string({ resolve: (error) => error.details.field }) }),
});
builder.objectType(TierInUseError, {
  name: 'TierInUseError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ members: t.int({ resolve: (error) => error.details.members }) }),
});

const ConfigureTiersInput = builder.inputType('ConfigureTiersInput', {
  fields: (t) => ({
    metric: t.field({ type: TierMetric, required: true }),
    window: t.field({ type: TierWindow, required: true }),
    windowMonths: t.int({ description: 'For ROLLING_MONTHS (default 12)' }),
    downgradeGraceDays: t.int({ description: 'Default 0: downgrade at the first recalculation that finds it due' }),
    pendingPointsCount: t.field({ type: PendingPointsCount, description: 'Default AT_ONCE' }),
  }),
});

const tierFields = (t: InputFieldBuilder) => ({
  name: t.string(),
  threshold: t.field({ type: 'SafeInt' }),
  earnMultiplierPermille: t.int(),
  discountBasisPoints: t.int(),
  memberOnlyOffers: t.boolean(),
});
const CreateTierInput = builder.inputType('CreateTierInput', { fields: tierFields });
const UpdateTierInput = builder.inputType('UpdateTierInput', { fields: (t) => ({ id: t.id({ required: true }), ...tierFields(t) }) });
const DeleteTierInput = builder.inputType('DeleteTierInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

const TierSettingsPayload = builder.objectRef<TierSettings>('TierSettingsPayload').implement({
  fields: (t) => ({ settings: t.field({ type: TierSettingsType, resolve: (settings) => settings }) }),
});
const TierPayload = builder.objectRef<Tier>('TierPayload').implement({
  fields: (t) => ({ tier: t.field({ type: TierType, resolve: (tier) => tier }) }),
});

export const tierIdFrom = (id: string | number) => requireId('Tier', id, (raw) => new TierNotFoundError(raw));
const admin = { admin: true };

builder.mutationFields((t) => ({
  configureTiers: t.field({
    type: TierSettingsPayload,
    description: 'How members qualify: the metric and the window; applies from the next order or recalculation',
    authScopes: admin,
    args: { input: t.arg({ type: ConfigureTiersInput, required: true }) },
    errors: { directResult: true, union: { name: 'ConfigureTiersResult' } },
    resolve: (_root, { input }, context) => context.services.tiers.configure(programIdOf(context), parseInput(tierSettingsSchema, input)),
  }),
  createTier: t.field({
    type: TierPayload,
    authScopes: admin,
    args: { input: t.arg({ type: CreateTierInput, required: true }) },
    errors: { types: [DuplicateTierError], directResult: true, union: { name: 'CreateTierResult' } },
    resolve: (_root, { input }, context) => context.services.tiers.create(programIdOf(context), parseInput(newTierSchema, input)),
  }),
  updateTier: t.field({
    type: TierPayload,
    description: 'Omitted fields stay; members keep their tier until an order upgrades them or recalculation runs',
    authScopes: admin,
    args: { input: t.arg({ type: UpdateTierInput, required: true }) },
    errors: { types: [DuplicateTierError, TierNotFoundError], directResult: true, union: { name: 'UpdateTierResult' } },
    resolve: (_root, { input: { id, ...patch } }, context) =>
      context.services.tiers.update(programIdOf(context), tierIdFrom(id), parseInput(tierUpdateSchema, patch)),
  }),
  deleteTier: t.field({
    type: TierPayload,
    authScopes: admin,
    args: { input: t.arg({ type: DeleteTierInput, required: true }) },
    errors: { types: [TierNotFoundError, TierInUseError], directResult: true, union: { name: 'DeleteTierResult' } },
    resolve: (_root, { input }, context) => context.services.tiers.remove(programIdOf(context), tierIdFrom(input.id)),
  }),
}));
