import { upperCaseEnum } from '../../graphql/enums';
import { builder } from '../../graphql/builder';
import { programIdOf } from '../../graphql/context';
import { parseInput } from '../../graphql/parse-input';
import { ProgramType } from '../programs';
import { roundingModes } from '../../../schema';
import { rulesUpdateSchema, type ProgramRules } from './domain';

const Rounding = upperCaseEnum('Rounding', roundingModes, 'How a fractional number of points is rounded');

const ProgramRulesType = builder.objectRef<ProgramRules>('ProgramRules').implement({
  description: 'How points are earned, how long they live, what they are worth, and the wallet bonus',
  fields: (t) => ({
    currency: t.exposeString('currency', { description: 'Orders in this currency earn points' }),
    earnPoints: t.exposeInt('earnPoints', { description: 'Points earned for every `earnPerAmount` minor units paid' }),
    earnPerAmount: t.exposeInt('earnPerAmount'),
    earnRounding: t.expose('earnRounding', { type: Rounding }),
    pointsLifetimeMonths: t.exposeInt('pointsLifetimeMonths', { nullable: true, description: 'null: points never expire' }),
    redeemPoints: t.exposeInt('redeemPoints', { description: '`redeemPoints` points pay `redeemValue` minor units' }),
    redeemValue: t.exposeInt('redeemValue'),
    minimumRedemption: t.exposeInt('minimumRedemption', { description: 'Fewest points redeemable at once' }),
    walletBonusThreshold: t.exposeInt('walletBonusThreshold', { description: 'Smallest top-up that earns the bonus' }),
    walletBonusBasisPoints: t.exposeInt('walletBonusBasisPoints', { description: 'Bonus credit in 1/100 %: 500 = 5 %' }),
    maxDiscountBasisPoints: t.exposeInt('maxDiscountBasisPoints', {
      nullable: true,
      description: 'Most of an order total that offers and the tier discount may take off together, in 1/100 %; null: no cap',
    }),
    maxBackdateDays: t.exposeInt('maxBackdateDays', {
      description: "How many days in the past an order's placedAt may be (a till that syncs late)",
    }),
    pointsVestingDays: t.exposeInt('pointsVestingDays', {
      description: 'Days until the points an order earns vest (its return window); pending until then. 0: at once',
    }),
    guestClaimDays: t.exposeInt('guestClaimDays', {
      description: 'How many days after a guest order (its placedAt) a member may claim it; 0: never',
    }),
  }),
});

builder.objectField(ProgramType, 'rules', (t) =>
  t.field({
    type: ProgramRulesType,
    authScopes: { admin: true, storefront: true, member: true },
    resolve: (program, _args, context) => context.services.rules.get(program.id),
  }),
);

const UpdateProgramRulesInput = builder.inputType('UpdateProgramRulesInput', {
  description:
    'Omitted fields keep their value; `pointsLifetimeMonths: null` makes new points never expire, `maxDiscountBasisPoints: null` removes the cap',
  fields: (t) => ({
    currency: t.string(),
    earnPoints: t.int(),
    earnPerAmount: t.int(),
    earnRounding: t.field({ type: Rounding }),
    pointsLifetimeMonths: t.int(),
    redeemPoints: t.int(),
    redeemValue: t.int(),
    minimumRedemption: t.int(),
    walletBonusThreshold: t.int(),
    walletBonusBasisPoints: t.int(),
    maxDiscountBasisPoints: t.int(),
    maxBackdateDays: t.int({ description: '0 to 365; default 7' }),
    guestClaimDays: t.int({ description: '0 to 365; default 30' }),
    pointsVestingDays: t.int({ description: '0 to 365; default 0' }),
  }),
});

const RulesPayload = builder.objectRef<{ rules: ProgramRules }>('ProgramRulesPayload').implement({
  fields: (t) => ({ rules: t.field({ type: ProgramRulesType, resolve: (payload) => payload.rules }) }),
});

builder.mutationField('updateProgramRules', (t) =>
  t.field({
    type: RulesPayload,
    description: "Changes the program's rules; they apply to operations from now on, never retroactively",
    authScopes: { admin: true },
    args: { input: t.arg({ type: UpdateProgramRulesInput, required: true }) },
    errors: { directResult: true, union: { name: 'UpdateProgramRulesResult' } },
    resolve: async (_root, { input }, context) => ({
      rules: await context.services.rules.update(programIdOf(context), parseInput(rulesUpdateSchema, input)),
    }),
  }),
);
