import { builder, type InputFieldBuilder } from '../../../graphql/builder';
import { programIdOf } from '../../../graphql/context';
import { decodeId, requireId } from '../../../graphql/global-ids';
import { parseInput } from '../../../graphql/parse-input';
import { connectionById } from '../../../graphql/connections';
import { ErrorInterface } from '../../../graphql/types/errors';
import { InvalidInputError } from '../../../platform/errors';
import { MemberErasedError, MemberNotFoundError } from '../../members';
import { memberIdFrom } from '../../members';
import { codeBatchSchema, newPromoCodeSchema } from '../domain/codes';
import { newOfferSchema, offerUpdateSchema, type Offer } from '../domain/offer';
import type { PromoCodeBatchRow, PromoCodeRow } from '../../../../schema';
import {
  DuplicatePromoCodeError,
  OfferNotFoundError,
  PromoCodeNotFoundError,
  VoucherCampaignNotActiveError,
  VoucherCampaignNotFoundError,
} from '../errors';
import { LimitPeriod, LimitWindow, OfferAudience, OfferStatus, OfferType, PromoCodeBatchType, PromoCodeType } from './types';

builder.objectType(OfferNotFoundError, { name: 'OfferNotFoundError', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(PromoCodeNotFoundError, { name: 'PromoCodeNotFoundError', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(DuplicatePromoCodeError, {
  name: 'DuplicatePromoCodeError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ value: t.string({ description: 'The code, as stored', resolve: (error) => error.details.code }) }),
});

builder.objectType(VoucherCampaignNotFoundError, {
  name: 'VoucherCampaignNotFoundError',
  interfaces: [ErrorInterface],
  fields: () => ({}),
});
builder.objectType(VoucherCampaignNotActiveError, {
  name: 'VoucherCampaignNotActiveError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ status: t.string({ resolve: (error) => error.details.status.toUpperCase() }) }),
});
const voucherCampaignErrors = [VoucherCampaignNotFoundError, VoucherCampaignNotActiveError];

const ItemMatchInput = builder.inputType('ItemMatchInput', {
  fields: (t) => ({ skus: t.stringList(), categories: t.stringList() }),
});

const stepInputDescription =
  "The highest step whose minimumSpend the spend before discounts reaches applies (the cart total, or the matching lines' when items is set); ascending, each giving more than the one below";

export const OfferEffectInput = builder.inputType('OfferEffectInput', {
  description: 'Give exactly one',
  fields: (t) => ({
    percentOff: t.field({
      type: builder.inputType('PercentOffInput', {
        description: 'Give basisPoints, or steps',
        fields: (f) => ({
          basisPoints: f.int({ description: '1500 = 15 %' }),
          steps: f.field({
            type: [
              builder.inputType('PercentStepInput', {
                description: 'From minimumSpend on, basisPoints off',
                fields: (s) => ({
                  minimumSpend: s.field({
                    type: 'SafeInt',
                    required: true,
                    description: 'Spend before discounts that reaches this step, minor units (0 to 100,000,000,000)',
                  }),
                  basisPoints: s.int({ required: true, description: '1 to 10,000 (1500 = 15 %); more than the step below' }),
                }),
              }),
            ],
            description: stepInputDescription,
          }),
          items: f.field({ type: ItemMatchInput, description: 'Omit for the whole order' }),
        }),
      }),
    }),
    amountOff: t.field({
      type: builder.inputType('AmountOffInput', {
        description: 'Give amount, or steps',
        fields: (f) => ({
          amount: f.field({ type: 'SafeInt', description: 'Minor units' }),
          steps: f.field({
            type: [
              builder.inputType('AmountStepInput', {
                description: 'From minimumSpend on, amount off',
                fields: (s) => ({
                  minimumSpend: s.field({
                    type: 'SafeInt',
                    required: true,
                    description: 'Spend before discounts that reaches this step, minor units (0 to 100,000,000,000)',
                  }),
                  amount: s.field({
                    type: 'SafeInt',
                    required: true,
                    description: 'Minor units off (1 to 100,000,000,000); more than the step below',
                  }),
                }),
              }),
            ],
            description: stepInputDescription,
          }),
          items: f.field({ type: ItemMatchInput }),
        }),
      }),
    }),
    combo: t.field({
      type: builder.inputType('ComboInput', {
        description:
          'Give one of bundlePrice (per set of one of each SKU), bundleBasisPoints (off each set) or bundleAmountOff (minor units off each set)',
        fields: (f) => ({
          skus: f.stringList({ required: true }),
          bundlePrice: f.field({ type: 'SafeInt' }),
          bundleBasisPoints: f.int(),
          bundleAmountOff: f.field({
            type: 'SafeInt',
            description: 'Minor units off each complete set, e.g. 50 = 0.50 off coffee + croissant',
          }),
        }),
      }),
    }),
    gift: t.field({
      type: builder.inputType('GiftInput', {
        description: 'Give minimumAmount, or minimumWeight with weightAttribute (a numeric line attribute per unit)',
        fields: (f) => ({
          sku: f.string({ required: true }),
          quantity: f.int(),
          minimumAmount: f.field({ type: 'SafeInt' }),
          minimumWeight: f.field({ type: 'SafeInt' }),
          weightAttribute: f.string(),
        }),
      }),
    }),
    bonusPoints: t.field({
      type: builder.inputType('BonusPointsInput', {
        description: 'Give points or multiplierPermille (1500 = ×1.5 the points the order earns)',
        fields: (f) => ({ points: f.int(), multiplierPermille: f.int() }),
      }),
    }),
    partnerVoucher: t.field({
      type: builder.inputType('PartnerVoucherInput', {
        fields: (f) => ({ campaignId: f.id({ required: true, description: 'An ACTIVE partner campaign of this program' }) }),
      }),
    }),
    stampCard: t.field({
      type: builder.inputType('StampCardInput', {
        fields: (f) => ({
          stampsRequired: f.int({ required: true, description: 'Every Nth matching unit is free' }),
          items: f.field({ type: ItemMatchInput, required: true }),
        }),
      }),
    }),
  }),
});

export const OfferConditionsInput = builder.inputType('OfferConditionsInput', {
  fields: (t) => ({
    audience: t.field({ type: OfferAudience, description: 'Default EVERYONE (guests included)' }),
    tierIds: t.idList(),
    referredOnly: t.boolean({ description: 'Only members who joined through a referral, e.g. a welcome discount for referees' }),
    birthdayWindowDays: t.int(),
    birthdayMonth: t.boolean({ description: "Only in the month of the member's birthday (UTC)" }),
    attributes: t.field({ type: 'Attributes', description: 'Order attributes that must equal these values, e.g. { ownCup: true }' }),
    orderNumber: t.int({ description: '1: first order, 2: second …' }),
    withinDaysOfLastOrder: t.int({ description: 'Come-back offer: the previous order was at most this many days ago' }),
    minimumSpend: t.field({ type: 'SafeInt', description: 'Cart total before discounts, minor units' }),
    segmentIds: t.idList(),
    experimentId: t.id({ description: 'While this experiment runs, its control members do not get the offer (checkout says HOLDOUT)' }),
  }),
});

const offerFields = (t: InputFieldBuilder) => ({
  name: t.string(),
  description: t.string(),
  status: t.field({ type: OfferStatus }),
  codeRequired: t.boolean(),
  priority: t.int(),
  exclusive: t.boolean(),
  startsAt: t.field({ type: 'DateTime' }),
  endsAt: t.field({ type: 'DateTime' }),
  maxRedemptions: t.int(),
  budget: t.field({ type: 'SafeInt' }),
  perMemberLimit: t.int(),
  perMemberLimitPeriod: t.field({ type: LimitPeriod, description: "perMemberLimit counts per period (omit: over the offer's life)" }),
  perMemberLimitWindow: t.field({ type: LimitWindow, description: 'Default CALENDAR' }),
  conditions: t.field({ type: OfferConditionsInput }),
  effect: t.field({ type: OfferEffectInput }),
});
const CreateOfferInput = builder.inputType('CreateOfferInput', { fields: offerFields });
const UpdateOfferInput = builder.inputType('UpdateOfferInput', {
  description: 'Omitted fields keep their value; null clears a limit or a date',
  fields: (t) => ({ id: t.id({ required: true }), ...offerFields(t) }),
});

const CreatePromoCodeInput = builder.inputType('CreatePromoCodeInput', {
  fields: (t) => ({
    offerId: t.id({ required: true }),
    code: t.string({ required: true, description: 'Stored and matched case-insensitively' }),
    maxUses: t.int({ description: 'null: unlimited; 1: single-use' }),
    perMemberLimit: t.int(),
    minimumSpend: t.field({ type: 'SafeInt', description: 'Cart total before discounts, minor units' }),
    expiresAt: t.field({ type: 'DateTime' }),
    assignedMemberId: t.id({ description: 'Only this member may use it' }),
  }),
});
const GeneratePromoCodesInput = builder.inputType('GeneratePromoCodesInput', {
  fields: (t) => ({
    offerId: t.id({ required: true }),
    count: t.int({ required: true, description: 'Up to 10,000' }),
    prefix: t.string(),
    length: t.int({ description: 'Random characters after the prefix (default 10)' }),
    minimumSpend: t.field({ type: 'SafeInt' }),
    expiresAt: t.field({ type: 'DateTime' }),
  }),
});
const AssignPromoCodeInput = builder.inputType('AssignPromoCodeInput', {
  fields: (t) => ({ code: t.string({ required: true }), memberId: t.id({ required: true }) }),
});

const OfferPayload = builder.objectRef<{ offer: Offer }>('OfferPayload');
const offerIdFrom = (id: string | number) => requireId('Offer', id, (raw) => new OfferNotFoundError(raw));
function tierIdFrom(globalId: string | number): string {
  const id = decodeId('Tier', globalId);
  if (id === null) throw new InvalidInputError([{ path: ['input', 'conditions', 'tierIds'], message: `${globalId} is not a tier id` }]);
  return id;
}
const tierIdsFrom = (ids: Array<string | number> | null | undefined) => ids?.map(tierIdFrom);
function segmentIdFrom(globalId: string | number): string {
  const id = decodeId('Segment', globalId);
  if (id === null)
    throw new InvalidInputError([{ path: ['input', 'conditions', 'segmentIds'], message: `${globalId} is not a segment id` }]);
  return id;
}
function experimentIdFrom(globalId: string | number): string {
  const id = decodeId('Experiment', globalId);
  if (id === null)
    throw new InvalidInputError([{ path: ['input', 'conditions', 'experimentId'], message: `${globalId} is not an experiment id` }]);
  return id;
}
/** A partner campaign's global id, or the raw value when it is not one (then no campaign matches it). */
const campaignIdFrom = (globalId: string | number) => decodeId('PartnerCampaign', globalId) ?? String(globalId);
/** Offer input with the global ids it names (tiers, segments, a partner campaign) decoded; partner campaigns share it. */
export const withDecodedIds = <
  Input extends {
    conditions?: {
      tierIds?: Array<string | number> | null;
      segmentIds?: Array<string | number> | null;
      experimentId?: string | number | null;
    } | null;
    effect?: { partnerVoucher?: { campaignId: string | number } | null } | null;
  },
>(
  input: Input,
) => {
  const effect = input.effect?.partnerVoucher
    ? { ...input.effect, partnerVoucher: { campaignId: campaignIdFrom(input.effect.partnerVoucher.campaignId) } }
    : input.effect;
  return input.conditions
    ? {
        ...input,
        effect,
        conditions: {
          ...input.conditions,
          tierIds: tierIdsFrom(input.conditions.tierIds),
          segmentIds: input.conditions.segmentIds?.map(segmentIdFrom),
          experimentId:
            input.conditions.experimentId == null ? input.conditions.experimentId : experimentIdFrom(input.conditions.experimentId),
        },
      }
    : { ...input, effect };
};
const admin = { admin: true };

OfferPayload.implement({ fields: (t) => ({ offer: t.field({ type: OfferType, resolve: (payload) => payload.offer }) }) });

builder.mutationFields((t) => ({
  createOffer: t.field({
    type: OfferPayload,
    authScopes: admin,
    args: { input: t.arg({ type: CreateOfferInput, required: true }) },
    errors: { types: voucherCampaignErrors, directResult: true, union: { name: 'CreateOfferResult' } },
    resolve: async (_root, { input }, context) => ({
      offer: await context.services.offers.create(programIdOf(context), parseInput(newOfferSchema, withDecodedIds(input))),
    }),
  }),
  updateOffer: t.field({
    type: OfferPayload,
    description: 'Pause or archive with status; counters and history stay',
    authScopes: admin,
    args: { input: t.arg({ type: UpdateOfferInput, required: true }) },
    errors: { types: [OfferNotFoundError, ...voucherCampaignErrors], directResult: true, union: { name: 'UpdateOfferResult' } },
    resolve: async (_root, { input: { id, ...patch } }, context) => ({
      offer: await context.services.offers.update(
        programIdOf(context),
        offerIdFrom(id),
        parseInput(offerUpdateSchema, withDecodedIds(patch)),
      ),
    }),
  }),
  createPromoCode: t.field({
    type: builder.objectRef<{ promoCode: PromoCodeRow }>('PromoCodePayload').implement({
      fields: (f) => ({ promoCode: f.field({ type: PromoCodeType, resolve: (payload) => payload.promoCode }) }),
    }),
    description: 'A code for an offer: reusable (maxUses null or many, optional per-member limit) or single-use (maxUses 1)',
    authScopes: admin,
    args: { input: t.arg({ type: CreatePromoCodeInput, required: true }) },
    errors: {
      types: [OfferNotFoundError, DuplicatePromoCodeError, MemberNotFoundError, MemberErasedError],
      directResult: true,
      union: { name: 'CreatePromoCodeResult' },
    },
    resolve: async (_root, { input: { offerId, assignedMemberId, ...code } }, context) => ({
      promoCode: await context.services.offers.createCode(
        programIdOf(context),
        offerIdFrom(offerId),
        parseInput(newPromoCodeSchema, { ...code, assignedMemberId: assignedMemberId == null ? null : memberIdFrom(assignedMemberId) }),
      ),
    }),
  }),
  generatePromoCodes: t.field({
    type: builder.objectRef<{ batch: PromoCodeBatchRow }>('GeneratePromoCodesPayload').implement({
      fields: (f) => ({ batch: f.field({ type: PromoCodeBatchType, resolve: (payload) => payload.batch }) }),
    }),
    description: 'A batch of unique, unguessable single-use codes (no look-alike characters)',
    authScopes: admin,
    args: { input: t.arg({ type: GeneratePromoCodesInput, required: true }) },
    errors: { types: [OfferNotFoundError], directResult: true, union: { name: 'GeneratePromoCodesResult' } },
    resolve: async (_root, { input: { offerId, ...request } }, context) => ({
      batch: await context.services.offers.generateCodes(programIdOf(context), offerIdFrom(offerId), parseInput(codeBatchSchema, request)),
    }),
  }),
  assignPromoCode: t.field({
    type: builder.objectRef<{ promoCode: PromoCodeRow }>('AssignPromoCodePayload').implement({
      fields: (f) => ({ promoCode: f.field({ type: PromoCodeType, resolve: (payload) => payload.promoCode }) }),
    }),
    description: 'Gives a code to one member: only they can use it, and it shows in their availableOffers',
    authScopes: admin,
    args: { input: t.arg({ type: AssignPromoCodeInput, required: true }) },
    errors: {
      types: [PromoCodeNotFoundError, MemberNotFoundError, MemberErasedError],
      directResult: true,
      union: { name: 'AssignPromoCodeResult' },
    },
    resolve: async (_root, { input }, context) => ({
      promoCode: await context.services.offers.assignCode(programIdOf(context), input.code, memberIdFrom(input.memberId)),
    }),
  }),
}));

builder.queryField('offers', (t) =>
  t.connection({
    type: OfferType,
    description: "The program's offers, oldest first",
    authScopes: { admin: true, storefront: true },
    args: { status: t.arg({ type: OfferStatus }) },
    resolve: (_root, args, context) =>
      connectionById(args, (page) => context.services.offers.list(programIdOf(context), { ...page, status: args.status ?? null })),
  }),
);
