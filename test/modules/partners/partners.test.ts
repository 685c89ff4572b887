import { afterEach, describe, expect, it } from 'vitest';
import { closeSoundly } from '../../support/ledger';
import { createTestApp, type TestApp } from '../../support/test-app';
import { CREATE_PARTNER, DEPOSIT, UPDATE_PARTNER, WITHDRAW, createPartner, moveFunds, partnerToken, run } from '../../support/partners';

let app: TestApp | undefined;
afterEach(async () => {
  if (app) await closeSoundly(app);
  app = undefined;
});

const PARTNER = `query($id: ID!) { partner(id: $id) { id name balance } }`;

describe('partners (admin)', () => {
  it('creates prepaid and postpaid partners with their terms, lists them and changes them', async () => {
    app = await createTestApp();
    const bakery = await createPartner(app, { name: 'Bakery Bros', contactEmail: 'hello@bakery.example', feePerRedemption: 25 });
    expect(bakery).toMatchObject({
      name: 'Bakery Bros',
      status: 'ACTIVE',
      funding: 'PREPAID',
      currency: 'EUR',
      creditLimit: null,
      costShareBasisPoints: 10_000,
      feePerRedemption: 25,
      balance: 0,
    });
    const florist = await createPartner(app, { name: 'Florist', funding: 'POSTPAID', creditLimit: 50_000, costShareBasisPoints: 5000 });
    expect(florist).toMatchObject({ funding: 'POSTPAID', creditLimit: 50_000, feePerRedemption: 0 });

    const list = await app.graphql(`{ partners(first: 10) { edges { node { name } } } }`, {}, await app.token({ role: 'admin' }));
    expect(list.data!.partners.edges.map((edge: any) => edge.node.name)).toEqual(['Bakery Bros', 'Florist']);

    const updated = await run(app, UPDATE_PARTNER, { partnerId: florist.id, costShareBasisPoints: 7500, status: 'SUSPENDED' });
    expect(updated.partner).toMatchObject({ costShareBasisPoints: 7500, status: 'SUSPENDED', creditLimit: 50_000 });
  });

  it('refuses bad terms with typed errors and writes nothing', async () => {
    app = await createTestApp();
    const cases = [
      { funding: 'POSTPAID', costShareBasisPoints: 5000 },
      { funding: 'PREPAID', creditLimit: 100, costShareBasisPoints: 5000 },
      { funding: 'PREPAID', costShareBasisPoints: 10_001 },
      { funding: 'PREPAID', costShareBasisPoints: -1 },
      { funding: 'PREPAID', costShareBasisPoints: 0, feePerRedemption: -5 },
      { funding: 'PREPAID', costShareBasisPoints: 0, feePerRedemption: 100_000_000_001 },
      { funding: 'PREPAID', costShareBasisPoints: 0, contactEmail: 'not-an-email' },
    ];
    for (const input of cases) {
      expect((await run(app, CREATE_PARTNER, { name: 'Bad', ...input })).__typename, JSON.stringify(input)).toBe('InvalidInputError');
    }
    const list = await app.graphql(`{ partners(first: 10) { edges { node { name } } } }`, {}, await app.token({ role: 'admin' }));
    expect(list.data!.partners.edges).toEqual([]);
    const bakery = await createPartner(app);
    expect((await run(app, UPDATE_PARTNER, { partnerId: bakery.id, funding: 'POSTPAID' })).__typename).toBe('InvalidInputError');
    expect((await run(app, UPDATE_PARTNER, { partnerId: 'UGFydG5lcjpub3BlCg==', name: 'x' })).__typename).toBe('PartnerNotFoundError');
  });
});

describe('partner funds', () => {
  it('deposits and withdraws idempotently, never below zero', async () => {
    app = await createTestApp();
    const bakery = await createPartner(app);
    const first = await moveFunds(app, DEPOSIT, { partnerId: bakery.id, amount: 10_000, idempotencyKey: 'dep-1', reference: 'wire 42' });
    expect(first).toMatchObject({ __typename: 'PartnerFundsPayload', amount: 10_000, balance: 10_000, replayed: false });
    const again = await moveFunds(app, DEPOSIT, { partnerId: bakery.id, amount: 10_000, idempotencyKey: 'dep-1', reference: 'wire 42' });
    expect(again).toMatchObject({ balance: 10_000, replayed: true, partner: { balance: 10_000 } });
    expect((await moveFunds(app, DEPOSIT, { partnerId: bakery.id, amount: 5, idempotencyKey: 'dep-1' })).code).toBe('IDEMPOTENCY_CONFLICT');

    expect(await moveFunds(app, WITHDRAW, { partnerId: bakery.id, amount: 10_001 })).toMatchObject({
      __typename: 'InsufficientPartnerFundsError',
      requested: 10_001,
      available: 10_000,
    });
    expect(await moveFunds(app, WITHDRAW, { partnerId: bakery.id, amount: 4000 })).toMatchObject({ balance: 6000 });
    for (const amount of [0, -1, 100_000_000_001]) {
      expect((await moveFunds(app, DEPOSIT, { partnerId: bakery.id, amount })).__typename, String(amount)).toBe('InvalidInputError');
    }
    const read = await app.graphql(PARTNER, { id: bakery.id }, await app.token({ role: 'admin' }));
    expect(read.data!.partner.balance).toBe(6000);
  });

  it('a postpaid partner pays into its receivable; its credit limit cannot drop below what it owes', async () => {
    app = await createTestApp();
    const florist = await createPartner(app, { funding: 'POSTPAID', creditLimit: 1000, costShareBasisPoints: 5000 });
    expect(await moveFunds(app, DEPOSIT, { partnerId: florist.id, amount: 300 })).toMatchObject({ balance: 300 });
    expect(await moveFunds(app, WITHDRAW, { partnerId: florist.id, amount: 301 })).toMatchObject({
      __typename: 'InsufficientPartnerFundsError',
      available: 300,
    });
    expect((await run(app, UPDATE_PARTNER, { partnerId: florist.id, creditLimit: 0 })).partner.creditLimit).toBe(0);
  });

  it('without the serializer, 10 withdrawals of 100 at the same instant from 370 leave exactly 3 through (the deposit floor)', async () => {
    app = await createTestApp({ networkLatency: true, withoutSerializer: true });
    const bakery = await createPartner(app);
    await moveFunds(app, DEPOSIT, { partnerId: bakery.id, amount: 370 });
    const results = await Promise.all(Array.from({ length: 10 }, () => moveFunds(app!, WITHDRAW, { partnerId: bakery.id, amount: 100 })));
    expect(results.filter((result) => result.__typename === 'PartnerFundsPayload')).toHaveLength(3);
    expect(results.filter((result) => result.__typename === 'InsufficientPartnerFundsError')).toHaveLength(7);
    const read = await app.graphql(PARTNER, { id: bakery.id }, await app.token({ role: 'admin' }));
    expect(read.data!.partner.balance).toBe(70);
  });
});

describe('partner tokens', () => {
  it('are refused for an unknown, suspended or archived partner; an active one sees only itself', async () => {
    app = await createTestApp();
    const bakery = await createPartner(app);
    const other = await createPartner(app, { name: 'Other' });
    const unknown = await app.graphql(`{ program { name } }`, {}, await app.token({ role: 'partner', partnerId: 'nope' }));
    expect(unknown.status).toBe(401);

    const token = await partnerToken(app, bakery);
    const own = await app.graphql(PARTNER, { id: bakery.id }, token);
    expect(own.data!.partner).toMatchObject({ name: 'Bakery Bros' });
    expect((await app.graphql(PARTNER, { id: other.id }, token)).data!.partner).toBeNull();
    const viaNode = await app.graphql(`query($id: ID!) { node(id: $id) { id } }`, { id: other.id }, token);
    expect(viaNode.data?.node ?? null).toBeNull();
    expect((await app.graphql(`{ partners(first: 5) { edges { node { id } } } }`, {}, token)).errors![0]!.extensions!.code).toBe(
      'FORBIDDEN',
    );
    const selfDeposit = await app.graphql(DEPOSIT, { input: { partnerId: bakery.id, amount: 1, idempotencyKey: 'self-deposit' } }, token);
    expect(selfDeposit.errors![0]!.extensions!.code).toBe('FORBIDDEN');

    for (const status of ['SUSPENDED', 'ARCHIVED']) {
      await run(app, UPDATE_PARTNER, { partnerId: bakery.id, status });
      expect((await app.graphql(PARTNER, { id: bakery.id }, token)).status, status).toBe(401);
    }
  });
});
