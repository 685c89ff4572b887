import {
  partnerCampaignStatuses,
  partnerFundings,
  partnerStatuses,
  type PartnerCampaignRow,
  type PartnerRow,
  type PromoCodeBatchRow,
  type PromoCodeRow,
} from '../../../../schema';
import { builder } from '../../../graphql/builder';
import { connectionById } from '../../../graphql/connections';
import { programIdOf, type GraphQLContext } from '../../../graphql/context';
import { upperCaseEnum } from '../../../graphql/enums';
import { OfferConditionsType, OfferEffectType, type Offer } from '../../offers';

export const PartnerStatus = upperCaseEnum('PartnerStatus', partnerStatuses);
export const PartnerFunding = upperCaseEnum('PartnerFunding', partnerFundings);
export const PartnerCampaignStatus = upperCaseEnum('PartnerCampaignStatus', partnerCampaignStatuses);

/** The host's operators, or the partner itself. */
const adminOrOwner = (partnerId: string) => ({ admin: true, ownPartner: partnerId });

/** A campaign with the offer that carries its effect, validity, limits and counters. */
export type CampaignView = PartnerCampaignRow & { offer: Offer };

export async function campaignViews(
  context: GraphQLContext,
  campaigns: ReadonlyArray<PartnerCampaignRow | null>,
): Promise<Array<CampaignView | null>> {
  const offers = await context.services.offers.byIds(
    programIdOf(context),
    campaigns.filter((row) => row !== null).map((row) => row.offerId),
  );
  return campaigns.map((campaign) => {
    const offer = campaign && offers.find((row) => row?.id === campaign.offerId);
    return campaign && offer ? { ...campaign, offer } : null;
  });
}

export const PartnerType = builder.objectRef<PartnerRow>('Partner');
export const PartnerCampaignType = builder.objectRef<CampaignView>('PartnerCampaign');

builder.node(PartnerType, {
  id: { resolve: (partner) => partner.id },
  authScopes: (partner) => adminOrOwner(partner.id),
  loadMany: (ids, context) => context.services.partners.byIds(programIdOf(context), ids),
  fields: (t) => ({
    name: t.exposeString('name'),
    status: t.field({ type: PartnerStatus, resolve: (partner) => partner.status }),
    contactName: t.exposeString('contactName', { nullable: true }),
    contactEmail: t.exposeString('contactEmail', { nullable: true }),
    funding: t.field({ type: PartnerFunding, resolve: (partner) => partner.funding }),
    currency: t.exposeString('currency'),
    creditLimit: t.expose('creditLimit', { type: 'SafeInt', nullable: true }),
    costShareBasisPoints: t.exposeInt('costShareBasisPoints'),
    feePerRedemption: t.expose('feePerRedemption', { type: 'SafeInt' }),
    balance: t.field({
      type: 'SafeInt',
      resolve: async (partner, _args, context) => (await context.services.partners.fundingBalances([partner])).get(partner.id) ?? 0,
    }),
    campaigns: t.connection({
      type: PartnerCampaignType,
      resolve: async (partner, args, context) => {
        const connection = await connectionById(args, (page) => context.services.partners.campaigns(partner.programId, partner.id, page));
        const views = await campaignViews(
          context,
          connection.edges.map((edge) => edge?.node ?? null),
        );
        return { ...connection, edges: connection.edges.map((edge, index) => edge && { ...edge, node: views[index]! }) };
      },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const PartnerVoucherType = builder.objectRef<PromoCodeRow>('PartnerVoucher').implement({
  fields: (t) => ({
    code: t.exposeString('code'),
    redeemed: t.boolean({ resolve: (code) => code.uses >= (code.maxUses ?? Number.POSITIVE_INFINITY) }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const PartnerVoucherBatchType = builder.objectRef<PromoCodeBatchRow & { campaignId: string }>('PartnerVoucherBatch').implement({
  fields: (t) => ({
    count: t.exposeInt('count'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    csv: t.string({ resolve: (batch, _args, context) => context.services.partners.batchCsv(batch.programId, batch.id) }),
    vouchers: t.connection({
      type: PartnerVoucherType,
      resolve: (batch, args, context) =>
        connectionById(args, (page) => context.services.partners.listCodes(batch.programId, { batchId: batch.id }, page)),
    }),
  }),
});

builder.node(PartnerCampaignType, {
  id: { resolve: (campaign) => campaign.id },
  authScopes: (campaign) => adminOrOwner(campaign.partnerId),
  loadMany: async (ids, context) => campaignViews(context, await context.services.partners.campaignsByIds(programIdOf(context), ids)),
  fields: (t) => ({
    partner: t.field({
      type: PartnerType,
      resolve: (campaign, _args, context) => context.services.partners.requirePartner(campaign.programId, campaign.partnerId),
    }),
    name: t.string({ resolve: (campaign) => campaign.offer.name }),
    description: t.string({ nullable: true, resolve: (campaign) => campaign.offer.description }),
    status: t.field({ type: PartnerCampaignStatus, resolve: (campaign) => campaign.status }),
    rejectionReason: t.exposeString('rejectionReason', { nullable: true }),
    effect: t.field({ type: OfferEffectType, resolve: (campaign) => campaign.offer.effect }),
    conditions: t.field({
      type: OfferConditionsType,
      resolve: (campaign) => ({ ...campaign.offer.conditions, programId: campaign.programId }),
    }),
    startsAt: t.field({ type: 'DateTime', nullable: true, resolve: (campaign) => campaign.offer.startsAt }),
    endsAt: t.field({ type: 'DateTime', nullable: true, resolve: (campaign) => campaign.offer.endsAt }),
    perMemberLimit: t.int({ nullable: true, resolve: (campaign) => campaign.offer.perMemberLimit }),
    budget: t.field({ type: 'SafeInt', resolve: (campaign) => campaign.offer.budget ?? 0 }),
    budgetLeft: t.field({ type: 'SafeInt', resolve: (campaign) => (campaign.offer.budget ?? 0) - campaign.offer.discountGiven }),
    discountGiven: t.field({ type: 'SafeInt', resolve: (campaign) => campaign.offer.discountGiven }),
    redemptions: t.int({ resolve: (campaign) => campaign.offer.redemptions }),
    voucherLimit: t.exposeInt('voucherLimit'),
    vouchersIssued: t.exposeInt('vouchersIssued'),
    vouchers: t.connection({
      type: PartnerVoucherType,
      resolve: (campaign, args, context) =>
        connectionById(args, (page) => context.services.partners.listCodes(campaign.programId, { offerId: campaign.offerId }, page)),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});
