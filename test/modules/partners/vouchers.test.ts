import { afterEach, describe, expect, it } from 'vitest';
import { MAX_AMOUNT } from '../../../src/platform/bounds';
import { closeSoundly } from '../../support/ledger';
import { enroll } from '../../support/members';
import { importMembers } from '../../support/history';
import { CHECKOUT_FIELDS, createOffer, line, quote, recordOrder, refundOrder } from '../../support/offers';
import { createSegment } from '../../support/segments';
import { setUpTiers } from '../../support/tiers';
import { createTestApp, type TestApp } from '../../support/test-app';
import {
  CREATE_CAMPAIGN,
  DEPOSIT,
  GENERATE_VOUCHERS,
  REDEEM_VOUCHER,
  UPDATE_CAMPAIGN,
  activeCampaign,
  campaignAction,
  createPartner,
  moveFunds,
  partnerToken,
  run,
} from '../../support/partners';
import { key } from '../../support/ledger';

const errorFields = `... on Error { code message } ... on InvalidInputError { issues { path message } }`;
const RECORD = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { __typename ${errorFields}
  ... on RecordOrderPayload { orderId ${CHECKOUT_FIELDS} partnerVouchers { campaignId offerId issued code reason } } } }`;
const MEMBER_VOUCHERS = `query($id: ID!) { member(id: $id) {
  vouchers(first: 20) { edges { node { code status campaignId campaignName partnerName validFrom expiresAt effect { __typename ... on PercentOffEffect { basisPoints } ... on AmountOffEffect { amount } } } } }
  availableOffers { codes offer { id name } } } }`;
const PUBLISH = `mutation($input: PublishPartnerCampaignInput!) { publishPartnerCampaign(input: $input) { __typename ${errorFields}
  ... on PublishPartnerCampaignPayload { publication { id status issued stoppedBy allMembers tierIds segmentIds } } } }`;
const CAMPAIGN = `query($id: ID!) { node(id: $id) { ... on PartnerCampaign { status vouchersIssued voucherLimit redemptions discountGiven
  conditions { tierIds segmentIds minimumSpend audience } publications { status issued stoppedBy } } } }`;
const STATS = `query($partnerId: ID!, $from: DateTime!, $to: DateTime!) { partnerStats(partnerId: $partnerId, from: $from, to: $to) {
  __typename ${errorFields}
  ... on PartnerStats { days { day issued redeemed redemptionRate discountFunded orderValueInfluenced } totals { issued redeemed redemptionRate discountFunded orderValueInfluenced } } } }`;

let app: TestApp | undefined;
afterEach(async () => {
  if (app) await closeSoundly(app);
  app = undefined;
});

async function admin(test: TestApp) {
  return test.token({ role: 'admin' });
}
async function graphql(test: TestApp, query: string, variables: Record<string, unknown>, token?: string) {
  const response = await test.graphql(query, variables, token ?? (await admin(test)));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data as Record<string, any>;
}
const memberVouchers = async (test: TestApp, memberId: string) => (await graphql(test, MEMBER_VOUCHERS, { id: memberId })).member;
const campaignOf = async (test: TestApp, id: string) => (await graphql(test, CAMPAIGN, { id })).node;
const order = async (test: TestApp, input: Record<string, unknown>) =>
  run(
    test,
    RECORD,
    { currency: 'EUR', orderId: `o-${key('order')}`, idempotencyKey: key('order'), ...input },
    await test.token({ role: 'storefront' }),
  );

/** The café (host) gives a bakery voucher for every order of 30.00 or more: the seed's partner gift. */
async function partnerGift(test: TestApp, campaignInput: Record<string, unknown> = {}) {
  const bakery = await createPartner(test, { name: 'Bakery Bros', costShareBasisPoints: 10_000 });
  await moveFunds(test, DEPOSIT, { partnerId: bakery.id, amount: 100_000 });
  const campaign = await activeCampaign(test, bakery, { name: '20% off at the bakery', ...campaignInput });
  const gift = await createOffer(test, {
    name: 'Spend 30.00, get a bakery voucher',
    effect: { partnerVoucher: { campaignId: campaign.id } },
    conditions: { minimumSpend: 3000 },
  });
  return { bakery, campaign, gift };
}

describe('the partner gift (host offer effect partnerVoucher)', () => {
  it('issues a voucher in the order’s batch that shows in member.vouchers and availableOffers and applies itself at checkout', async () => {
    app = await createTestApp();
    const { campaign, gift } = await partnerGift(app);
    const ada = await enroll(app, { email: 'ada@example.com' });

    const small = await order(app, { memberId: ada.globalId, total: 2999, lines: [line('LATTE', 1, 2999)] });
    expect(small.partnerVouchers).toEqual([]);
    const earned = await order(app, { memberId: ada.globalId, total: 3000, lines: [line('LATTE', 1, 3000)] });
    expect(earned.partnerVouchers).toEqual([
      { campaignId: campaign.id, offerId: gift.id, issued: true, code: expect.any(String), reason: null },
    ]);
    expect(earned.discount.amount).toBe(0);
    const code = earned.partnerVouchers[0].code as string;

    const held = await memberVouchers(app, ada.globalId);
    expect(held.vouchers.edges.map((edge: any) => edge.node)).toEqual([
      {
        code,
        status: 'ISSUED',
        campaignId: campaign.id,
        campaignName: '20% off at the bakery',
        partnerName: 'Bakery Bros',
        validFrom: null,
        expiresAt: null,
        effect: { __typename: 'PercentOffEffect', basisPoints: 2000 },
      },
    ]);
    expect(held.availableOffers.find((offer: any) => offer.codes.includes(code))?.offer.name).toBe('20% off at the bakery');
    expect((await campaignOf(app, campaign.id)).vouchersIssued).toBe(1);

    // The voucher applies itself at the member's next checkout (a quote first, then the order).
    const quoted = await quote(app, { memberId: ada.globalId, currency: 'EUR', total: 1000, lines: [line('BREAD', 1, 1000)] });
    expect(quoted.appliedOffers.map((applied: any) => applied.code)).toEqual([code]);
    expect(quoted.discount.amount).toBe(200);
    const redeemed = await order(app, { memberId: ada.globalId, total: 1000, lines: [line('BREAD', 1, 1000)] });
    expect(redeemed.discount.amount).toBe(200);
    expect((await memberVouchers(app, ada.globalId)).vouchers.edges[0].node.status).toBe('REDEEMED');
    // Used, it applies no more; another member never gets it.
    const again = await quote(app, { memberId: ada.globalId, currency: 'EUR', total: 1000, lines: [line('BREAD', 1, 1000)] });
    expect(again.discount.amount).toBe(0);
    const bob = await enroll(app, { email: 'bob@example.com' });
    const stolen = await quote(app, {
      memberId: bob.globalId,
      currency: 'EUR',
      total: 1000,
      codes: [code],
      lines: [line('BREAD', 1, 1000)],
    });
    expect(stolen.notApplied.map((entry: any) => entry.reason)).toContain('CODE_ALREADY_USED');
    // A guest's order qualifies for nothing to hold.
    const guest = await order(app, { memberId: null, total: 5000, lines: [line('LATTE', 1, 5000)] });
    expect(guest.partnerVouchers).toEqual([]);
  });

  it('a full refund voids the voucher while unused (VOUCHER_VOID when entered), never a used one; a partial refund keeps it', async () => {
    app = await createTestApp();
    const { campaign } = await partnerGift(app);
    const ada = await enroll(app, { email: 'ada@example.com' });
    const bob = await enroll(app, { email: 'bob@example.com' });
    const first = await order(app, { memberId: ada.globalId, total: 4000, lines: [line('LATTE', 1, 4000)] });
    const second = await order(app, { memberId: bob.globalId, total: 4000, lines: [line('LATTE', 1, 4000)] });
    expect((await campaignOf(app, campaign.id)).vouchersIssued).toBe(2);
    const statusOf = async (member: { globalId: string }) => (await memberVouchers(app!, member.globalId)).vouchers.edges[0].node.status;

    await refundOrder(app, { orderId: first.orderId, amount: 1000 });
    expect(await statusOf(ada)).toBe('ISSUED');
    await refundOrder(app, { orderId: first.orderId, amount: 3000 });
    expect([await statusOf(ada), await statusOf(bob)]).toEqual(['VOID', 'ISSUED']);
    // A void voucher gives its place in the voucher limit back, applies no more, and is refused with its reason when entered.
    expect((await campaignOf(app, campaign.id)).vouchersIssued).toBe(1);
    expect((await memberVouchers(app, ada.globalId)).availableOffers).toEqual([
      expect.objectContaining({ offer: expect.objectContaining({ name: 'Spend 30.00, get a bakery voucher' }) }),
    ]);
    const entered = await quote(app, {
      memberId: ada.globalId,
      currency: 'EUR',
      total: 1000,
      codes: [first.partnerVouchers[0].code],
      lines: [line('BREAD', 1, 1000)],
    });
    expect(entered.notApplied).toContainEqual(expect.objectContaining({ code: first.partnerVouchers[0].code, reason: 'VOUCHER_VOID' }));
    expect(entered.discount.amount).toBe(0);

    // Bob uses his voucher on his next order; refunding the order that earned it then leaves it REDEEMED.
    expect((await order(app, { memberId: bob.globalId, total: 1000, lines: [line('BREAD', 1, 1000)] })).discount.amount).toBe(200);
    await refundOrder(app, { orderId: second.orderId, amount: 4000 });
    expect(await statusOf(bob)).toBe('REDEEMED');
    expect((await campaignOf(app, campaign.id)).vouchersIssued).toBe(1);
  });

  it('reports a voucher not issued (limit, paused campaign, suspended partner) and records the order anyway', async () => {
    app = await createTestApp();
    const { bakery, campaign } = await partnerGift(app, { voucherLimit: 1 });
    const ada = await enroll(app, { email: 'ada@example.com' });
    const cart = { memberId: ada.globalId, total: 3000, lines: [line('LATTE', 1, 3000)] };
    expect((await order(app, cart)).partnerVouchers[0].issued).toBe(true);
    const full = await order(app, cart);
    expect(full.__typename).toBe('RecordOrderPayload');
    expect(full.partnerVouchers[0]).toMatchObject({ issued: false, code: null, reason: 'VOUCHER_LIMIT_REACHED' });

    await run(app, campaignAction('pausePartnerCampaign'), { campaignId: campaign.id });
    expect((await order(app, cart)).partnerVouchers[0]).toMatchObject({ issued: false, reason: 'CAMPAIGN_NOT_ACTIVE' });
    await run(app, campaignAction('resumePartnerCampaign'), { campaignId: campaign.id });
    await graphql(app, `mutation($input: UpdatePartnerInput!) { updatePartner(input: $input) { __typename } }`, {
      input: { partnerId: bakery.id, status: 'SUSPENDED' },
    });
    expect((await order(app, cart)).partnerVouchers[0]).toMatchObject({ issued: false, reason: 'PARTNER_SUSPENDED' });
    expect((await campaignOf(app, campaign.id)).vouchersIssued).toBe(1);
  });

  it('100 qualifying orders at the same instant against a voucher limit of 37 give exactly 37 vouchers and record all 100 orders', async () => {
    app = await createTestApp();
    const { campaign } = await partnerGift(app, { voucherLimit: 37 });
    const members = (
      await importMembers(
        app,
        Array.from({ length: 100 }, (_, index) => ({ externalId: `m-${index}`, email: `m${index}@example.com` })),
      )
    ).created;
    expect(members).toBe(100);
    const ids = (await app.client.execute({ sql: "select id from members where program_id = 'acme' order by id", args: [] })).rows.map(
      (row) => Buffer.from(`Member:${row.id}`).toString('base64'),
    );
    const results = await Promise.all(
      ids.map((memberId, index) => order(app!, { memberId, orderId: `race-${index}`, total: 3000, lines: [line('LATTE', 1, 3000)] })),
    );
    expect(results.every((result) => result.__typename === 'RecordOrderPayload')).toBe(true);
    const outcomes = results.map((result) => result.partnerVouchers[0]);
    expect(outcomes.filter((outcome) => outcome.issued)).toHaveLength(37);
    expect(outcomes.filter((outcome) => outcome.reason === 'VOUCHER_LIMIT_REACHED')).toHaveLength(63);
    expect((await campaignOf(app, campaign.id)).vouchersIssued).toBe(37);
    const rows = await app.client.execute({ sql: 'select count(*) as n from partner_vouchers', args: [] });
    expect(Number(rows.rows[0]!.n)).toBe(37);
  });

  it('refuses a partnerVoucher effect naming an unknown, DRAFT or another program’s campaign (typed errors, nothing written)', async () => {
    app = await createTestApp();
    const bakery = await createPartner(app, { name: 'Bakery' });
    const draft = await run(
      app,
      CREATE_CAMPAIGN,
      { name: 'Draft', effect: { percentOff: { basisPoints: 1000 } }, budget: 1000, voucherLimit: 10 },
      await partnerToken(app, bakery),
    );
    const create = (campaignId: string, token?: string) =>
      run(
        app!,
        `mutation($input: CreateOfferInput!) { createOffer(input: $input) { __typename ${errorFields} ... on VoucherCampaignNotActiveError { status } } }`,
        {
          name: 'Gift',
          effect: { partnerVoucher: { campaignId } },
        },
        token,
      );
    expect((await create(draft.campaign.id)).__typename).toBe('VoucherCampaignNotActiveError');
    expect(await create(draft.campaign.id)).toMatchObject({ status: 'DRAFT' });
    expect((await create(Buffer.from('PartnerCampaign:nope').toString('base64'))).code).toBe('VOUCHER_CAMPAIGN_NOT_FOUND');
    expect((await create('not-a-global-id')).code).toBe('VOUCHER_CAMPAIGN_NOT_FOUND');
    const active = await activeCampaign(app, bakery);
    // Another tenant cannot point at this program's campaign.
    expect((await create(active.id, await app.token({ role: 'admin', programId: 'globex' }))).code).toBe('VOUCHER_CAMPAIGN_NOT_FOUND');
    // A partner campaign cannot give another partner's vouchers.
    const nested = await run(
      app,
      CREATE_CAMPAIGN,
      { name: 'Nested', effect: { partnerVoucher: { campaignId: active.id } }, budget: 1000, voucherLimit: 10 },
      await partnerToken(app, bakery),
    );
    expect(nested.__typename).toBe('InvalidInputError');
    const offers = await app.client.execute({ sql: "select count(*) as n from offers where name in ('Gift', 'Nested')", args: [] });
    expect(Number(offers.rows[0]!.n)).toBe(0);
  });
});

describe('publishPartnerCampaign', () => {
  it('gives every member of the audience one voucher, never twice, within the voucher limit; resumes after a failure mid-way', async () => {
    app = await createTestApp();
    const bakery = await createPartner(app, { name: 'Bakery' });
    const campaign = await activeCampaign(app, bakery, { voucherLimit: 1100 });
    await importMembers(
      app,
      Array.from({ length: 900 }, (_, index) => ({ externalId: `a-${index}`, email: `a${index}@example.com` })),
    );
    await importMembers(
      app,
      Array.from({ length: 300 }, (_, index) => ({ externalId: `b-${index}`, email: `b${index}@example.com` })),
    );
    const ids = (await app.client.execute({ sql: "select id from members where program_id = 'acme' order by id", args: [] })).rows.map(
      (row) => String(row.id),
    );
    // The 700th member's voucher fails to write: the run stops with an error after its first chunk of 500.
    await app.client.execute(
      `create trigger fail_publish before insert on partner_vouchers when new.member_id = '${ids[699]}' begin select raise(abort, 'disk full'); end`,
    );
    const first = await run(app, PUBLISH, { campaignId: campaign.id, audience: { all: true } });
    expect(first.publication).toMatchObject({ status: 'RUNNING', issued: 500, allMembers: true });
    const runs = await graphql(
      app,
      `{ jobRuns(first: 5, job: PUBLISH_PARTNER_CAMPAIGNS) { edges { node { processed finishedAt error cursor } } } }`,
      {},
    );
    expect(runs.jobRuns.edges[0].node).toMatchObject({ processed: 500, error: expect.stringContaining('disk full') });

    await app.client.execute('drop trigger fail_publish');
    const resumed = await graphql(
      app,
      `mutation { runJob(input: { job: PUBLISH_PARTNER_CAMPAIGNS }) { ... on RunJobPayload { run { processed finishedAt error } } } }`,
      {},
    );
    expect(resumed.runJob.run).toMatchObject({ processed: 600, error: null });
    const state = await campaignOf(app, campaign.id);
    expect(state.publications).toEqual([{ status: 'DONE', issued: 1100, stoppedBy: 'VOUCHER_LIMIT_REACHED' }]);
    expect(state.vouchersIssued).toBe(1100);
    const perMember = await app.client.execute({
      sql: 'select count(*) as n, count(distinct member_id) as members, min(member_id) as first, max(member_id) as last from partner_vouchers',
      args: [],
    });
    expect(perMember.rows[0]).toMatchObject({ n: 1100, members: 1100, first: ids[0], last: ids[1099] });

    // Publishing again gives nobody a second voucher; the limit stops it before the last 100.
    const again = await run(app, PUBLISH, { campaignId: campaign.id, audience: { all: true } });
    expect(again.publication).toMatchObject({ status: 'DONE', issued: 0, stoppedBy: 'VOUCHER_LIMIT_REACHED' });
    // A campaign with room for everyone: all 1,200 once, and a second publication gives none.
    const roomy = await activeCampaign(app, bakery, { voucherLimit: 5000 });
    expect((await run(app, PUBLISH, { campaignId: roomy.id, audience: { all: true } })).publication).toMatchObject({
      status: 'DONE',
      issued: 1200,
      stoppedBy: null,
    });
    expect((await run(app, PUBLISH, { campaignId: roomy.id, audience: { all: true } })).publication).toMatchObject({
      status: 'DONE',
      issued: 0,
      stoppedBy: null,
    });
    const total = await app.client.execute({
      sql: 'select campaign_id, count(*) as n, count(distinct member_id) as members from partner_vouchers group by campaign_id order by n',
      args: [],
    });
    expect(total.rows.map((row) => [Number(row.n), Number(row.members)])).toEqual([
      [1100, 1100],
      [1200, 1200],
    ]);
  }, 60_000);

  it('targets tiers and segments; refuses bad audiences, unknown ids, a partner token and a campaign that is not ACTIVE', async () => {
    app = await createTestApp();
    const tiers = await setUpTiers(app);
    const bakery = await createPartner(app, { name: 'Bakery' });
    const campaign = await activeCampaign(app, bakery);
    const silver = await enroll(app, { email: 'silver@example.com' });
    await recordOrder(app, { memberId: silver.globalId, total: 10_000, lines: [line('X', 1, 10_000)] });
    const vip = await enroll(app, { email: 'vip@example.com', tags: ['vip'] });
    const plain = await enroll(app, { email: 'plain@example.com' });
    const segment = (await createSegment(app, { tags: { any: ['vip'] } }, 'VIPs')).segment;

    const byTier = await run(app, PUBLISH, { campaignId: campaign.id, audience: { tierIds: [tiers.Silver!.id] } });
    expect(byTier.publication).toMatchObject({ status: 'DONE', issued: 1, tierIds: [tiers.Silver!.id] });
    const bySegment = await run(app, PUBLISH, { campaignId: campaign.id, audience: { segmentIds: [segment.id] } });
    expect(bySegment.publication).toMatchObject({ status: 'DONE', issued: 1, segmentIds: [segment.id] });
    const held = async (member: { globalId: string }) => (await memberVouchers(app!, member.globalId)).vouchers.edges.length;
    expect([await held(silver), await held(vip), await held(plain)]).toEqual([1, 1, 0]);

    for (const audience of [{}, { all: true, tierIds: [tiers.Silver!.id] }, { all: false }, { tierIds: [] }]) {
      expect((await run(app, PUBLISH, { campaignId: campaign.id, audience })).__typename, JSON.stringify(audience)).toBe(
        'InvalidInputError',
      );
    }
    const unknownTier = await run(app, PUBLISH, {
      campaignId: campaign.id,
      audience: { tierIds: [Buffer.from('Tier:nope').toString('base64')] },
    });
    expect(unknownTier.issues[0].path).toEqual(['input', 'audience', 'tierIds']);
    const partnerCall = await app.graphql(
      PUBLISH,
      { input: { campaignId: campaign.id, audience: { all: true } } },
      await partnerToken(app, bakery),
    );
    expect(partnerCall.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await run(app, campaignAction('pausePartnerCampaign'), { campaignId: campaign.id });
    expect((await run(app, PUBLISH, { campaignId: campaign.id, audience: { all: true } })).code).toBe('CAMPAIGN_TRANSITION_NOT_ALLOWED');
    expect(
      (await run(app, PUBLISH, { campaignId: Buffer.from('PartnerCampaign:nope').toString('base64'), audience: { all: true } })).code,
    ).toBe('PARTNER_CAMPAIGN_NOT_FOUND');
  });
  it('gives no voucher to the control group of the experiment the campaign names (recorded as exposed) nor to the global control group', async () => {
    app = await createTestApp();
    const experiment = await graphql(
      app,
      `mutation($input: CreateExperimentInput!) { createExperiment(input: $input) { ... on ExperimentPayload { experiment { id } } } }`,
      { input: { name: 'Bakery pilot', holdoutBasisPoints: 5000, startsAt: '2026-11-01T00:00:00Z', endsAt: '2026-12-31T00:00:00Z' } },
    );
    const experimentId = experiment.createExperiment.experiment.id;
    await importMembers(
      app,
      Array.from({ length: 60 }, (_, index) => ({ externalId: `p-${index}`, email: `p${index}@example.com` })),
    );
    const bakery = await createPartner(app, { name: 'Bakery' });
    const piloted = await activeCampaign(app, bakery, { conditions: { experimentId } });
    const plain = await activeCampaign(app, bakery, { name: 'Plain bakery voucher' });
    const membersNow = async () =>
      (
        await graphql(app!, `{ members(first: 100) { edges { node { id experiments { arm } inGlobalControlGroup } } } }`, {})
      ).members.edges.map((edge: any) => edge.node) as Array<{
        id: string;
        experiments: Array<{ arm: string }>;
        inGlobalControlGroup: boolean;
      }>;
    const vouchersOf = async (campaignId: string) =>
      new Set(
        (
          await app!.client.execute({
            sql: 'select member_id from partner_vouchers where campaign_id = ? and publication_id is not null',
            args: [Buffer.from(campaignId, 'base64').toString().split(':')[1]!],
          })
        ).rows.map((row) => String(row.member_id)),
      );
    const localId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

    const members = await membersNow();
    const control = members.filter((member) => member.experiments[0]!.arm === 'CONTROL');
    expect(control.length).toBeGreaterThan(10);
    expect(control.length).toBeLessThan(50);
    const published = await run(app, PUBLISH, { campaignId: piloted.id, audience: { all: true } });
    expect(published.publication).toMatchObject({ status: 'DONE', issued: 60 - control.length, stoppedBy: null });
    const given = await vouchersOf(piloted.id);
    for (const member of members) expect(given.has(localId(member.id)), member.id).toBe(member.experiments[0]!.arm === 'TREATMENT');
    const exposures = await graphql(app, `query($id: ID!) { experiment(id: $id) { exposures { treatment control } } }`, {
      id: experimentId,
    });
    expect(exposures.experiment.exposures).toEqual({ treatment: 60 - control.length, control: control.length });

    // The global control group gets no published voucher of any campaign, with or without an experiment.
    await graphql(app, `mutation { setGlobalControlGroup(input: { basisPoints: 3000 }) { __typename } }`, {});
    const global = new Set((await membersNow()).filter((member) => member.inGlobalControlGroup).map((member) => localId(member.id)));
    expect(global.size).toBeGreaterThan(5);
    expect((await run(app, PUBLISH, { campaignId: plain.id, audience: { all: true } })).publication).toMatchObject({
      status: 'DONE',
      issued: 60 - global.size,
    });
    const plainGiven = await vouchersOf(plain.id);
    for (const member of members) expect(plainGiven.has(localId(member.id))).toBe(!global.has(localId(member.id)));
  }, 60_000);
});

describe('redeemVoucher at the partner’s till', () => {
  it('redeems its own campaigns’ vouchers once, idempotently by order reference, and settles the host’s part and the fee', async () => {
    app = await createTestApp();
    const bakery = await createPartner(app, { name: 'Bakery', costShareBasisPoints: 6000, feePerRedemption: 15 });
    const florist = await createPartner(app, { name: 'Florist' });
    await moveFunds(app, DEPOSIT, { partnerId: bakery.id, amount: 1000 });
    const campaign = await activeCampaign(app, bakery, { effect: { percentOff: { basisPoints: 2000 } }, budget: 500 });
    const floristCampaign = await activeCampaign(app, florist);
    const ada = await enroll(app, { email: 'ada@example.com' });
    await run(app, PUBLISH, { campaignId: campaign.id, audience: { all: true } });
    await run(app, PUBLISH, { campaignId: floristCampaign.id, audience: { all: true } });
    const codes = Object.fromEntries(
      (await memberVouchers(app, ada.globalId)).vouchers.edges.map((edge: any) => [edge.node.partnerName, edge.node.code]),
    );
    const token = await partnerToken(app, bakery);
    const redeem = (input: Record<string, unknown>, as = token) => run(app!, REDEEM_VOUCHER, input, as);

    const redeemed = await redeem({ code: codes.Bakery.toLowerCase(), orderReference: 'bakery-1', amount: 1500 });
    expect(redeemed).toMatchObject({
      __typename: 'RedeemVoucherPayload',
      code: codes.Bakery,
      amount: 1500,
      discount: 300,
      amountToPay: 1200,
      partnerShare: 180,
      hostShare: 120,
      fee: 15,
      replayed: false,
      campaign: { id: campaign.id },
    });
    const replay = await redeem({ code: codes.Bakery, orderReference: 'bakery-1', amount: 1500 });
    expect(replay, JSON.stringify(replay)).toMatchObject({ replayed: true, discount: 300 });
    expect((await redeem({ code: codes.Bakery, orderReference: 'bakery-1', amount: 1600 })).code).toBe('IDEMPOTENCY_CONFLICT');
    expect((await redeem({ code: codes.Bakery, orderReference: 'bakery-2', amount: 1500 })).code).toBe('VOUCHER_ALREADY_REDEEMED');
    expect((await redeem({ code: codes.Florist, orderReference: 'bakery-3', amount: 1500 })).code).toBe('VOUCHER_OF_ANOTHER_PARTNER');
    expect((await redeem({ code: 'NO-SUCH-CODE', orderReference: 'bakery-4', amount: 1500 })).code).toBe('VOUCHER_NOT_FOUND');
    for (const amount of [0, -5, MAX_AMOUNT + 1]) {
      expect((await redeem({ code: codes.Florist, orderReference: 'bad', amount })).__typename).toBe('InvalidInputError');
    }
    // The host redeems on a partner's behalf only naming it; a partner never for another; a member never.
    const asAdmin = await run(app, REDEEM_VOUCHER, { code: codes.Florist, orderReference: 'x', amount: 100 });
    expect(asAdmin.issues[0].path).toEqual(['input', 'partnerId']);
    const forOther = await redeem({ partnerId: florist.id, code: codes.Florist, orderReference: 'x', amount: 100 });
    expect(forOther.code).toBe('PARTNER_NOT_FOUND');
    const asMember = await app.graphql(
      REDEEM_VOUCHER,
      { input: { code: codes.Florist, orderReference: 'x', amount: 100 } },
      await app.token({ role: 'member', subject: ada.memberId }),
    );
    expect(asMember.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const onBehalf = await run(app, REDEEM_VOUCHER, {
      partnerId: florist.id,
      code: codes.Florist,
      orderReference: 'florist-1',
      amount: 100,
    });
    expect(onBehalf).toMatchObject({ __typename: 'RedeemVoucherPayload', discount: 20 });

    expect(
      (await memberVouchers(app, ada.globalId)).vouchers.edges.find((edge: any) => edge.node.partnerName === 'Bakery').node.status,
    ).toBe('REDEEMED');
    const state = await campaignOf(app, campaign.id);
    expect(state).toMatchObject({ redemptions: 1, discountGiven: 300 });
    const statement = await graphql(
      app,
      `query($id: ID!) { settlementStatement(partnerId: $id, from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z") {
        ... on SettlementStatement { lines { kind orderReference discount partnerShare fee } totals { discount partnerShare fees total } } } }`,
      { id: bakery.id },
      token,
    );
    expect(statement.settlementStatement.lines).toHaveLength(2);
    expect(statement.settlementStatement.lines).toEqual(
      expect.arrayContaining([
        { kind: 'PARTNER_HOST_SHARE', orderReference: 'bakery-1', discount: 300, partnerShare: -120, fee: 0 },
        { kind: 'PARTNER_FEE', orderReference: 'bakery-1', discount: 0, partnerShare: 0, fee: 15 },
      ]),
    );
    expect(statement.settlementStatement.totals).toEqual({ discount: 300, partnerShare: -120, fees: 15, total: -105 });
    const balance = await graphql(app, `query($id: ID!) { partner(id: $id) { balance } }`, { id: bakery.id });
    expect(balance.partner.balance).toBe(1000 + 105);
  });

  it('refuses void, expired, paused-campaign and over-budget vouchers with typed errors, moving nothing', async () => {
    app = await createTestApp();
    const bakery = await createPartner(app, { name: 'Bakery', costShareBasisPoints: 10_000 });
    const { campaign } = {
      campaign: await activeCampaign(app, bakery, { effect: { amountOff: { amount: 400 } }, budget: 500, endsAt: '2026-12-31T00:00:00Z' }),
    };
    const gift = await createOffer(app, { name: 'Gift', effect: { partnerVoucher: { campaignId: campaign.id } } });
    expect(gift.id).toBeTruthy();
    const ada = await enroll(app, { email: 'ada@example.com' });
    const earned = await order(app, { memberId: ada.globalId, total: 1000, lines: [line('LATTE', 1, 1000)] });
    await refundOrder(app, { orderId: earned.orderId, amount: 1000 });
    const token = await partnerToken(app, bakery);
    const redeem = (input: Record<string, unknown>) => run(app!, REDEEM_VOUCHER, input, token);
    expect((await redeem({ code: earned.partnerVouchers[0].code, orderReference: 'r-1', amount: 1000 })).code).toBe('VOUCHER_VOID');

    const [first, second] = (await run(app, GENERATE_VOUCHERS, { campaignId: campaign.id, count: 2 }, token)).vouchers.edges.map(
      (edge: any) => edge.node.code,
    );
    expect(await redeem({ code: first, orderReference: 'r-2', amount: 1000 })).toMatchObject({ discount: 400, hostShare: 0, fee: 0 });
    // 100 of the budget is left: the next voucher takes off no more.
    expect(await redeem({ code: second, orderReference: 'r-3', amount: 1000 })).toMatchObject({ discount: 100 });
    const [third] = (await run(app, GENERATE_VOUCHERS, { campaignId: campaign.id, count: 1 }, token)).vouchers.edges.map(
      (edge: any) => edge.node.code,
    );
    expect(await redeem({ code: third, orderReference: 'r-4', amount: 1000 })).toMatchObject({
      code: 'VOUCHER_NOT_REDEEMABLE',
      reason: 'BUDGET_EXHAUSTED',
    });
    await run(app, campaignAction('pausePartnerCampaign'), { campaignId: campaign.id }, token);
    expect(await redeem({ code: third, orderReference: 'r-5', amount: 1000 })).toMatchObject({ reason: 'INACTIVE' });
    await run(app, campaignAction('resumePartnerCampaign'), { campaignId: campaign.id }, token);
    app.clock.set('2027-01-01T00:00:00Z');
    expect(await redeem({ code: third, orderReference: 'r-6', amount: 1000 })).toMatchObject({
      code: 'VOUCHER_EXPIRED',
      expiredAt: '2026-12-31T00:00:00.000Z',
    });
    const rows = await app.client.execute({ sql: 'select count(*) as n from partner_till_redemptions', args: [] });
    expect(Number(rows.rows[0]!.n)).toBe(2);
  });
});

describe('partner stats by day', () => {
  it('count issued and redeemed vouchers, the discount funded and the order value per UTC day; a partner sees only its own', async () => {
    app = await createTestApp();
    const { bakery, campaign } = await partnerGift(app, { effect: { amountOff: { amount: 500 } } });
    const florist = await createPartner(app, { name: 'Florist' });
    const ada = await enroll(app, { email: 'ada@example.com' });
    const bob = await enroll(app, { email: 'bob@example.com' });
    await order(app, { memberId: ada.globalId, total: 3000, lines: [line('LATTE', 1, 3000)] });
    await order(app, { memberId: bob.globalId, total: 3000, lines: [line('LATTE', 1, 3000)] });
    app.clock.set('2026-11-24T09:00:00Z');
    await order(app, { memberId: ada.globalId, total: 2000, lines: [line('BREAD', 1, 2000)] });
    const [code] = (
      await run(app, GENERATE_VOUCHERS, { campaignId: campaign.id, count: 3 }, await partnerToken(app, bakery))
    ).vouchers.edges.map((edge: any) => edge.node.code);
    await run(app, REDEEM_VOUCHER, { code, orderReference: 'till-1', amount: 800 }, await partnerToken(app, bakery));

    const window = { partnerId: bakery.id, from: '2026-11-23T00:00:00Z', to: '2026-11-25T00:00:00Z' };
    const stats = (await graphql(app, STATS, window, await partnerToken(app, bakery))).partnerStats;
    expect(stats.days).toEqual([
      { day: '2026-11-23T00:00:00.000Z', issued: 2, redeemed: 0, redemptionRate: 0, discountFunded: 0, orderValueInfluenced: 0 },
      { day: '2026-11-24T00:00:00.000Z', issued: 3, redeemed: 2, redemptionRate: 0.6667, discountFunded: 1000, orderValueInfluenced: 2800 },
    ]);
    expect(stats.totals).toEqual({ issued: 5, redeemed: 2, redemptionRate: 0.4, discountFunded: 1000, orderValueInfluenced: 2800 });

    const asFlorist = (await graphql(app, STATS, window, await partnerToken(app, florist))).partnerStats;
    expect(asFlorist.code).toBe('PARTNER_NOT_FOUND');
    const asAdmin = (await graphql(app, STATS, window)).partnerStats;
    expect(asAdmin.totals.issued).toBe(5);
    for (const bad of [
      { ...window, to: window.from },
      { ...window, to: '2028-01-01T00:00:00Z' },
    ]) {
      expect((await graphql(app, STATS, bad)).partnerStats.__typename).toBe('InvalidInputError');
    }
    const asMember = await app.graphql(STATS, window, await app.token({ role: 'member', subject: ada.memberId }));
    expect(asMember.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('campaign conditions and voucher issue', () => {
  it('shows a campaign’s conditions, refuses unknown tiers and segments with the path, and writes codes and counter together', async () => {
    app = await createTestApp();
    const tiers = await setUpTiers(app);
    const bakery = await createPartner(app, { name: 'Bakery' });
    const token = await partnerToken(app, bakery);
    const create = (conditions: Record<string, unknown>) =>
      run(
        app!,
        CREATE_CAMPAIGN,
        { name: 'C', effect: { percentOff: { basisPoints: 1000 } }, budget: 1000, voucherLimit: 10, conditions },
        token,
      );
    const created = await create({ tierIds: [tiers.Gold!.id], minimumSpend: 2500 });
    expect(created.__typename).toBe('PartnerCampaignPayload');
    const shown = await campaignOf(app, created.campaign.id);
    expect(shown.conditions).toEqual({ tierIds: [tiers.Gold!.id], segmentIds: [], minimumSpend: 2500, audience: 'EVERYONE' });
    const unknownTier = await create({ tierIds: [Buffer.from('Tier:nope').toString('base64')] });
    expect(unknownTier.issues).toEqual([{ path: ['input', 'conditions', 'tierIds'], message: expect.any(String) }]);
    const unknownSegment = await create({ segmentIds: [Buffer.from('Segment:nope').toString('base64')] });
    expect(unknownSegment.issues[0].path).toEqual(['input', 'conditions', 'segmentIds']);
    const notAnId = await create({ tierIds: ['Gold'] });
    expect(notAnId.issues[0].path).toEqual(['input', 'conditions', 'tierIds']);
    const updated = await run(app, UPDATE_CAMPAIGN, { campaignId: created.campaign.id, conditions: { tierIds: ['x'] } }, token);
    expect(updated.__typename).toBe('InvalidInputError');

    // A code write that fails leaves the voucher counter where it was: one batch.
    const campaign = await activeCampaign(app, bakery, { voucherLimit: 10 });
    await app.client.execute(`create trigger fail_codes before insert on promo_codes begin select raise(abort, 'disk full'); end`);
    const failed = await app.graphql(GENERATE_VOUCHERS, { input: { campaignId: campaign.id, count: 5 } }, token);
    expect(failed.errors).toBeDefined();
    await app.client.execute('drop trigger fail_codes');
    expect((await campaignOf(app, campaign.id)).vouchersIssued).toBe(0);
    const batch = await run(app, GENERATE_VOUCHERS, { campaignId: campaign.id, count: 10 }, token);
    expect(batch.count).toBe(10);
    expect((await campaignOf(app, campaign.id)).vouchersIssued).toBe(10);
  });
});
