import { decodeGlobalID } from '@pothos/plugin-relay';
import { expect } from 'vitest';
import { key } from './ledger';
import type { TestApp } from './test-app';

/** GraphQL documents and helpers for the partner tests, as the host's admin or a partner would call them. */
const errorFields = `... on Error { code message } ... on InvalidInputError { issues { path message } }`;
export const PARTNER_FIELDS =
  'id name status contactName contactEmail funding currency creditLimit costShareBasisPoints feePerRedemption balance';
export const CAMPAIGN_FIELDS = `id name status rejectionReason budget budgetLeft discountGiven redemptions voucherLimit vouchersIssued perMemberLimit startsAt endsAt
  effect { __typename ... on AmountOffEffect { amount } ... on PercentOffEffect { basisPoints } }`;

export const CREATE_PARTNER = `mutation($input: CreatePartnerInput!) { createPartner(input: $input) { __typename ${errorFields} ... on PartnerPayload { partner { ${PARTNER_FIELDS} } } } }`;
export const UPDATE_PARTNER = `mutation($input: UpdatePartnerInput!) { updatePartner(input: $input) { __typename ${errorFields} ... on PartnerPayload { partner { ${PARTNER_FIELDS} } } ... on CreditLimitBelowOwedError { owed } } }`;
const fundsFields = `__typename ${errorFields} ... on PartnerFundsPayload { amount balance replayed partner { id balance } } ... on InsufficientPartnerFundsError { requested available }`;
export const DEPOSIT = `mutation($input: PartnerFundsInput!) { depositPartnerFunds(input: $input) { ${fundsFields} } }`;
export const WITHDRAW = `mutation($input: PartnerFundsInput!) { withdrawPartnerFunds(input: $input) { ${fundsFields} } }`;
const campaignPayload = `__typename ${errorFields} ... on PartnerCampaignPayload { campaign { ${CAMPAIGN_FIELDS} } }`;
export const CREATE_CAMPAIGN = `mutation($input: CreatePartnerCampaignInput!) { createPartnerCampaign(input: $input) { ${campaignPayload} } }`;
export const UPDATE_CAMPAIGN = `mutation($input: UpdatePartnerCampaignInput!) { updatePartnerCampaign(input: $input) { ${campaignPayload} } }`;
export const campaignAction = (name: string) =>
  `mutation($input: PartnerCampaignActionInput!) { ${name}(input: $input) { ${campaignPayload} } }`;
export const REJECT_CAMPAIGN = `mutation($input: RejectPartnerCampaignInput!) { rejectPartnerCampaign(input: $input) { ${campaignPayload} } }`;
export const GENERATE_VOUCHERS = `mutation($input: GeneratePartnerVouchersInput!) { generatePartnerVouchers(input: $input) { __typename ${errorFields}
  ... on PartnerVoucherBatch { count csv vouchers(first: 100) { edges { node { code redeemed } } } } ... on VoucherLimitReachedError { requested left } } }`;

export const REDEEM_VOUCHER = `mutation($input: RedeemVoucherInput!) { redeemVoucher(input: $input) { __typename ${errorFields}
  ... on RedeemVoucherPayload { code orderReference amount discount amountToPay partnerShare hostShare fee replayed campaign { id } }
  ... on VoucherNotRedeemableError { reason } ... on VoucherExpiredError { expiredAt } } }`;

/** Runs a mutation and returns its result union member; fails the test on a GraphQL error. */
export async function run(app: TestApp, query: string, input: Record<string, unknown>, token?: string) {
  const response = await app.graphql(query, { input }, token ?? (await app.token({ role: 'admin' })));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return Object.values(response.data ?? {})[0] as Record<string, any>;
}

export async function createPartner(app: TestApp, input: Record<string, unknown> = {}) {
  const result = await run(app, CREATE_PARTNER, { name: 'Bakery Bros', funding: 'PREPAID', costShareBasisPoints: 10_000, ...input });
  expect(result.__typename, JSON.stringify(result)).toBe('PartnerPayload');
  return { ...result.partner, partnerId: decodeGlobalID(result.partner.id).id } as Record<string, any> & { id: string; partnerId: string };
}

export const partnerToken = (app: TestApp, partner: { partnerId: string }) => app.token({ role: 'partner', partnerId: partner.partnerId });

export const moveFunds = (app: TestApp, query: string, input: Record<string, unknown>) =>
  run(app, query, { idempotencyKey: key('funds'), ...input });

/** A partner's campaign, submitted and approved by the host: ACTIVE. */
export async function activeCampaign(app: TestApp, partner: { partnerId: string }, input: Record<string, unknown> = {}) {
  const token = await partnerToken(app, partner);
  const created = await run(
    app,
    CREATE_CAMPAIGN,
    { name: '20% off at the bakery', effect: { percentOff: { basisPoints: 2000 } }, budget: 100_000, voucherLimit: 1000, ...input },
    token,
  );
  expect(created.__typename, JSON.stringify(created)).toBe('PartnerCampaignPayload');
  const campaignId = created.campaign.id;
  expect((await run(app, campaignAction('submitPartnerCampaign'), { campaignId }, token)).campaign.status).toBe('SUBMITTED');
  const approved = await run(app, campaignAction('approvePartnerCampaign'), { campaignId });
  expect(approved.campaign.status).toBe('ACTIVE');
  return approved.campaign as Record<string, any> & { id: string };
}
