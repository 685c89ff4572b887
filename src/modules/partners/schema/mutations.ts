import type { PartnerRow } from '../../../../schema';
import { builder } from '../../../graphql/builder';
import { connectionById } from '../../../graphql/connections';
import { programIdOf, type GraphQLContext } from '../../../graphql/context';
import { decodeId, requireId } from '../../../graphql/global-ids';
import { parseInput } from '../../../graphql/parse-input';
import { text, whole } from '../../../platform/validation';
import { z } from 'zod';
import { IdempotencyConflictError, idempotencyKeyField, replayedDescription } from '../../ledger';
import { OfferConditionsInput, OfferEffectInput, withDecodedIds } from '../../offers';
import type { PartnerFundsResult } from '../commands';
import {
  fundsMovementSchema,
  newPartnerCampaignSchema,
  newPartnerSchema,
  partnerCampaignUpdateSchema,
  partnerUpdateSchema,
} from '../domain';
import * as errors from '../errors';
import { actingPartnerId, actorOf } from './actor';
import {
  campaignViews,
  PartnerCampaignType,
  PartnerFunding,
  PartnerStatus,
  PartnerType,
  PartnerVoucherBatchType,
  type CampaignView,
} from './types';

const admin = { admin: true };
const adminOrPartner = { admin: true, partner: true };

const partnerIdFrom = (id: string | number) => requireId('Partner', id, (raw) => new errors.PartnerNotFoundError(raw));
const campaignIdFrom = (id: string | number) => requireId('PartnerCampaign', id, (raw) => new errors.PartnerCampaignNotFoundError(raw));
async function view(context: GraphQLContext, campaign: Parameters<typeof campaignViews>[1][number]): Promise<CampaignView> {
  return (await campaignViews(context, [campaign]))[0]!;
}

const partnerFields = {
  contactName: 'Who to talk to at the partner',
  contactEmail: 'Where the partner’s statements go',
};

const CreatePartnerInput = builder.inputType('CreatePartnerInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    contactName: t.string({ description: partnerFields.contactName }),
    contactEmail: t.string({ description: partnerFields.contactEmail }),
    funding: t.field({ type: PartnerFunding, required: true }),
    creditLimit: t.field({ type: 'SafeInt', description: 'POSTPAID only (required there): most the partner may owe, minor units' }),
    costShareBasisPoints: t.int({ required: true, description: 'Share of each voucher discount the partner funds: 10000 = all of it' }),
    feePerRedemption: t.field({ type: 'SafeInt', description: 'What the host charges per redemption, minor units [0]' }),
  }),
});

const UpdatePartnerInput = builder.inputType('UpdatePartnerInput', {
  fields: (t) => ({
    partnerId: t.id({ required: true }),
    name: t.string(),
    status: t.field({ type: PartnerStatus, description: 'SUSPENDED or ARCHIVED stops its campaigns and refuses its tokens' }),
    contactName: t.string({ description: partnerFields.contactName }),
    contactEmail: t.string({ description: partnerFields.contactEmail }),
    funding: t.field({ type: PartnerFunding, description: 'Changes only while the partner’s balance is 0' }),
    creditLimit: t.field({ type: 'SafeInt', description: 'POSTPAID: most the partner may owe; not below what it owes now' }),
    costShareBasisPoints: t.int(),
    feePerRedemption: t.field({ type: 'SafeInt' }),
  }),
});

const PartnerFundsInput = builder.inputType('PartnerFundsInput', {
  fields: (t) => ({
    partnerId: t.id({ required: true }),
    amount: t.field({ type: 'SafeInt', required: true, description: 'Minor units of the partner’s currency' }),
    reference: t.string({ description: 'E.g. the bank transfer it came with' }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const PartnerFundsPayload = builder
  .objectRef<PartnerFundsResult & { replayed: boolean; programId: string }>('PartnerFundsPayload')
  .implement({
    fields: (t) => ({
      partner: t.field({
        type: PartnerType,
        resolve: (result, _args, context) => context.services.partners.requirePartner(result.programId, result.partnerId),
      }),
      amount: t.expose('amount', { type: 'SafeInt' }),
      balance: t.expose('balance', { type: 'SafeInt', description: 'The partner’s balance after the movement' }),
      replayed: t.exposeBoolean('replayed', { description: replayedDescription }),
    }),
  });

const campaignDescriptions = {
  name: { description: 'Shown to members' },
  effect: { description: 'percentOff, amountOff, gift or bonusPoints (combos and stamp cards are the host’s)' },
  conditions: { description: 'Who may redeem it and on which carts' },
  budget: { description: 'Most discount the campaign gives in total, minor units' },
  voucherLimit: { description: 'Most vouchers it may issue' },
} as const;

const CreatePartnerCampaignInput = builder.inputType('CreatePartnerCampaignInput', {
  fields: (t) => {
    const d = campaignDescriptions;
    return {
      partnerId: t.id({ description: 'Host only (required there): the partner the campaign is for; a partner token creates for itself' }),
      name: t.string({ required: true, ...d.name }),
      description: t.string(),
      effect: t.field({ type: OfferEffectInput, required: true, ...d.effect }),
      conditions: t.field({ type: OfferConditionsInput, ...d.conditions }),
      startsAt: t.field({ type: 'DateTime' }),
      endsAt: t.field({ type: 'DateTime' }),
      perMemberLimit: t.int({ description: 'Redemptions per member' }),
      budget: t.field({ type: 'SafeInt', required: true, ...d.budget }),
      voucherLimit: t.int({ required: true, ...d.voucherLimit }),
    };
  },
});

const UpdatePartnerCampaignInput = builder.inputType('UpdatePartnerCampaignInput', {
  description: 'Omitted fields keep their value',
  fields: (t) => {
    const d = campaignDescriptions;
    return {
      campaignId: t.id({ required: true }),
      name: t.string(d.name),
      description: t.string(),
      effect: t.field({ type: OfferEffectInput, ...d.effect }),
      conditions: t.field({ type: OfferConditionsInput, ...d.conditions }),
      startsAt: t.field({ type: 'DateTime' }),
      endsAt: t.field({ type: 'DateTime' }),
      perMemberLimit: t.int(),
      budget: t.field({ type: 'SafeInt', ...d.budget }),
      voucherLimit: t.int(d.voucherLimit),
    };
  },
});

const CampaignActionInput = builder.inputType('PartnerCampaignActionInput', {
  fields: (t) => ({ campaignId: t.id({ required: true }) }),
});
const RejectPartnerCampaignInput = builder.inputType('RejectPartnerCampaignInput', {
  fields: (t) => ({ campaignId: t.id({ required: true }), reason: t.string({ required: true, description: 'Shown to the partner' }) }),
});
const GeneratePartnerVouchersInput = builder.inputType('GeneratePartnerVouchersInput', {
  fields: (t) => ({ campaignId: t.id({ required: true }), count: t.int({ required: true, description: '1 to 10000 per call' }) }),
});

const PartnerPayload = builder.objectRef<{ partner: PartnerRow }>('PartnerPayload').implement({
  fields: (t) => ({ partner: t.field({ type: PartnerType, resolve: (payload) => payload.partner }) }),
});
const PartnerCampaignPayload = builder.objectRef<{ campaign: CampaignView }>('PartnerCampaignPayload').implement({
  fields: (t) => ({ campaign: t.field({ type: PartnerCampaignType, resolve: (payload) => payload.campaign }) }),
});

const campaignErrors = [errors.PartnerCampaignNotFoundError, errors.CampaignTransitionNotAllowedError, errors.PartnerNotActiveError];
const fundsErrors = [
  errors.PartnerNotFoundError,
  errors.PartnerNotActiveError,
  errors.InsufficientPartnerFundsError,
  IdempotencyConflictError,
];
const reasonSchema = z.object({ reason: text(500) });
const countSchema = z.object({ count: whole(1, 10_000) });

builder.queryFields((t) => ({
  partners: t.connection({
    type: PartnerType,
    description: 'The program’s partner brands, oldest first',
    authScopes: admin,
    resolve: (_root, args, context) => connectionById(args, (page) => context.services.partners.list(programIdOf(context), page)),
  }),
  partner: t.field({
    type: PartnerType,
    nullable: true,
    description: 'A partner by id: any for the host, only itself for a partner token',
    authScopes: adminOrPartner,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, context) => {
      const partnerId = decodeId('Partner', id);
      if (!partnerId || (actorOf(context).kind === 'partner' && (actorOf(context) as { partnerId: string }).partnerId !== partnerId))
        return null;
      return (await context.services.partners.byIds(programIdOf(context), [partnerId]))[0] ?? null;
    },
  }),
  partnerCampaigns: t.connection({
    type: PartnerCampaignType,
    description: 'Partner campaigns, oldest first: all of them (or one partner’s) for the host, its own for a partner token',
    authScopes: adminOrPartner,
    args: { partnerId: t.arg.id({ description: 'Host only: one partner’s campaigns' }) },
    resolve: async (_root, args, context) => {
      const actor = actorOf(context);
      const partnerId = actor.kind === 'partner' ? actor.partnerId : args.partnerId ? (decodeId('Partner', args.partnerId) ?? '') : null;
      const connection = await connectionById(args, (page) => context.services.partners.campaigns(programIdOf(context), partnerId, page));
      const views = await campaignViews(
        context,
        connection.edges.map((edge) => edge?.node ?? null),
      );
      return { ...connection, edges: connection.edges.map((edge, index) => edge && { ...edge, node: views[index]! }) };
    },
  }),
}));

builder.mutationFields((t) => ({
  createPartner: t.field({
    type: PartnerPayload,
    authScopes: admin,
    args: { input: t.arg({ type: CreatePartnerInput, required: true }) },
    errors: { directResult: true, union: { name: 'CreatePartnerResult' } },
    resolve: async (_root, { input }, context) => ({
      partner: await context.services.partners.create(programIdOf(context), parseInput(newPartnerSchema, input)),
    }),
  }),
  updatePartner: t.field({
    type: PartnerPayload,
    authScopes: admin,
    args: { input: t.arg({ type: UpdatePartnerInput, required: true }) },
    errors: {
      types: [errors.PartnerNotFoundError, errors.CreditLimitBelowOwedError],
      directResult: true,
      union: { name: 'UpdatePartnerResult' },
    },
    resolve: async (_root, { input }, context) => {
      const partnerId = partnerIdFrom(input.partnerId);
      const { partnerId: _id, ...changes } = input;
      return { partner: await context.services.partners.update(programIdOf(context), partnerId, parseInput(partnerUpdateSchema, changes)) };
    },
  }),
  ...Object.fromEntries(
    (
      [
        [
          'depositPartnerFunds',
          'depositFunds',
          'Money the partner paid in: its prepaid deposit grows, or its postpaid receivable is paid off',
        ],
        ['withdrawPartnerFunds', 'withdrawFunds', 'Money paid back to the partner, never more than its balance'],
      ] as const
    ).map(([name, move, description]) => [
      name,
      t.field({
        type: PartnerFundsPayload,
        description,
        authScopes: admin,
        args: { input: t.arg({ type: PartnerFundsInput, required: true }) },
        errors: { types: fundsErrors, directResult: true, union: { name: `${name[0]!.toUpperCase()}${name.slice(1)}Result` } },
        resolve: async (_root, { input }, context) => {
          const programId = programIdOf(context);
          const partnerId = partnerIdFrom(input.partnerId);
          return {
            ...(await context.services.partners[move](programId, { partnerId, ...parseInput(fundsMovementSchema, input) })),
            programId,
          };
        },
      }),
    ]),
  ),
  createPartnerCampaign: t.field({
    type: PartnerCampaignPayload,
    description:
      'A DRAFT campaign the partner funds (a partner for itself, the host on a partner’s behalf); submit it for the host’s approval',
    authScopes: adminOrPartner,
    args: { input: t.arg({ type: CreatePartnerCampaignInput, required: true }) },
    errors: {
      types: [errors.PartnerNotFoundError, errors.PartnerNotActiveError],
      directResult: true,
      union: { name: 'CreatePartnerCampaignResult' },
    },
    resolve: async (_root, { input }, context) => {
      const { partnerId: globalId, ...fields } = input;
      const partnerId = actingPartnerId(context, globalId, 'the campaign is for');
      const campaign = await context.services.partners.createCampaign(
        programIdOf(context),
        partnerId,
        parseInput(newPartnerCampaignSchema, withDecodedIds(fields)),
      );
      return { campaign: await view(context, campaign) };
    },
  }),
  updatePartnerCampaign: t.field({
    type: PartnerCampaignPayload,
    description: 'Changes a DRAFT campaign: a partner only its own',
    authScopes: adminOrPartner,
    args: { input: t.arg({ type: UpdatePartnerCampaignInput, required: true }) },
    errors: { types: campaignErrors, directResult: true, union: { name: 'UpdatePartnerCampaignResult' } },
    resolve: async (_root, { input }, context) => {
      const { campaignId: globalId, ...changes } = input;
      const campaign = await context.services.partners.updateCampaign(
        programIdOf(context),
        actorOf(context),
        campaignIdFrom(globalId),
        parseInput(partnerCampaignUpdateSchema, withDecodedIds(changes)),
      );
      return { campaign: await view(context, campaign) };
    },
  }),
  ...Object.fromEntries(
    (
      [
        ['submitPartnerCampaign', 'submit', adminOrPartner, 'DRAFT → SUBMITTED, for the host to approve'],
        ['approvePartnerCampaign', 'approve', admin, 'Host: SUBMITTED → ACTIVE; its vouchers redeem from now on'],
        ['pausePartnerCampaign', 'pause', adminOrPartner, 'ACTIVE → PAUSED: its vouchers stop redeeming until resumed'],
        ['resumePartnerCampaign', 'resume', adminOrPartner, 'PAUSED → ACTIVE'],
        ['endPartnerCampaign', 'end', adminOrPartner, 'Ends the campaign for good: its vouchers no longer redeem'],
      ] as const
    ).map(([name, action, authScopes, description]) => [
      name,
      t.field({
        type: PartnerCampaignPayload,
        description,
        authScopes,
        args: { input: t.arg({ type: CampaignActionInput, required: true }) },
        errors: { types: campaignErrors, directResult: true, union: { name: `${name[0]!.toUpperCase()}${name.slice(1)}Result` } },
        resolve: async (_root, { input }, context) => {
          const campaign = await context.services.partners.transitionCampaign(
            programIdOf(context),
            actorOf(context),
            campaignIdFrom(input.campaignId),
            action,
          );
          return { campaign: await view(context, campaign) };
        },
      }),
    ]),
  ),
  rejectPartnerCampaign: t.field({
    type: PartnerCampaignPayload,
    description: 'Host: SUBMITTED → DRAFT with the reason, for the partner to change and submit again',
    authScopes: admin,
    args: { input: t.arg({ type: RejectPartnerCampaignInput, required: true }) },
    errors: { types: campaignErrors, directResult: true, union: { name: 'RejectPartnerCampaignResult' } },
    resolve: async (_root, { input }, context) => {
      const { reason } = parseInput(reasonSchema, input);
      const campaign = await context.services.partners.transitionCampaign(
        programIdOf(context),
        actorOf(context),
        campaignIdFrom(input.campaignId),
        'reject',
        reason,
      );
      return { campaign: await view(context, campaign) };
    },
  }),
  generatePartnerVouchers: t.field({
    type: PartnerVoucherBatchType,
    description: 'Unique single-use voucher codes of an ACTIVE campaign, for the partner’s own channels (CSV in `csv`)',
    authScopes: adminOrPartner,
    args: { input: t.arg({ type: GeneratePartnerVouchersInput, required: true }) },
    errors: {
      types: [...campaignErrors, errors.VoucherLimitReachedError],
      directResult: true,
      union: { name: 'GeneratePartnerVouchersResult' },
    },
    resolve: async (_root, { input }, context) => {
      const campaignId = campaignIdFrom(input.campaignId);
      const { count } = parseInput(countSchema, input);
      return { ...(await context.services.partners.issueVouchers(programIdOf(context), actorOf(context), campaignId, count)), campaignId };
    },
  }),
}));
