import { afterEach, describe, expect, it } from 'vitest';
import { closeSoundly } from '../../support/ledger';
import { enroll } from '../../support/members';
import { line, quote, recordOrder } from '../../support/offers';
import { createTestApp, type TestApp } from '../../support/test-app';
import {
  CREATE_CAMPAIGN,
  DEPOSIT,
  GENERATE_VOUCHERS,
  moveFunds,
  REJECT_CAMPAIGN,
  UPDATE_CAMPAIGN,
  UPDATE_PARTNER,
  activeCampaign,
  campaignAction,
  createPartner,
  partnerToken,
  run,
} from '../../support/partners';

let app: TestApp | undefined;
afterEach(async () => {
  if (app) await closeSoundly(app);
  app = undefined;
});

const draft = { name: 'Bakery: 2.00 off', effect: { amountOff: { amount: 200 } }, budget: 10_000, voucherLimit: 50 };

describe('partner campaigns', () => {
  it('go DRAFT → SUBMITTED → ACTIVE → PAUSED → ACTIVE → ENDED; a rejection sends them back to DRAFT with the reason', async () => {
    app = await createTestApp();
    const bakery = await createPartner(app);
    const token = await partnerToken(app, bakery);
    const created = await run(
      app,
      CREATE_CAMPAIGN,
      { ...draft, perMemberLimit: 1, startsAt: '2026-11-01T00:00:00.000Z', endsAt: '2026-12-31T00:00:00.000Z' },
      token,
    );
    expect(created.campaign).toMatchObject({
      status: 'DRAFT',
      budget: 10_000,
      budgetLeft: 10_000,
      voucherLimit: 50,
      vouchersIssued: 0,
      perMemberLimit: 1,
      effect: { __typename: 'AmountOffEffect', amount: 200 },
    });
    const campaignId = created.campaign.id;

    const updated = await run(app, UPDATE_CAMPAIGN, { campaignId, effect: { percentOff: { basisPoints: 2000 } }, budget: 20_000 }, token);
    expect(updated.campaign).toMatchObject({
      status: 'DRAFT',
      budget: 20_000,
      effect: { __typename: 'PercentOffEffect', basisPoints: 2000 },
    });
    expect((await run(app, campaignAction('approvePartnerCampaign'), { campaignId })).code).toBe('CAMPAIGN_TRANSITION_NOT_ALLOWED');
    expect((await run(app, campaignAction('submitPartnerCampaign'), { campaignId }, token)).campaign.status).toBe('SUBMITTED');
    expect((await run(app, UPDATE_CAMPAIGN, { campaignId, name: 'Changed after submitting' }, token)).code).toBe(
      'CAMPAIGN_TRANSITION_NOT_ALLOWED',
    );

    const rejected = await run(app, REJECT_CAMPAIGN, { campaignId, reason: 'Budget too small for the season' });
    expect(rejected.campaign).toMatchObject({ status: 'DRAFT', rejectionReason: 'Budget too small for the season' });
    await run(app, campaignAction('submitPartnerCampaign'), { campaignId }, token);
    const approved = await run(app, campaignAction('approvePartnerCampaign'), { campaignId });
    expect(approved.campaign).toMatchObject({ status: 'ACTIVE', rejectionReason: null });

    expect((await run(app, campaignAction('pausePartnerCampaign'), { campaignId }, token)).campaign.status).toBe('PAUSED');
    expect((await run(app, campaignAction('resumePartnerCampaign'), { campaignId }, token)).campaign.status).toBe('ACTIVE');
    expect((await run(app, campaignAction('endPartnerCampaign'), { campaignId })).campaign.status).toBe('ENDED');
    expect((await run(app, campaignAction('resumePartnerCampaign'), { campaignId }, token)).code).toBe('CAMPAIGN_TRANSITION_NOT_ALLOWED');
  });

  it('a partner changes only its own campaigns; the host alone approves; bad campaigns are typed errors', async () => {
    app = await createTestApp();
    const bakery = await createPartner(app);
    const florist = await createPartner(app, { name: 'Florist' });
    const bakeryToken = await partnerToken(app, bakery);
    const floristToken = await partnerToken(app, florist);
    const { campaign } = await run(app, CREATE_CAMPAIGN, draft, bakeryToken);

    expect((await run(app, UPDATE_CAMPAIGN, { campaignId: campaign.id, name: 'Mine now' }, floristToken)).code).toBe(
      'PARTNER_CAMPAIGN_NOT_FOUND',
    );
    expect((await run(app, campaignAction('submitPartnerCampaign'), { campaignId: campaign.id }, floristToken)).code).toBe(
      'PARTNER_CAMPAIGN_NOT_FOUND',
    );
    expect((await run(app, campaignAction('endPartnerCampaign'), { campaignId: campaign.id }, floristToken)).code).toBe(
      'PARTNER_CAMPAIGN_NOT_FOUND',
    );
    await run(app, campaignAction('submitPartnerCampaign'), { campaignId: campaign.id }, bakeryToken);
    const selfApproval = await app.graphql(campaignAction('approvePartnerCampaign'), { input: { campaignId: campaign.id } }, bakeryToken);
    expect(selfApproval.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect((await run(app, CREATE_CAMPAIGN, draft)).__typename).toBe('InvalidInputError');
    expect((await run(app, CREATE_CAMPAIGN, { ...draft, partnerId: florist.id })).campaign.status).toBe('DRAFT');
    expect((await run(app, CREATE_CAMPAIGN, { ...draft, partnerId: florist.id }, bakeryToken)).code).toBe('PARTNER_NOT_FOUND');

    const bad = [
      { ...draft, budget: 0 },
      { ...draft, budget: -5 },
      { ...draft, budget: 100_000_000_001 },
      { ...draft, voucherLimit: 0 },
      { ...draft, effect: { stampCard: { stampsRequired: 5, items: { skus: ['BREAD'] } } } },
      { ...draft, effect: { amountOff: { amount: 200 }, percentOff: { basisPoints: 100 } } },
      { ...draft, startsAt: '2026-12-01T00:00:00.000Z', endsAt: '2026-11-01T00:00:00.000Z' },
    ];
    for (const input of bad)
      expect((await run(app, CREATE_CAMPAIGN, input, bakeryToken)).__typename, JSON.stringify(input)).toBe('InvalidInputError');
    const list = await app.graphql(`{ partnerCampaigns(first: 20) { edges { node { id } } } }`, {}, bakeryToken);
    expect(list.data!.partnerCampaigns.edges).toHaveLength(1);
    const floristList = await app.graphql(`{ partnerCampaigns(first: 20) { edges { node { id } } } }`, {}, floristToken);
    expect(floristList.data!.partnerCampaigns.edges).toHaveLength(1);
    const foreignNode = await app.graphql(`query($id: ID!) { node(id: $id) { id } }`, { id: campaign.id }, floristToken);
    expect(foreignNode.data?.node ?? null).toBeNull();
  });
});

describe('partner vouchers', () => {
  it('are unique single-use codes within the voucher limit, with CSV, and redeem the campaign’s effect at checkout once', async () => {
    app = await createTestApp();
    const bakery = await createPartner(app);
    const token = await partnerToken(app, bakery);
    await moveFunds(app, DEPOSIT, { partnerId: bakery.id, amount: 10_000 });
    const campaign = await activeCampaign(app, bakery, { effect: { amountOff: { amount: 300 } }, voucherLimit: 5 });

    const batch = await run(app, GENERATE_VOUCHERS, { campaignId: campaign.id, count: 3 }, token);
    expect(batch).toMatchObject({ __typename: 'PartnerVoucherBatch', count: 3 });
    const codes = batch.vouchers.edges.map((edge: any) => edge.node.code as string);
    expect(new Set(codes).size).toBe(3);
    expect(batch.csv.split('\r\n')).toEqual(['code,uses,max_uses,expires_at', ...codes.map((code: string) => `${code},0,1,`), '']);
    expect(await run(app, GENERATE_VOUCHERS, { campaignId: campaign.id, count: 3 }, token)).toMatchObject({
      __typename: 'VoucherLimitReachedError',
      requested: 3,
      left: 2,
    });
    expect((await run(app, GENERATE_VOUCHERS, { campaignId: campaign.id, count: 0 }, token)).__typename).toBe('InvalidInputError');

    const ada = await enroll(app, { email: 'ada@example.com' });
    const first = await recordOrder(app, { memberId: ada.globalId, total: 1000, lines: [line('BREAD', 2, 500)], codes: [codes[0]] });
    expect(first.discount.amount).toBe(300);
    const again = await recordOrder(app, { memberId: ada.globalId, total: 1000, lines: [line('BREAD', 2, 500)], codes: [codes[0]] });
    expect(again.discount.amount).toBe(0);
    expect(again.notApplied).toEqual([expect.objectContaining({ code: codes[0], reason: 'CODE_ALREADY_USED' })]);

    await run(app, campaignAction('pausePartnerCampaign'), { campaignId: campaign.id }, token);
    expect(
      (await quote(app, { memberId: ada.globalId, total: 1000, lines: [line('BREAD', 2, 500)], codes: [codes[1]] })).discount.amount,
    ).toBe(0);
    await run(app, campaignAction('resumePartnerCampaign'), { campaignId: campaign.id }, token);
    expect(
      (await quote(app, { memberId: ada.globalId, total: 1000, lines: [line('BREAD', 2, 500)], codes: [codes[1]] })).discount.amount,
    ).toBe(300);

    await run(app, UPDATE_PARTNER, { partnerId: bakery.id, status: 'SUSPENDED' });
    expect(
      (await quote(app, { memberId: ada.globalId, total: 1000, lines: [line('BREAD', 2, 500)], codes: [codes[1]] })).discount.amount,
    ).toBe(0);
    await run(app, UPDATE_PARTNER, { partnerId: bakery.id, status: 'ACTIVE' });
    expect(
      (await quote(app, { memberId: ada.globalId, total: 1000, lines: [line('BREAD', 2, 500)], codes: [codes[1]] })).discount.amount,
    ).toBe(300);
  });

  it('100 redemptions at the same instant against a budget that covers 37 give exactly 37', async () => {
    app = await createTestApp({ networkLatency: true });
    const bakery = await createPartner(app);
    const token = await partnerToken(app, bakery);
    await moveFunds(app, DEPOSIT, { partnerId: bakery.id, amount: 1_000_000 });
    const campaign = await activeCampaign(app, bakery, { effect: { amountOff: { amount: 100 } }, budget: 3700, voucherLimit: 100 });
    const batch = await run(app, GENERATE_VOUCHERS, { campaignId: campaign.id, count: 100 }, token);
    const codes = batch.vouchers.edges.map((edge: any) => edge.node.code as string);
    const members = [];
    for (let index = 0; index < 100; index++) members.push(await enroll(app, { email: `m${index}@example.com` }));
    const storefront = await app.token({ role: 'storefront' });
    const results = await Promise.all(
      members.map((member, index) =>
        recordOrder(app!, { memberId: member.globalId, total: 1000, lines: [line('BREAD', 1, 1000)], codes: [codes[index]] }, storefront),
      ),
    );
    expect(results.every((result) => result.__typename === 'RecordOrderPayload')).toBe(true);
    expect(results.filter((result) => result.discount.amount === 100)).toHaveLength(37);
    expect(results.filter((result) => result.discount.amount === 0)).toHaveLength(63);
    const read = await app.graphql(
      `query($id: ID!) { node(id: $id) { ... on PartnerCampaign { discountGiven budgetLeft redemptions } } }`,
      { id: campaign.id },
      token,
    );
    expect(read.data!.node).toEqual({ discountGiven: 3700, budgetLeft: 0, redemptions: 37 });
  });
});
