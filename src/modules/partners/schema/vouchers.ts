import { encodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import type { PartnerPublicationRow, PartnerRow } from '../../../../schema';
import { builder, type ObjectFieldBuilder } from '../../../graphql/builder';
import { connectionById } from '../../../graphql/connections';
import { programIdOf } from '../../../graphql/context';
import { decodeId, requireId } from '../../../graphql/global-ids';
import { upperCaseEnum } from '../../../graphql/enums';
import { parseInput } from '../../../graphql/parse-input';
import { InvalidInputError } from '../../../platform/errors';
import { MAX_AMOUNT } from '../../../platform/bounds';
import { optional, text, whole } from '../../../platform/validation';
import { IdempotencyConflictError, replayedDescription } from '../../ledger';
import { MemberType } from '../../members';
import { OfferEffectType } from '../../offers';
import * as errors from '../errors';
import { audienceSchema, type PublicationStop } from '../publication';
import type { PartnerDayStats } from '../stats';
import type { RedeemVoucherResult } from '../till';
import type { GiftOutcome, MemberVoucherRow } from '../vouchers';
import { actingPartnerId, actorOf, visiblePartnerId, windowSchema } from './actor';
import { campaignViews, PartnerCampaignType, PartnerType, PartnerVoucherType } from './types';

const admin = { admin: true };
const adminOrPartner = { admin: true, partner: true };
const campaignIdFrom = (id: string | number) => requireId('PartnerCampaign', id, (raw) => new errors.PartnerCampaignNotFoundError(raw));

export const PartnerVoucherStatus = upperCaseEnum('PartnerVoucherStatus', ['issued', 'redeemed', 'void', 'expired'] as const);

/** A member's personal voucher, as the member (or the host) sees it: no partner object, just what the voucher says. */
const MemberVoucherType = builder.objectRef<MemberVoucherRow>('MemberVoucher').implement({
  fields: (t) => ({
    code: t.string({ resolve: (row) => row.code.code }),
    status: t.field({ type: PartnerVoucherStatus, resolve: (row, _args, context) => context.services.partners.voucherStatus(row.code) }),
    campaignId: t.id({ resolve: (row) => encodeGlobalID('PartnerCampaign', row.campaign.id) }),
    campaignName: t.string({ resolve: (row) => row.offer.name }),
    partnerName: t.exposeString('partnerName'),
    effect: t.field({ type: OfferEffectType, resolve: (row) => row.offer.effect }),
    validFrom: t.field({ type: 'DateTime', nullable: true, resolve: (row) => row.offer.startsAt }),
    expiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (row) => row.code.expiresAt }),
    issuedAt: t.field({ type: 'DateTime', resolve: (row) => row.voucher.createdAt }),
  }),
});

builder.objectField(PartnerVoucherType, 'status', (t) =>
  t.field({ type: PartnerVoucherStatus, resolve: (code, _args, context) => context.services.partners.voucherStatus(code) }),
);

builder.objectField(MemberType, 'vouchers', (t) =>
  t.connection({
    type: MemberVoucherType,
    resolve: (member, args, context) =>
      connectionById(args, (page) => context.services.partners.memberVouchers(member.programId, member.id, page)),
  }),
);

const VoucherNotIssuedReason = upperCaseEnum('VoucherNotIssuedReason', [
  'voucher_limit_reached',
  'campaign_not_active',
  'partner_suspended',
] as const);

export const EarnedPartnerVoucherType = builder.objectRef<GiftOutcome>('EarnedPartnerVoucher').implement({
  fields: (t) => ({
    campaignId: t.id({ resolve: (outcome) => encodeGlobalID('PartnerCampaign', outcome.campaignId) }),
    offerId: t.id({ resolve: (outcome) => encodeGlobalID('Offer', outcome.offerId) }),
    issued: t.boolean({ resolve: (outcome) => outcome.code !== null }),
    code: t.exposeString('code', { nullable: true }),
    reason: t.field({ type: VoucherNotIssuedReason, nullable: true, resolve: (outcome) => outcome.reason }),
  }),
});

const PublicationStatus = upperCaseEnum('PartnerPublicationStatus', ['running', 'done'] as const);
const PublicationStopEnum = upperCaseEnum('PartnerPublicationStop', [
  'voucher_limit_reached',
  'budget_exhausted',
  'campaign_not_active',
  'partner_suspended',
] as const);

const PartnerPublicationType = builder.objectRef<PartnerPublicationRow>('PartnerPublication').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    allMembers: t.boolean({ resolve: (publication) => publication.audience.all }),
    tierIds: t.idList({ resolve: (publication) => publication.audience.tierIds.map((id) => encodeGlobalID('Tier', id)) }),
    segmentIds: t.idList({ resolve: (publication) => publication.audience.segmentIds.map((id) => encodeGlobalID('Segment', id)) }),
    status: t.field({ type: PublicationStatus, resolve: (publication) => publication.status }),
    issued: t.exposeInt('issued'),
    stoppedBy: t.field({
      type: PublicationStopEnum,
      nullable: true,
      resolve: (publication) => publication.stoppedBy as PublicationStop | null,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.objectField(PartnerCampaignType, 'publications', (t) =>
  t.field({
    type: [PartnerPublicationType],
    resolve: (campaign, _args, context) => context.services.partners.publications(campaign.programId, campaign.id),
  }),
);

const AudienceInput = builder.inputType('PartnerAudienceInput', {
  fields: (t) => ({
    all: t.boolean(),
    tierIds: t.idList(),
    segmentIds: t.idList(),
  }),
});

const decodeIds = (kind: 'Tier' | 'Segment', ids: Array<string | number> | null | undefined, field: string) =>
  ids?.map((id) => {
    const decoded = decodeId(kind, id);
    if (decoded === null)
      throw new InvalidInputError([{ path: ['input', 'audience', field], message: `${id} is not a ${kind.toLowerCase()} id` }]);
    return decoded;
  });

builder.mutationField('publishPartnerCampaign', (t) =>
  t.field({
    type: builder.objectRef<{ publication: PartnerPublicationRow }>('PublishPartnerCampaignPayload').implement({
      fields: (f) => ({ publication: f.field({ type: PartnerPublicationType, resolve: (payload) => payload.publication }) }),
    }),
    authScopes: admin,
    args: {
      input: t.arg({
        type: builder.inputType('PublishPartnerCampaignInput', {
          fields: (f) => ({ campaignId: f.id({ required: true }), audience: f.field({ type: AudienceInput, required: true }) }),
        }),
        required: true,
      }),
    },
    errors: {
      types: [errors.PartnerCampaignNotFoundError, errors.CampaignTransitionNotAllowedError, errors.PartnerNotActiveError],
      directResult: true,
      union: { name: 'PublishPartnerCampaignResult' },
    },
    resolve: async (_root, { input }, context) => {
      const programId = programIdOf(context);
      const audience = parseInput(z.object({ audience: audienceSchema }), {
        audience: {
          all: input.audience.all,
          tierIds: decodeIds('Tier', input.audience.tierIds, 'tierIds'),
          segmentIds: decodeIds('Segment', input.audience.segmentIds, 'segmentIds'),
        },
      }).audience;
      const publication = await context.services.partners.publish(programId, campaignIdFrom(input.campaignId), audience);
      // The first chunks run now; a large audience goes on in the job's next runs (jobRuns shows how far).
      await context.services.jobs.run(programId, 'publish-partner-campaigns', null);
      return { publication: (await context.services.partners.publication(programId, publication.id)) ?? publication };
    },
  }),
);

const RedeemVoucherPayload = builder
  .objectRef<RedeemVoucherResult & { replayed: boolean; programId: string }>('RedeemVoucherPayload')
  .implement({
    fields: (t) => ({
      code: t.exposeString('code'),
      orderReference: t.exposeString('orderReference'),
      campaign: t.field({
        type: PartnerCampaignType,
        resolve: async (result, _args, context) =>
          (await campaignViews(context, await context.services.partners.campaignsByIds(result.programId, [result.campaignId])))[0]!,
      }),
      amount: t.expose('amount', { type: 'SafeInt' }),
      discount: t.expose('discount', { type: 'SafeInt' }),
      amountToPay: t.expose('amountToPay', { type: 'SafeInt' }),
      partnerShare: t.expose('partnerShare', { type: 'SafeInt' }),
      hostShare: t.expose('hostShare', { type: 'SafeInt' }),
      fee: t.expose('fee', { type: 'SafeInt' }),
      replayed: t.exposeBoolean('replayed', { description: replayedDescription }),
    }),
  });

const redeemVoucherSchema = z.object({
  code: text(64),
  orderReference: text(200),
  amount: whole(1, MAX_AMOUNT),
  idempotencyKey: optional(text(200)),
});

builder.mutationField('redeemVoucher', (t) =>
  t.field({
    type: RedeemVoucherPayload,
    authScopes: adminOrPartner,
    args: {
      input: t.arg({
        type: builder.inputType('RedeemVoucherInput', {
          fields: (f) => ({
            partnerId: f.id({
              description: 'Host only (required there): the partner whose till it is; a partner token redeems at its own',
            }),
            code: f.string({ required: true }),
            orderReference: f.string({ required: true }),
            amount: f.field({ type: 'SafeInt', required: true }),
            idempotencyKey: f.string(),
          }),
        }),
        required: true,
      }),
    },
    errors: {
      types: [
        errors.PartnerNotFoundError,
        errors.VoucherNotFoundError,
        errors.VoucherOfAnotherPartnerError,
        errors.VoucherAlreadyRedeemedError,
        errors.VoucherVoidError,
        errors.VoucherExpiredError,
        errors.VoucherNotRedeemableError,
        errors.InsufficientPartnerFundsError,
        IdempotencyConflictError,
      ],
      directResult: true,
      union: { name: 'RedeemVoucherResult' },
    },
    resolve: async (_root, { input }, context) => {
      const { partnerId: globalId, ...fields } = input;
      const partnerId = actingPartnerId(context, globalId, 'whose till it is');
      const programId = programIdOf(context);
      const parsed = parseInput(redeemVoucherSchema, fields);
      await context.services.partners.requirePartner(programId, partnerId);
      return { ...(await context.services.partners.redeemVoucher(programId, { ...parsed, partnerId })), programId };
    },
  }),
);

interface StatsView {
  partner: PartnerRow;
  from: Date;
  until: Date;
  days: PartnerDayStats[];
  totals: Omit<PartnerDayStats, 'day'>;
}

const statsFields = <Shape extends Omit<PartnerDayStats, 'day'>>(t: ObjectFieldBuilder<Shape>) => ({
  issued: t.int({ resolve: (stats) => stats.issued }),
  redeemed: t.int({ resolve: (stats) => stats.redeemed }),
  redemptionRate: t.float({ nullable: true, resolve: (stats) => stats.redemptionRate }),
  discountFunded: t.field({ type: 'SafeInt', resolve: (stats) => stats.discountFunded }),
  orderValueInfluenced: t.field({ type: 'SafeInt', resolve: (stats) => stats.orderValueInfluenced }),
});

const PartnerDayStatsType = builder.objectRef<PartnerDayStats>('PartnerDayStats').implement({
  fields: (t) => ({ day: t.expose('day', { type: 'DateTime' }), ...statsFields(t) }),
});
const PartnerStatsTotalsType = builder.objectRef<Omit<PartnerDayStats, 'day'>>('PartnerStatsTotals').implement({
  fields: (t) => statsFields(t),
});
const PartnerStatsType = builder.objectRef<StatsView>('PartnerStats').implement({
  fields: (t) => ({
    partner: t.field({ type: PartnerType, resolve: (stats) => stats.partner }),
    from: t.expose('from', { type: 'DateTime' }),
    to: t.expose('until', { type: 'DateTime' }),
    days: t.field({ type: [PartnerDayStatsType], resolve: (stats) => stats.days }),
    totals: t.field({ type: PartnerStatsTotalsType, resolve: (stats) => stats.totals }),
  }),
});

const MAX_STATS_DAYS = 366;

builder.queryField('partnerStats', (t) =>
  t.field({
    type: PartnerStatsType,
    authScopes: adminOrPartner,
    args: {
      partnerId: t.arg.id({ required: true }),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
    },
    errors: { types: [errors.PartnerNotFoundError], directResult: true, union: { name: 'PartnerStatsResult' } },
    resolve: (_root, args, context) => {
      const { from, to } = parseInput(windowSchema(MAX_STATS_DAYS), args);
      return context.services.partners.stats(programIdOf(context), visiblePartnerId(context, args.partnerId), from, to, actorOf(context));
    },
  }),
);
