import { encodeGlobalID } from '@pothos/plugin-relay';
import { limitPeriods, limitWindows, offerStatuses, type PromoCodeBatchRow, type PromoCodeRow } from '../../../../schema';
import { SegmentType } from '../../segments';
import { ExperimentType } from '../../experiments';
import { builder } from '../../../graphql/builder';
import { programIdOf } from '../../../graphql/context';
import { upperCaseEnum } from '../../../graphql/enums';
import { connectionById } from '../../../graphql/connections';
import { TierType } from '../../tiers';
import { audiences, type ItemMatch, type Offer, type OfferConditions, type OfferEffect } from '../domain/offer';
import type { AmountStep, PercentStep } from '../domain/steps';

export const OfferStatus = upperCaseEnum('OfferStatus', offerStatuses);
export const LimitPeriod = upperCaseEnum('LimitPeriod', limitPeriods, 'The period a per-member limit counts in: DAY, WEEK, MONTH or YEAR');
export const LimitWindow = upperCaseEnum(
  'LimitWindow',
  limitWindows,
  'CALENDAR: the current UTC day, ISO week (from Monday), month or year; ROLLING: the last 24 hours, 7 days, month or 12 months',
);
export const OfferAudience = upperCaseEnum(
  'OfferAudience',
  audiences,
  'MEMBER_ONLY_TIERS: members whose current tier has memberOnlyOffers',
);

const admin = { admin: true };

const ItemMatchType = builder.objectRef<ItemMatch>('ItemMatch').implement({
  description: 'A line matches when its SKU or its category is listed',
  fields: (t) => ({ skus: t.exposeStringList('skus'), categories: t.exposeStringList('categories') }),
});

type EffectOf<Kind extends OfferEffect['kind']> = Extract<OfferEffect, { kind: Kind }>;

const spendDescription = "From this spend before discounts (the cart total, or the matching lines' when items is set), minor units";
export const AmountStepType = builder.objectRef<AmountStep>('AmountStep').implement({
  description: 'One step of a stepped amountOff: from minimumSpend on, amount off',
  fields: (t) => ({
    minimumSpend: t.expose('minimumSpend', { type: 'SafeInt', description: spendDescription }),
    amount: t.expose('amount', { type: 'SafeInt', description: 'Taken off from this step on, minor units' }),
  }),
});
export const PercentStepType = builder.objectRef<PercentStep>('PercentStep').implement({
  description: 'One step of a stepped percentOff: from minimumSpend on, basisPoints off',
  fields: (t) => ({
    minimumSpend: t.expose('minimumSpend', { type: 'SafeInt', description: spendDescription }),
    basisPoints: t.exposeInt('basisPoints', { description: 'Off from this step on, in 1/100 %: 1500 = 15 %' }),
  }),
});
const stepsDescription = 'Stepped: the highest step the spend reaches applies (null: the fixed value applies)';

const PercentOffEffect = builder.objectRef<EffectOf<'percent_off'>>('PercentOffEffect').implement({
  description:
    'basisPoints / 100 % off the order, or off the matching lines when items is set; half-up to the minor unit. Or stepped by spend',
  fields: (t) => ({
    basisPoints: t.exposeInt('basisPoints', { nullable: true, description: 'Null when stepped' }),
    steps: t.field({ type: [PercentStepType], nullable: true, description: stepsDescription, resolve: (effect) => effect.steps ?? null }),
    items: t.expose('items', { type: ItemMatchType, nullable: true }),
  }),
});
const AmountOffEffect = builder.objectRef<EffectOf<'amount_off'>>('AmountOffEffect').implement({
  description: 'A fixed amount off the order, or off the matching lines together when items is set. Or stepped by spend',
  fields: (t) => ({
    amount: t.expose('amount', { type: 'SafeInt', nullable: true, description: 'Null when stepped' }),
    steps: t.field({ type: [AmountStepType], nullable: true, description: stepsDescription, resolve: (effect) => effect.steps ?? null }),
    items: t.expose('items', { type: ItemMatchType, nullable: true }),
  }),
});
const ComboEffect = builder.objectRef<EffectOf<'combo'>>('ComboEffect').implement({
  description:
    'One of each SKU bought together: each complete set at bundlePrice, bundleBasisPoints off the set, or bundleAmountOff off the set',
  fields: (t) => ({
    skus: t.exposeStringList('skus'),
    bundlePrice: t.expose('bundlePrice', { type: 'SafeInt', nullable: true }),
    bundleBasisPoints: t.exposeInt('bundleBasisPoints', { nullable: true }),
    bundleAmountOff: t.field({
      type: 'SafeInt',
      nullable: true,
      description: 'Minor units off each complete set',
      resolve: (effect) => effect.bundleAmountOff ?? null,
    }),
  }),
});
const GiftEffect = builder.objectRef<EffectOf<'gift'>>('GiftEffect').implement({
  description: 'A gift when the cart total reaches minimumAmount, or the lines weigh minimumWeight (weightAttribute × quantity)',
  fields: (t) => ({
    sku: t.exposeString('sku'),
    quantity: t.exposeInt('quantity'),
    minimumAmount: t.expose('minimumAmount', { type: 'SafeInt', nullable: true }),
    minimumWeight: t.expose('minimumWeight', { type: 'SafeInt', nullable: true }),
    weightAttribute: t.exposeString('weightAttribute', { nullable: true }),
  }),
});
const BonusPointsEffect = builder.objectRef<EffectOf<'bonus_points'>>('BonusPointsEffect').implement({
  description: 'Fixed bonus points, or a multiplier on the points the order earns (1500 = ×1.5)',
  fields: (t) => ({
    points: t.exposeInt('points', { nullable: true }),
    multiplierPermille: t.exposeInt('multiplierPermille', { nullable: true }),
  }),
});
const StampCardEffect = builder.objectRef<EffectOf<'stamp_card'>>('StampCardEffect').implement({
  description: 'Every stampsRequired-th matching unit a member buys is free (the cheapest matching unit of that order)',
  // Nullable only so that `items` has one type across the OfferEffect union (a client selects them together).
  fields: (t) => ({ stampsRequired: t.exposeInt('stampsRequired'), items: t.expose('items', { type: ItemMatchType, nullable: true }) }),
});

const PartnerVoucherEffect = builder.objectRef<EffectOf<'partner_voucher'>>('PartnerVoucherEffect').implement({
  description: 'A personal voucher of a partner campaign for the member whose order qualifies (a partner gift)',
  fields: (t) => ({
    campaignId: t.id({ description: 'The PartnerCampaign', resolve: (effect) => encodeGlobalID('PartnerCampaign', effect.campaignId) }),
  }),
});

const effectTypes = {
  percent_off: PercentOffEffect,
  amount_off: AmountOffEffect,
  combo: ComboEffect,
  gift: GiftEffect,
  bonus_points: BonusPointsEffect,
  stamp_card: StampCardEffect,
  partner_voucher: PartnerVoucherEffect,
} as const;

export const OfferEffectType = builder.unionType('OfferEffect', {
  types: Object.values(effectTypes),
  resolveType: (effect: OfferEffect) => effectTypes[effect.kind],
});

export const OfferConditionsType = builder.objectRef<OfferConditions & { programId: string }>('OfferConditions').implement({
  description: 'Who may use the offer and on which carts; all that are set must hold',
  fields: (t) => ({
    audience: t.field({ type: OfferAudience, resolve: (conditions) => conditions.audience }),
    tierIds: t.idList({
      description: 'Empty: any tier',
      resolve: (conditions) => conditions.tierIds.map((id) => encodeGlobalID('Tier', id)),
    }),
    segmentIds: t.idList({
      description: 'Empty: anyone',
      resolve: (conditions) => (conditions.segmentIds ?? []).map((id) => encodeGlobalID('Segment', id)),
    }),
    tiers: t.field({
      type: [TierType],
      description: 'Empty: any tier',
      // Partners see a campaign's targeting as ids only: a tier or segment object leads to host data.
      authScopes: { admin: true, storefront: true, member: true },
      resolve: async (conditions, _args, context) =>
        (await context.services.tiers.byIds(conditions.programId, conditions.tierIds)).filter((tier) => tier !== null),
    }),
    referredOnly: t.boolean({
      description: 'Only members who joined through a referral',
      resolve: (conditions) => conditions.referredOnly ?? false,
    }),
    birthdayWindowDays: t.exposeInt('birthdayWindowDays', { nullable: true, description: "Days before or after the member's birthday" }),
    birthdayMonth: t.boolean({
      description: "Only in the month of the member's birthday (UTC)",
      resolve: (conditions) => conditions.birthdayMonth ?? false,
    }),
    attributes: t.expose('attributes', { type: 'Attributes', description: 'Order attributes that must equal these values' }),
    orderNumber: t.exposeInt('orderNumber', { nullable: true, description: "1: the member's first order, 2: the second …" }),
    withinDaysOfLastOrder: t.exposeInt('withinDaysOfLastOrder', {
      nullable: true,
      description: 'Come-back: the previous order was at most this many days ago',
    }),
    minimumSpend: t.expose('minimumSpend', { type: 'SafeInt', nullable: true, description: 'Cart total before discounts, minor units' }),
    segments: t.field({
      type: [SegmentType],
      authScopes: { admin: true, storefront: true, member: true },
      resolve: (conditions, _args, context) =>
        conditions.segmentIds?.length ? context.services.segments.byIds(conditions.programId, conditions.segmentIds) : [],
    }),
    experimentId: t.id({
      nullable: true,
      description: 'While this experiment runs, its control members do not get the offer',
      resolve: (conditions) => (conditions.experimentId ? encodeGlobalID('Experiment', conditions.experimentId) : null),
    }),
    experiment: t.field({
      type: ExperimentType,
      nullable: true,
      description: 'While it runs, its control members do not get the offer',
      // As tiers and segments: a partner sees the experiment of a campaign as an id only.
      authScopes: { admin: true, storefront: true, member: true },
      resolve: async (conditions, _args, context) =>
        conditions.experimentId
          ? ((await context.services.experiments.byIds(conditions.programId, [conditions.experimentId]))[0] ?? null)
          : null,
    }),
  }),
});

const OfferStatsType = builder.objectRef<Offer>('OfferStats').implement({
  description: 'Counted on recorded orders; a full refund gives its redemption back',
  fields: (t) => ({
    redemptions: t.exposeInt('redemptions'),
    redemptionsLeft: t.int({
      nullable: true,
      resolve: (offer) => (offer.maxRedemptions === null ? null : offer.maxRedemptions - offer.redemptions),
    }),
    discountGiven: t.expose('discountGiven', { type: 'SafeInt', description: 'Minor units' }),
    budgetLeft: t.field({
      type: 'SafeInt',
      nullable: true,
      resolve: (offer) => (offer.budget === null ? null : offer.budget - offer.discountGiven),
    }),
    bonusPointsGiven: t.expose('bonusPointsGiven', { type: 'SafeInt' }),
  }),
});

export const PromoCodeType = builder.objectRef<PromoCodeRow>('PromoCode').implement({
  fields: (t) => ({
    code: t.exposeString('code'),
    maxUses: t.exposeInt('maxUses', { nullable: true, description: 'null: unlimited; 1: single-use' }),
    uses: t.exposeInt('uses'),
    perMemberLimit: t.exposeInt('perMemberLimit', { nullable: true }),
    minimumSpend: t.expose('minimumSpend', { type: 'SafeInt', nullable: true, description: 'Cart total before discounts, minor units' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    assignedMemberId: t.id({
      nullable: true,
      description: 'Only this member may use the code',
      resolve: (code) => (code.assignedMemberId ? encodeGlobalID('Member', code.assignedMemberId) : null),
    }),
  }),
});

export const PromoCodeBatchType = builder.node(builder.objectRef<PromoCodeBatchRow>('PromoCodeBatch'), {
  description: 'Unique single-use codes generated together',
  id: { resolve: (batch) => batch.id },
  authScopes: admin,
  loadMany: (ids, context) => context.services.offers.batchesByIds(programIdOf(context), ids),
  fields: (t) => ({
    prefix: t.exposeString('prefix'),
    count: t.exposeInt('count'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    codes: t.connection({
      type: PromoCodeType,
      resolve: (batch, args, context) =>
        connectionById(args, (page) => context.services.offers.listCodes(batch.programId, { batchId: batch.id }, page)),
    }),
    csv: t.string({
      description: 'Every code of the batch as CSV (code,uses,max_uses,expires_at), for printing or mailing',
      resolve: (batch, _args, context) => context.services.offers.batchCsv(batch.programId, batch.id),
    }),
  }),
});

export const OfferType = builder.node(builder.objectRef<Offer>('Offer'), {
  description: 'An incentive: who may use it, what it gives, and its limits',
  id: { resolve: (offer) => offer.id },
  // Members see the offers that are live (what checkout and availableOffers show them), not paused or
  // archived ones. A scope map lists the scopes that grant access (a value is the scope's argument).
  authScopes: (offer) => (offer.status === 'active' ? { admin: true, storefront: true, member: true } : { admin: true, storefront: true }),
  loadMany: (ids, context) => context.services.offers.byIds(programIdOf(context), ids),
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    status: t.field({ type: OfferStatus, resolve: (offer) => offer.status }),
    codeRequired: t.exposeBoolean('codeRequired', { description: 'Applies only with one of its promo codes; otherwise automatically' }),
    priority: t.exposeInt('priority', { description: 'Higher first' }),
    exclusive: t.exposeBoolean('exclusive', { description: 'When it applies, no lower-priority offer and no tier discount does' }),
    startsAt: t.expose('startsAt', { type: 'DateTime', nullable: true }),
    endsAt: t.expose('endsAt', { type: 'DateTime', nullable: true }),
    maxRedemptions: t.exposeInt('maxRedemptions', { nullable: true, authScopes: { admin: true, storefront: true } }),
    budget: t.expose('budget', {
      type: 'SafeInt',
      nullable: true,
      description: 'Most discount in total, minor units',
      authScopes: { admin: true, storefront: true },
    }),
    perMemberLimit: t.exposeInt('perMemberLimit', { nullable: true }),
    perMemberLimitPeriod: t.field({
      type: LimitPeriod,
      nullable: true,
      description: "Null: perMemberLimit counts over the offer's life",
      resolve: (offer) => offer.perMemberLimitPeriod,
    }),
    perMemberLimitWindow: t.field({
      type: LimitWindow,
      description: 'How the period is measured: CALENDAR (UTC) or ROLLING (ending now)',
      resolve: (offer) => offer.perMemberLimitWindow,
    }),
    conditions: t.field({ type: OfferConditionsType, resolve: (offer) => ({ ...offer.conditions, programId: offer.programId }) }),
    effect: t.field({ type: OfferEffectType, resolve: (offer) => offer.effect }),
    stats: t.field({ type: OfferStatsType, authScopes: admin, resolve: (offer) => offer }),
    codes: t.connection({
      type: PromoCodeType,
      authScopes: admin,
      resolve: (offer, args, context) =>
        connectionById(args, (page) => context.services.offers.listCodes(offer.programId, { offerId: offer.id }, page)),
    }),
  }),
});
