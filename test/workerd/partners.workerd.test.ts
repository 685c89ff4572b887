import { describe, expect, it } from 'vitest';
import { signToken } from '../../src/platform/auth/sign';
import { graphql, SECRET } from './client';

const ENROLL = `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { ... on MemberPayload { member { id } } } }`;
const RECORD = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { __typename ... on RecordOrderPayload { discount { amount } notApplied { reason } } } }`;

describe('partner vouchers through the MemberLedger Durable Objects', () => {
  it('100 redemptions at the same instant against a partner deposit that covers 37 give exactly 37', async () => {
    const admin = await signToken(SECRET, { role: 'admin', programId: 'acme', subject: 'workerd-test' });
    const storefront = await signToken(SECRET, { role: 'storefront', programId: 'acme', subject: 'shop' });
    const partner = await graphql(
      `mutation { createPartner(input: { name: "Workerd bakery", funding: PREPAID, costShareBasisPoints: 10000 }) { ... on PartnerPayload { partner { id } } } }`,
      {},
      admin,
    );
    const partnerId = partner.data.createPartner.partner.id as string;
    const deposit = await graphql(
      `mutation($id: ID!) { depositPartnerFunds(input: { partnerId: $id, amount: 3700, idempotencyKey: "workerd-deposit" }) { ... on PartnerFundsPayload { balance } } }`,
      { id: partnerId },
      admin,
    );
    expect(deposit.data.depositPartnerFunds.balance).toBe(3700);
    const created = await graphql(
      `mutation($id: ID!) { createPartnerCampaign(input: { partnerId: $id, name: "1.00 off", effect: { amountOff: { amount: 100 } }, budget: 1000000, voucherLimit: 100 }) { ... on PartnerCampaignPayload { campaign { id } } } }`,
      { id: partnerId },
      admin,
    );
    const campaignId = created.data.createPartnerCampaign.campaign.id as string;
    for (const action of ['submitPartnerCampaign', 'approvePartnerCampaign']) {
      await graphql(`mutation($id: ID!) { ${action}(input: { campaignId: $id }) { __typename } }`, { id: campaignId }, admin);
    }
    const batch = await graphql(
      `mutation($id: ID!) { generatePartnerVouchers(input: { campaignId: $id, count: 100 }) { ... on PartnerVoucherBatch { vouchers(first: 100) { edges { node { code } } } } } }`,
      { id: campaignId },
      admin,
    );
    const codes = (batch.data.generatePartnerVouchers.vouchers.edges as Array<{ node: { code: string } }>).map((edge) => edge.node.code);
    expect(codes).toHaveLength(100);
    const members: string[] = [];
    for (const [index] of codes.entries())
      members.push((await graphql(ENROLL, { input: { email: `partner-${index}@example.com` } }, admin)).data.enrollMember.member.id);
    const results = await Promise.all(
      members.map((memberId, index) =>
        graphql(
          RECORD,
          {
            input: {
              memberId,
              currency: 'EUR',
              total: 1000,
              orderId: `partner-${index}`,
              idempotencyKey: `partner-${index}`,
              codes: [codes[index]],
            },
          },
          storefront,
        ),
      ),
    );
    const recorded = results.map((result) => result.data.recordOrder);
    expect(recorded.every((payload) => payload.__typename === 'RecordOrderPayload')).toBe(true);
    expect(recorded.filter((payload) => payload.discount.amount === 100)).toHaveLength(37);
    expect(recorded.filter((payload) => payload.notApplied[0]?.reason === 'PARTNER_BUDGET_EXHAUSTED')).toHaveLength(63);
    const after = await graphql(`query($id: ID!) { partner(id: $id) { balance } }`, { id: partnerId }, admin);
    expect(after.data.partner.balance).toBe(0);
    expect((await graphql(`{ ledgerAudit { sound } }`, {}, admin)).data.ledgerAudit.sound).toBe(true);
  }, 120_000);

  it('50 qualifying orders at the same instant against a partner gift limited to 19 vouchers give exactly 19, and record all 50', async () => {
    const admin = await signToken(SECRET, { role: 'admin', programId: 'acme', subject: 'workerd-test' });
    const storefront = await signToken(SECRET, { role: 'storefront', programId: 'acme', subject: 'shop' });
    const partner = await graphql(
      `mutation { createPartner(input: { name: "Workerd florist", funding: PREPAID, costShareBasisPoints: 10000 }) { ... on PartnerPayload { partner { id } } } }`,
      {},
      admin,
    );
    const partnerId = partner.data.createPartner.partner.id as string;
    const created = await graphql(
      `mutation($id: ID!) { createPartnerCampaign(input: { partnerId: $id, name: "Flowers", effect: { percentOff: { basisPoints: 1000 } }, budget: 100000, voucherLimit: 19 }) { ... on PartnerCampaignPayload { campaign { id } } } }`,
      { id: partnerId },
      admin,
    );
    const campaignId = created.data.createPartnerCampaign.campaign.id as string;
    for (const action of ['submitPartnerCampaign', 'approvePartnerCampaign']) {
      await graphql(`mutation($id: ID!) { ${action}(input: { campaignId: $id }) { __typename } }`, { id: campaignId }, admin);
    }
    const gift = await graphql(
      `mutation($id: ID!) { createOffer(input: { name: "Gift", effect: { partnerVoucher: { campaignId: $id } }, conditions: { minimumSpend: 3000 } }) { __typename } }`,
      { id: campaignId },
      admin,
    );
    expect(gift.data.createOffer.__typename).toBe('OfferPayload');
    const imported = await graphql(
      `mutation($input: ImportMembersInput!) { importMembers(input: $input) { ... on ImportMembersPayload { created } } }`,
      {
        input: {
          members: Array.from({ length: 50 }, (_, index) => ({ externalId: `gift-${index}`, email: `gift-${index}@example.com` })),
        },
      },
      admin,
    );
    expect(imported.data.importMembers.created).toBe(50);
    const page = await graphql(`{ members(first: 50, search: "gift-") { edges { node { id externalId } } } }`, {}, admin);
    const members = (page.data.members.edges as Array<{ node: { id: string } }>).map((edge) => edge.node.id);
    expect(members).toHaveLength(50);
    const results = await Promise.all(
      members.map((memberId, index) =>
        graphql(
          `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { __typename ... on RecordOrderPayload { partnerVouchers { issued reason } } } }`,
          { input: { memberId, currency: 'EUR', total: 3000, orderId: `gift-${index}`, idempotencyKey: `gift-${index}` } },
          storefront,
        ),
      ),
    );
    const recorded = results.map((result) => result.data.recordOrder);
    expect(recorded.every((payload) => payload.__typename === 'RecordOrderPayload')).toBe(true);
    expect(recorded.filter((payload) => payload.partnerVouchers[0].issued)).toHaveLength(19);
    expect(recorded.filter((payload) => payload.partnerVouchers[0].reason === 'VOUCHER_LIMIT_REACHED')).toHaveLength(31);
    const campaign = await graphql(
      `query($id: ID!) { node(id: $id) { ... on PartnerCampaign { vouchersIssued } } }`,
      { id: campaignId },
      admin,
    );
    expect(campaign.data.node.vouchersIssued).toBe(19);
  }, 120_000);
});
