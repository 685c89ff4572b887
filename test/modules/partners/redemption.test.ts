import { afterEach, describe, expect, it } from 'vitest';
import { closeSoundly } from '../../support/ledger';
import { enroll } from '../../support/members';
import { line, quote, recordOrder, refundOrder } from '../../support/offers';
import { createTestApp, type TestApp } from '../../support/test-app';
import {
  DEPOSIT,
  GENERATE_VOUCHERS,
  UPDATE_PARTNER,
  activeCampaign,
  campaignAction,
  createPartner,
  moveFunds,
  partnerToken,
  run,
} from '../../support/partners';

let app: TestApp | undefined;
afterEach(async () => {
  if (app) await closeSoundly(app);
  app = undefined;
});

const BALANCE = `query($id: ID!) { partner(id: $id) { balance } }`;
async function balanceOf(partner: { id: string }) {
  return (await app!.graphql(BALANCE, { id: partner.id }, await app!.token({ role: 'admin' }))).data!.partner.balance as number;
}

async function vouchers(partner: { partnerId: string }, campaign: { id: string }, count: number): Promise<string[]> {
  const batch = await run(app!, GENERATE_VOUCHERS, { campaignId: campaign.id, count }, await partnerToken(app!, partner));
  return batch.vouchers.edges.map((edge: any) => edge.node.code);
}

const cart = (memberId: string, code: string) => ({ memberId, total: 1000, lines: [line('BREAD', 2, 500)], codes: [code] });

describe('partner funding of redemptions', () => {
  it('a prepaid partner pays its share and fee in the order’s batch; refunds give the share back in proportion, the fee with the full refund', async () => {
    app = await createTestApp();
    const bakery = await createPartner(app, { costShareBasisPoints: 5000, feePerRedemption: 25 });
    await moveFunds(app, DEPOSIT, { partnerId: bakery.id, amount: 1000 });
    const campaign = await activeCampaign(app, bakery, { effect: { amountOff: { amount: 300 } } });
    const [code] = await vouchers(bakery, campaign, 1);
    const ada = await enroll(app, { email: 'ada@example.com' });

    const order = await recordOrder(app, { ...cart(ada.globalId, code!), orderId: 'bakery-1' });
    expect(order.discount.amount).toBe(300);
    expect(await balanceOf(bakery)).toBe(1000 - 150 - 25);

    await refundOrder(app, { orderId: 'bakery-1', amount: 350 });
    expect(await balanceOf(bakery)).toBe(825 + 75);
    await refundOrder(app, { orderId: 'bakery-1', amount: 349 });
    expect(await balanceOf(bakery)).toBe(900 + 74);
    await refundOrder(app, { orderId: 'bakery-1', amount: 1 });
    expect(await balanceOf(bakery)).toBe(1000);
  });

  it('a postpaid partner’s share goes onto its receivable, within its credit limit', async () => {
    app = await createTestApp();
    const florist = await createPartner(app, { funding: 'POSTPAID', creditLimit: 400, costShareBasisPoints: 10_000 });
    const campaign = await activeCampaign(app, florist, { effect: { amountOff: { amount: 300 } } });
    const [first, second] = await vouchers(florist, campaign, 2);
    const ada = await enroll(app, { email: 'ada@example.com' });
    expect((await recordOrder(app, cart(ada.globalId, first!))).discount.amount).toBe(300);
    expect(await balanceOf(florist)).toBe(-300);
    const refused = await recordOrder(app, cart(ada.globalId, second!));
    expect(refused.discount.amount).toBe(0);
    expect(refused.notApplied).toEqual([expect.objectContaining({ code: second, reason: 'PARTNER_BUDGET_EXHAUSTED' })]);
    expect(await balanceOf(florist)).toBe(-300);
  });

  it('says PARTNER_BUDGET_EXHAUSTED, PARTNER_SUSPENDED and VOUCHER_VOID, and charges nothing then', async () => {
    app = await createTestApp();
    const bakery = await createPartner(app, { costShareBasisPoints: 10_000 });
    await moveFunds(app, DEPOSIT, { partnerId: bakery.id, amount: 299 });
    const campaign = await activeCampaign(app, bakery, { effect: { amountOff: { amount: 300 } } });
    const [code] = await vouchers(bakery, campaign, 1);
    const ada = await enroll(app, { email: 'ada@example.com' });
    const reasonOf = async () => (await quote(app!, cart(ada.globalId, code!))).notApplied.map((entry: any) => entry.reason);

    expect(await reasonOf()).toEqual(['PARTNER_BUDGET_EXHAUSTED']);
    await moveFunds(app, DEPOSIT, { partnerId: bakery.id, amount: 1 });
    expect(await reasonOf()).toEqual([]);
    await run(app, UPDATE_PARTNER, { partnerId: bakery.id, status: 'SUSPENDED' });
    expect(await reasonOf()).toEqual(['PARTNER_SUSPENDED']);
    await run(app, UPDATE_PARTNER, { partnerId: bakery.id, status: 'ACTIVE' });
    await run(app, campaignAction('endPartnerCampaign'), { campaignId: campaign.id });
    expect(await reasonOf()).toEqual(['VOUCHER_VOID']);
    expect(await balanceOf(bakery)).toBe(300);
  });

  it('100 redemptions at the same instant against a deposit that covers 37 give exactly 37', async () => {
    app = await createTestApp({ networkLatency: true });
    const bakery = await createPartner(app, { costShareBasisPoints: 10_000 });
    await moveFunds(app, DEPOSIT, { partnerId: bakery.id, amount: 3700 });
    const campaign = await activeCampaign(app, bakery, { effect: { amountOff: { amount: 100 } }, budget: 1_000_000 });
    const codes = await vouchers(bakery, campaign, 100);
    const members = [];
    for (let index = 0; index < 100; index++) members.push(await enroll(app, { email: `m${index}@example.com` }));
    const storefront = await app.token({ role: 'storefront' });
    const results = await Promise.all(members.map((member, index) => recordOrder(app!, cart(member.globalId, codes[index]!), storefront)));
    expect(results.filter((result) => result.discount?.amount === 100)).toHaveLength(37);
    expect(results.filter((result) => result.notApplied?.[0]?.reason === 'PARTNER_BUDGET_EXHAUSTED')).toHaveLength(63);
    expect(await balanceOf(bakery)).toBe(0);
  });
});
