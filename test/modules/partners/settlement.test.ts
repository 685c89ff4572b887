import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_AMOUNT, MAX_BASIS_POINTS } from '../../../src/platform/bounds';
import { closeSoundly, inFreshApp } from '../../support/ledger';
import { enroll } from '../../support/members';
import { line, recordOrder, refundOrder } from '../../support/offers';
import { assertProperty, propertySettings } from '../../support/property';
import { createTestApp, type TestApp } from '../../support/test-app';
import {
  DEPOSIT,
  GENERATE_VOUCHERS,
  REDEEM_VOUCHER,
  activeCampaign,
  createPartner,
  moveFunds,
  partnerToken,
  run,
} from '../../support/partners';

const STATEMENT = `query($partnerId: ID!, $from: DateTime!, $to: DateTime!) { settlementStatement(partnerId: $partnerId, from: $from, to: $to) {
  __typename ... on Error { code } ... on InvalidInputError { issues { path message } }
  ... on SettlementStatement { currency csv lines { kind orderReference memberReference discount partnerShare fee } totals { discount partnerShare fees total } } } }`;
const CLOSE = `mutation($input: CloseSettlementPeriodInput!) { closeSettlementPeriod(input: $input) { __typename ... on Error { code } ... on InvalidInputError { issues { message } }
  ... on SettlementPeriod { from until totals { partnerShare fees total } } } }`;
const EPOCH = '1970-01-01T00:00:00.000Z';
const FAR = '2100-01-01T00:00:00.000Z';

async function statement(app: TestApp, partnerId: string, from = EPOCH, to = FAR, token?: string) {
  const response = await app.graphql(STATEMENT, { partnerId, from, to }, token ?? (await app.token({ role: 'admin' })));
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.settlementStatement as Record<string, any>;
}

async function vouchers(app: TestApp, partner: { partnerId: string }, campaign: { id: string }, count: number): Promise<string[]> {
  const batch = await run(app, GENERATE_VOUCHERS, { campaignId: campaign.id, count }, await partnerToken(app, partner));
  return batch.vouchers.edges.map((edge: any) => edge.node.code);
}

/** Σ of the partner's share and fee transfers minus their returns, straight from the ledger. */
async function ledgerNet(app: TestApp, partnerId: string): Promise<number> {
  const result = await app.client.execute({
    sql: `select coalesce(sum(case when t.kind like '%_return' or t.kind = 'partner_host_share' then -t.amount else t.amount end), 0) as net
      from transfers t join accounts a on a.id in (t.debit_account_id, t.credit_account_id) and a.owner_type = 'partner' and a.owner_id = ?
      where t.kind in ('partner_share', 'partner_fee', 'partner_share_return', 'partner_fee_return', 'partner_host_share')`,
    args: [partnerId],
  });
  return Number(result.rows[0]!.net);
}

let app: TestApp | undefined;
afterEach(async () => {
  if (app) await closeSoundly(app);
  app = undefined;
});

describe('settlement', () => {
  it('lists each redemption with a per-partner member reference; a closed period is frozen and a later refund lands in the next one', async () => {
    app = await createTestApp();
    const bakery = await createPartner(app, { costShareBasisPoints: 5000, feePerRedemption: 25 });
    const florist = await createPartner(app, { name: 'Florist', costShareBasisPoints: 10_000 });
    await moveFunds(app, DEPOSIT, { partnerId: bakery.id, amount: 10_000 });
    await moveFunds(app, DEPOSIT, { partnerId: florist.id, amount: 10_000 });
    const [bakeryCode] = await vouchers(app, bakery, await activeCampaign(app, bakery, { effect: { amountOff: { amount: 300 } } }), 1);
    const [floristCode] = await vouchers(app, florist, await activeCampaign(app, florist, { effect: { amountOff: { amount: 100 } } }), 1);
    const ada = await enroll(app, { email: 'ada@example.com' });
    await recordOrder(app, {
      memberId: ada.globalId,
      orderId: 'cafe-1',
      total: 1000,
      lines: [line('BREAD', 2, 500)],
      codes: [bakeryCode, floristCode],
    });

    const bakeryStatement = await statement(app, bakery.id, EPOCH, FAR, await partnerToken(app, bakery));
    expect(bakeryStatement.lines).toEqual([
      {
        kind: 'PARTNER_SHARE',
        orderReference: 'cafe-1',
        memberReference: expect.stringMatching(/^[0-9a-f]{24}$/),
        discount: 300,
        partnerShare: 150,
        fee: 0,
      },
      { kind: 'PARTNER_FEE', orderReference: 'cafe-1', memberReference: expect.any(String), discount: 0, partnerShare: 0, fee: 25 },
    ]);
    expect(bakeryStatement.totals).toEqual({ discount: 300, partnerShare: 150, fees: 25, total: 175 });
    expect(bakeryStatement.csv.split('\r\n')[0]).toBe('at,kind,order_reference,member_reference,discount,partner_share,fee');
    const floristStatement = await statement(app, florist.id);
    expect(floristStatement.lines[0].memberReference).not.toBe(bakeryStatement.lines[0].memberReference);
    expect(JSON.stringify(bakeryStatement)).not.toContain(ada.memberId);
    const foreign = await app.graphql(STATEMENT, { partnerId: florist.id, from: EPOCH, to: FAR }, await partnerToken(app, bakery));
    expect(foreign.data!.settlementStatement.code).toBe('PARTNER_NOT_FOUND');

    app.clock.set('2026-11-23T12:00:00.000Z');
    const closed = await run(app, CLOSE, { partnerId: bakery.id, until: '2026-11-23T11:00:00.000Z' });
    expect(closed).toMatchObject({ __typename: 'SettlementPeriod', from: EPOCH, totals: { partnerShare: 150, fees: 25, total: 175 } });
    expect(await run(app, CLOSE, { partnerId: bakery.id, until: '2026-11-23T11:00:00.000Z' })).toEqual(closed);
    expect((await run(app, CLOSE, { partnerId: bakery.id, until: '2026-11-23T13:00:00.000Z' })).__typename).toBe('InvalidInputError');
    expect((await run(app, CLOSE, { partnerId: bakery.id, until: '2026-11-23T10:30:00.000Z' })).__typename).toBe('InvalidInputError');

    await refundOrder(app, { orderId: 'cafe-1', amount: 600 });
    const frozen = await statement(app, bakery.id, EPOCH, '2026-11-23T11:00:00.000Z');
    expect(frozen.totals.total).toBe(175);
    const next = await statement(app, bakery.id, '2026-11-23T11:00:00.000Z', FAR);
    expect(next.lines).toEqual([
      expect.objectContaining({ kind: 'PARTNER_SHARE_RETURN', orderReference: 'cafe-1', partnerShare: -150 }),
      expect.objectContaining({ kind: 'PARTNER_FEE_RETURN', fee: -25 }),
    ]);
    expect(next.totals.total).toBe(-175);
  });

  const settings = propertySettings(8, 60);
  it(
    'statement totals equal the ledger’s transfers of the partner, on random orders, refunds and till redemptions up to the maxima',
    async () => {
      const action = fc.oneof(
        fc.record({ kind: fc.constant('order' as const), total: fc.integer({ min: 1, max: MAX_AMOUNT }) }),
        fc.record({ kind: fc.constant('refund' as const), order: fc.nat(), permille: fc.integer({ min: 1, max: 1000 }) }),
        fc.record({ kind: fc.constant('till' as const), amount: fc.integer({ min: 1, max: MAX_AMOUNT }) }),
      );
      await assertProperty(
        fc.asyncProperty(
          fc.integer({ min: 0, max: MAX_BASIS_POINTS }),
          fc.integer({ min: 0, max: MAX_AMOUNT }),
          fc.integer({ min: 1, max: MAX_AMOUNT }),
          fc.array(action, { minLength: 1, maxLength: 6 }),
          async (costShareBasisPoints, feePerRedemption, amountOff, actions) => {
            await inFreshApp(async (fresh) => {
              const partner = await createPartner(fresh, {
                funding: 'POSTPAID',
                creditLimit: MAX_AMOUNT,
                costShareBasisPoints,
                feePerRedemption,
              });
              const campaign = await activeCampaign(fresh, partner, { effect: { amountOff: { amount: amountOff } }, budget: MAX_AMOUNT });
              const codes = await vouchers(fresh, partner, campaign, actions.length);
              const member = await enroll(fresh, { email: 'prop@example.com' });
              const orders: Array<{ id: string; left: number }> = [];
              for (const [index, step] of actions.entries()) {
                if (step.kind === 'order') {
                  const id = `prop-${index}`;
                  const recorded = await recordOrder(fresh, {
                    memberId: member.globalId,
                    orderId: id,
                    total: step.total,
                    lines: [line('ITEM', 1, step.total)],
                    codes: [codes[index]],
                  });
                  orders.push({ id, left: step.total - recorded.discount.amount });
                } else if (step.kind === 'till') {
                  // The partner redeems at its own till: the host pays its part back, the partner its fee.
                  const redeemed = await run(
                    fresh,
                    REDEEM_VOUCHER,
                    { code: codes[index], orderReference: `till-${index}`, amount: step.amount },
                    await partnerToken(fresh, partner),
                  );
                  if (redeemed.__typename !== 'RedeemVoucherPayload')
                    expect(['BUDGET_EXHAUSTED', 'INSUFFICIENT_PARTNER_FUNDS']).toContain(redeemed.reason ?? redeemed.code);
                } else if (orders.length > 0) {
                  const order = orders[step.order % orders.length]!;
                  const amount = Math.floor((order.left * step.permille) / 1000);
                  if (amount === 0) continue;
                  await refundOrder(fresh, { orderId: order.id, amount });
                  order.left -= amount;
                }
              }
              const { totals, lines } = await statement(fresh, partner.id);
              expect(totals.total).toBe(await ledgerNet(fresh, partner.partnerId));
              expect(totals.partnerShare + totals.fees).toBe(totals.total);
              expect(lines.reduce((sum: number, entry: any) => sum + entry.partnerShare + entry.fee, 0)).toBe(totals.total);
              const balance = await fresh.graphql(
                `query($id: ID!) { partner(id: $id) { balance } }`,
                { id: partner.id },
                await fresh.token({ role: 'admin' }),
              );
              expect(balance.data!.partner.balance + totals.total).toBe(0);
            });
          },
        ),
        settings,
      );
    },
    settings.testTimeoutMs,
  );
});
