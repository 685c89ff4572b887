import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import {
  ADJUST,
  AUDIT,
  expectLedgerSound,
  memberLedger,
  mutate,
  RECORD_ORDER,
  REDEEM,
  REFUND_ORDER,
  REVERSE,
  RULES,
  setRules,
  SPEND_WALLET,
  TOP_UP,
  TRANSFERS,
  transfersOf,
  UPDATE_RULES,
  MEMBER_TRANSFER_FIELDS,
} from '../../support/ledger';
import type { Role } from '../../../src/platform/auth/principal';

/**
 * The ledger's read side from the outside (balances, lots and transfers as newest-first cursor
 * connections, the program's liability), and who may read and change what: roles and tenants.
 */
const LOTS = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $includeClosed: Boolean) { member(id: $id) {
  lots(first: $first, after: $after, last: $last, before: $before, includeClosed: $includeClosed) {
    edges { cursor node { amount remaining } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } } }`;
const LIABILITY = `{ program { liability { points value { amount currency } } } }`;
const MEMBER_LEDGER_READ = `query($id: ID!) { member(id: $id) { pointsBalance walletBalances { currency total }
  lots(first: 5) { edges { node { remaining } } } transfers(first: 5) { edges { node { id kind } } } } }`;
const ME_LEDGER = `{ me { pointsBalance walletBalances { currency total } lots(first: 5) { edges { node { remaining } } } transfers(first: 5) { edges { node { id kind } } } } }`;
const NODE_TRANSFER = `query($id: ID!) { node(id: $id) { __typename id ... on Transfer { ${MEMBER_TRANSFER_FIELDS} } } }`;
const MEMBERS_BALANCES = `{ members(first: 10) { edges { node { email pointsBalance } } } }`;

describe('balances, lots and transfers', () => {
  let app: TestApp;
  let member: { globalId: string; memberId: string };
  let admin: string;

  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.token({ role: 'admin' });
    member = await enroll(app, { email: 'ada@example.com' });
    // Five lots of 10, 20, 30, 40 and 50 points, a minute apart (so they expire in that order too).
    for (const [index, points] of [10, 20, 30, 40, 50].entries()) {
      app.clock.set(new Date(Date.UTC(2026, 10, 23, 10, index)));
      await mutate(app, ADJUST, { memberId: member.globalId, points, reason: `lot ${points}` });
    }
    // 30 points: all of the 10 and the 20 (the earliest expiries): those two lots are closed.
    await mutate(app, REDEEM, { memberId: member.globalId, points: 30 });
  });
  afterAll(async () => {
    await expectLedgerSound(app);
    app.close();
  });

  const lots = async (variables: Record<string, unknown>) => {
    const response = await app.graphql(LOTS, { id: member.globalId, ...variables }, admin);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data!.member.lots;
  };
  const amounts = (connection: { edges: Array<{ node: { amount?: number; kind?: string } }> }) =>
    connection.edges.map((edge) => edge.node.amount);

  it('shows the balance and no wallets yet', async () => {
    expect(await memberLedger(app, member.globalId)).toMatchObject({ pointsBalance: 120, walletBalances: [] }); // 150 − 30
  });

  it('lists open lots newest first, closed ones only with includeClosed', async () => {
    expect((await lots({ first: 10 })).edges.map((edge: any) => edge.node)).toEqual([
      { amount: 50, remaining: 50 },
      { amount: 40, remaining: 40 },
      { amount: 30, remaining: 30 },
    ]);
    expect(amounts(await lots({ first: 10, includeClosed: true }))).toEqual([50, 40, 30, 20, 10]);
  });

  it('pages through lots with first / after', async () => {
    const first = await lots({ first: 2, includeClosed: true });
    expect(amounts(first)).toEqual([50, 40]);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true });
    const second = await lots({ first: 2, after: first.pageInfo.endCursor, includeClosed: true });
    expect(amounts(second)).toEqual([30, 20]);
    expect(second.pageInfo).toMatchObject({ hasNextPage: true });
    const third = await lots({ first: 2, after: second.pageInfo.endCursor, includeClosed: true });
    expect(amounts(third)).toEqual([10]);
    expect(third.pageInfo).toMatchObject({ hasNextPage: false });
  });

  it('pages backwards with last / before, still newest first within a page', async () => {
    const last = await lots({ last: 2, includeClosed: true });
    expect(amounts(last)).toEqual([20, 10]);
    expect(last.pageInfo).toMatchObject({ hasPreviousPage: true });
    const before = await lots({ last: 2, before: last.pageInfo.startCursor, includeClosed: true });
    expect(amounts(before)).toEqual([40, 30]);
  });

  it('lists transfers newest first and pages through them', async () => {
    const page = async (variables: Record<string, unknown>) => {
      const response = await app.graphql(TRANSFERS, { id: member.globalId, ...variables }, admin);
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      return response.data!.member.transfers;
    };
    const first = await page({ first: 4 });
    expect(first.edges.map((edge: any) => [edge.node.kind, edge.node.amount])).toEqual([
      ['REDEEM', 30],
      ['ADJUSTMENT', 50],
      ['ADJUSTMENT', 40],
      ['ADJUSTMENT', 30],
    ]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await page({ first: 4, after: first.pageInfo.endCursor });
    expect(second.edges.map((edge: any) => [edge.node.kind, edge.node.amount, edge.node.reason])).toEqual([
      ['ADJUSTMENT', 20, 'lot 20'],
      ['ADJUSTMENT', 10, 'lot 10'],
    ]);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('shows wallet balances per currency, sorted, next to the points', async () => {
    const other = await enroll(app, { email: 'wallets@example.com' });
    await mutate(app, TOP_UP, { memberId: other.globalId, currency: 'USD', amount: 700 });
    await mutate(app, TOP_UP, { memberId: other.globalId, currency: 'EUR', amount: 1_200 });
    await mutate(app, SPEND_WALLET, { memberId: other.globalId, currency: 'EUR', amount: 200 });
    expect(await memberLedger(app, other.globalId)).toMatchObject({
      pointsBalance: 0,
      walletBalances: [
        { currency: 'EUR', cash: 1_000, bonus: 0, total: 1_000 },
        { currency: 'USD', cash: 700, bonus: 0, total: 700 },
      ],
    });
  });

  it('gives every member in a list its own balance', async () => {
    const bob = await enroll(app, { email: 'bob@example.com' });
    await mutate(app, ADJUST, { memberId: bob.globalId, points: 7, reason: 'bob' });
    const response = await app.graphql(MEMBERS_BALANCES, {}, admin);
    const balances = Object.fromEntries(response.data!.members.edges.map((edge: any) => [edge.node.email, edge.node.pointsBalance]));
    expect(balances).toMatchObject({ 'ada@example.com': 120, 'bob@example.com': 7 });
  });
});

describe('liability', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp();
  });
  afterEach(async () => {
    await expectLedgerSound(app);
    await expectLedgerSound(app, 'globex');
    app.close();
  });

  const liability = async (programId = 'acme') => {
    const response = await app.graphql(LIABILITY, {}, await app.token({ role: 'admin', programId }));
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data!.program.liability;
  };

  it('is 0 for a program without points', async () => {
    expect(await liability()).toEqual({ points: 0, value: { amount: 0, currency: 'EUR' } });
  });

  it('sums the points of all members of the program, valued at the current redemption value', async () => {
    const ada = await enroll(app, { email: 'ada@example.com' });
    const bob = await enroll(app, { email: 'bob@example.com' });
    await enroll(app, { email: 'carol@example.com' });
    await mutate(app, RECORD_ORDER, { memberId: ada.globalId, orderId: 'o-1', currency: 'EUR', total: 40_100 }); // 401
    await mutate(app, REDEEM, { memberId: ada.globalId, points: 100 }); // 301
    await mutate(app, ADJUST, { memberId: bob.globalId, points: 150, reason: 'welcome' });
    // Wallet money is not a points liability.
    await mutate(app, TOP_UP, { memberId: bob.globalId, currency: 'EUR', amount: 99_999 });
    // Another program's points are not ours.
    const globexAdmin = await app.token({ role: 'admin', programId: 'globex' });
    const eve = await enroll(app, { email: 'eve@example.com' }, globexAdmin);
    await mutate(app, ADJUST, { memberId: eve.globalId, points: 1_000, reason: 'globex' }, globexAdmin);

    expect(await liability()).toEqual({ points: 451, value: { amount: 451, currency: 'EUR' } });
    expect(await liability('globex')).toEqual({ points: 1_000, value: { amount: 1_000, currency: 'EUR' } });

    // 200 points pay 100: 451 points are worth floor(225.5) = 225.
    await setRules(app, { redeemPoints: 200, redeemValue: 100, currency: 'USD' });
    expect(await liability()).toEqual({ points: 451, value: { amount: 225, currency: 'USD' } });
  });
});

describe('authorization', () => {
  let app: TestApp;
  let ada: { globalId: string; memberId: string };
  let bob: { globalId: string; memberId: string };
  let adaTransfer: string;
  let bobTransfer: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    app = await createTestApp();
    ada = await enroll(app, { email: 'ada@example.com' });
    bob = await enroll(app, { email: 'bob@example.com' });
    tokens.admin = await app.token({ role: 'admin' });
    tokens.storefront = await app.token({ role: 'storefront' });
    tokens.member = await app.token({ role: 'member', subject: ada.memberId });
    tokens.partner = await app.token({ role: 'partner', partnerId: 'beans-inc' });
    tokens.anonymous = '';
    adaTransfer = (await mutate(app, ADJUST, { memberId: ada.globalId, points: 1_000_000, reason: 'fixture' })).transfer.id;
    bobTransfer = (await mutate(app, ADJUST, { memberId: bob.globalId, points: 1_000, reason: 'fixture' })).transfer.id;
    await mutate(app, RECORD_ORDER, { memberId: ada.globalId, orderId: 'big', currency: 'EUR', total: 1_000_000 });
    await mutate(app, TOP_UP, { memberId: ada.globalId, currency: 'EUR', amount: 1_000_000 });
  });
  afterAll(async () => {
    await expectLedgerSound(app);
    app.close();
  });

  /** Everything a refused request must leave as it was. */
  async function snapshot() {
    const read = async (globalId: string) => (await app.graphql(MEMBER_LEDGER_READ, { id: globalId }, tokens.admin)).data;
    return { ada: await read(ada.globalId), bob: await read(bob.globalId), rules: (await app.graphql(RULES, {}, tokens.admin)).data };
  }

  let counter = 0;
  const fresh = (prefix: string) => `${prefix}-${++counter}`;

  type Operation = { name: string; query: string; variables: () => Promise<Record<string, unknown>>; field: string };
  const operations: Operation[] = [
    {
      name: 'recordOrder',
      field: 'recordOrder',
      query: RECORD_ORDER,
      variables: async () => ({
        input: { memberId: ada.globalId, orderId: fresh('order'), currency: 'EUR', total: 100, idempotencyKey: fresh('k') },
      }),
    },
    {
      name: 'refundOrder',
      field: 'refundOrder',
      query: REFUND_ORDER,
      variables: async () => ({ input: { orderId: 'big', amount: 1, idempotencyKey: fresh('k') } }),
    },
    {
      name: 'redeemPoints (own points)',
      field: 'redeemPoints',
      query: REDEEM,
      variables: async () => ({ input: { memberId: ada.globalId, points: 1, idempotencyKey: fresh('k') } }),
    },
    {
      name: 'adjustPoints',
      field: 'adjustPoints',
      query: ADJUST,
      variables: async () => ({ input: { memberId: ada.globalId, points: 5, reason: 'x', idempotencyKey: fresh('k') } }),
    },
    {
      name: 'reverseTransfer',
      field: 'reverseTransfer',
      query: REVERSE,
      variables: async () => {
        const { transfer } = await mutate(app, REDEEM, { memberId: ada.globalId, points: 1 });
        return { input: { transferId: transfer.id, reason: 'x', idempotencyKey: fresh('k') } };
      },
    },
    {
      name: 'topUpWallet',
      field: 'topUpWallet',
      query: TOP_UP,
      variables: async () => ({ input: { memberId: ada.globalId, currency: 'EUR', amount: 1, idempotencyKey: fresh('k') } }),
    },
    {
      name: 'spendWallet',
      field: 'spendWallet',
      query: SPEND_WALLET,
      variables: async () => ({ input: { memberId: ada.globalId, currency: 'EUR', amount: 1, idempotencyKey: fresh('k') } }),
    },
    {
      name: 'updateProgramRules',
      field: 'updateProgramRules',
      query: UPDATE_RULES,
      variables: async () => ({ input: { minimumRedemption: 0 } }),
    },
    { name: 'program.rules', field: 'program', query: RULES, variables: async () => ({}) },
    { name: 'program.liability', field: 'program', query: LIABILITY, variables: async () => ({}) },
    { name: 'ledgerAudit', field: 'ledgerAudit', query: AUDIT, variables: async () => ({}) },
    { name: 'member ledger (self)', field: 'member', query: MEMBER_LEDGER_READ, variables: async () => ({ id: ada.globalId }) },
    { name: 'member ledger (other member)', field: 'member', query: MEMBER_LEDGER_READ, variables: async () => ({ id: bob.globalId }) },
    { name: 'me ledger', field: 'me', query: ME_LEDGER, variables: async () => ({}) },
    { name: 'node (own transfer)', field: 'node', query: NODE_TRANSFER, variables: async () => ({ id: adaTransfer }) },
    { name: "node (other member's transfer)", field: 'node', query: NODE_TRANSFER, variables: async () => ({ id: bobTransfer }) },
  ];

  // Which roles may run each operation; every other role must be refused. The member token is Ada's.
  const allowed: Record<string, Role[]> = {
    recordOrder: ['admin', 'storefront'],
    refundOrder: ['admin', 'storefront'],
    'redeemPoints (own points)': ['admin', 'storefront'],
    adjustPoints: ['admin'],
    reverseTransfer: ['admin'],
    topUpWallet: ['admin', 'storefront'],
    spendWallet: ['admin', 'storefront'],
    updateProgramRules: ['admin'],
    'program.rules': ['admin', 'storefront', 'member'],
    'program.liability': ['admin'],
    ledgerAudit: ['admin'],
    'member ledger (self)': ['admin', 'storefront', 'member'],
    'member ledger (other member)': ['admin', 'storefront'],
    'me ledger': ['member'],
    'node (own transfer)': ['admin', 'storefront', 'member'],
    "node (other member's transfer)": ['admin', 'storefront'],
  };

  const cases = operations.flatMap((operation) =>
    (['admin', 'storefront', 'member', 'partner', 'anonymous'] as const).map((role) => ({ role, operation })),
  );

  it.each(cases)('$role → $operation.name', async ({ role, operation }) => {
    const variables = await operation.variables();
    const before = await snapshot();
    const response = await app.graphql(operation.query, variables, tokens[role] || undefined);
    if ((allowed[operation.name] as string[]).includes(role)) {
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      const data = response.data?.[operation.field];
      expect(data).toBeTruthy();
      // Mutations answer their payload, not an error result.
      if (data.__typename) expect(data.__typename, JSON.stringify(data)).toMatch(/Payload$|^Transfer$/);
    } else {
      expect(response.errors?.[0]?.extensions?.code, JSON.stringify(response)).toBe(role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
      expect(response.data?.[operation.field] ?? null).toBeNull();
      expect(await snapshot()).toEqual(before);
    }
  });

  it('shows a member its own ledger through member(id:) and me alike', async () => {
    const viaMember = await app.graphql(MEMBER_LEDGER_READ, { id: ada.globalId }, tokens.member);
    const viaMe = await app.graphql(ME_LEDGER, {}, tokens.member);
    expect(viaMe.data?.me).toEqual(viaMember.data?.member);
    expect(viaMe.data?.me.transfers.edges.length).toBeGreaterThan(0);
  });

  it("returns a member's own transfer by node id with all its fields but the idempotency key", async () => {
    const response = await app.graphql(NODE_TRANSFER, { id: adaTransfer }, tokens.member);
    expect(response.data?.node).toMatchObject({
      __typename: 'Transfer',
      id: adaTransfer,
      kind: 'ADJUSTMENT',
      amount: 1_000_000,
      reason: 'fixture',
    });
    const withKey = await app.graphql(
      `query($id: ID!) { node(id: $id) { ... on Transfer { idempotencyKey } } }`,
      { id: adaTransfer },
      tokens.member,
    );
    expect(withKey.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const asStorefront = await app.graphql(
      `query($id: ID!) { node(id: $id) { ... on Transfer { idempotencyKey } } }`,
      { id: adaTransfer },
      tokens.storefront,
    );
    expect(asStorefront.data?.node.idempotencyKey).toEqual(expect.any(String));
  });

  it('refuses a partner every ledger operation, even on a member it names', async () => {
    // Covered by the matrix; this spells out the partner's view of a member's balance.
    const response = await app.graphql(`query($id: ID!) { member(id: $id) { pointsBalance } }`, { id: ada.globalId }, tokens.partner);
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(response.data?.member ?? null).toBeNull();
  });
});

describe('tenancy: a program sees nothing of another', () => {
  let app: TestApp;
  let ada: { globalId: string; memberId: string };
  let adaTransfer: string;
  let globexAdmin: string;

  beforeAll(async () => {
    app = await createTestApp();
    ada = await enroll(app, { email: 'ada@example.com' });
    adaTransfer = (await mutate(app, ADJUST, { memberId: ada.globalId, points: 500, reason: 'fixture' })).transfer.id;
    await mutate(app, RECORD_ORDER, { memberId: ada.globalId, orderId: 'acme-order', currency: 'EUR', total: 10_000 });
    globexAdmin = await app.token({ role: 'admin', programId: 'globex' });
  });
  afterAll(async () => {
    await expectLedgerSound(app);
    await expectLedgerSound(app, 'globex');
    app.close();
  });

  const adaBalance = async () => (await memberLedger(app, ada.globalId)).pointsBalance;

  it('cannot refund an order of another program: OrderNotFoundError', async () => {
    const result = await mutate(app, REFUND_ORDER, { orderId: 'acme-order', amount: 10_000 }, globexAdmin);
    expect(result).toMatchObject({ __typename: 'OrderNotFoundError', code: 'ORDER_NOT_FOUND' });
    const storefront = await mutate(
      app,
      REFUND_ORDER,
      { orderId: 'acme-order', amount: 10_000 },
      await app.token({ role: 'storefront', programId: 'globex' }),
    );
    expect(storefront.__typename).toBe('OrderNotFoundError');
    expect(await adaBalance()).toBe(600);
  });

  it('cannot reverse a transfer of another program: TransferNotFoundError', async () => {
    expect(await mutate(app, REVERSE, { transferId: adaTransfer, reason: 'x' }, globexAdmin)).toMatchObject({
      __typename: 'TransferNotFoundError',
    });
    expect(await adaBalance()).toBe(600);
  });

  it.each([
    ['recordOrder', RECORD_ORDER, () => ({ memberId: ada.globalId, orderId: 'cross', currency: 'EUR', total: 1_000 })],
    ['redeemPoints', REDEEM, () => ({ memberId: ada.globalId, points: 100 })],
    ['adjustPoints', ADJUST, () => ({ memberId: ada.globalId, points: -100, reason: 'x' })],
    ['topUpWallet', TOP_UP, () => ({ memberId: ada.globalId, currency: 'EUR', amount: 100 })],
    ['spendWallet', SPEND_WALLET, () => ({ memberId: ada.globalId, currency: 'EUR', amount: 100 })],
  ])('cannot %s for a member of another program: MemberNotFoundError', async (_name, query, input) => {
    expect(await mutate(app, query, input(), globexAdmin)).toMatchObject({ __typename: 'MemberNotFoundError' });
    expect(await memberLedger(app, ada.globalId)).toMatchObject({ pointsBalance: 600, walletBalances: [] });
  });

  it("does not find another program's transfers or members by id", async () => {
    const node = await app.graphql(NODE_TRANSFER, { id: adaTransfer }, globexAdmin);
    expect(node.errors).toBeUndefined();
    expect(node.data?.node).toBeNull();
    const member = await app.graphql(MEMBER_LEDGER_READ, { id: ada.globalId }, globexAdmin);
    expect(member.data?.member ?? null).toBeNull();
  });

  it("keeps each program's audit, liability and transfers to itself", async () => {
    const audit = await app.graphql(AUDIT, {}, globexAdmin);
    expect(audit.data?.ledgerAudit).toEqual({ sound: true, violations: [] });
    const liability = await app.graphql(LIABILITY, {}, globexAdmin);
    expect(liability.data?.program.liability).toEqual({ points: 0, value: { amount: 0, currency: 'EUR' } });
    expect((await transfersOf(app, ada.globalId)).map((transfer) => transfer.kind)).toEqual(['EARN', 'ADJUSTMENT']);
  });

  // Last in this block: it writes to both programs.
  it('keeps idempotency keys per program: the same key in another program is another request', async () => {
    await mutate(app, ADJUST, { memberId: ada.globalId, points: 1, reason: 'x', idempotencyKey: 'shared-key' });
    const eve = await enroll(app, { email: 'eve@example.com' }, globexAdmin);
    const globex = await mutate(app, ADJUST, { memberId: eve.globalId, points: 1, reason: 'x', idempotencyKey: 'shared-key' }, globexAdmin);
    expect(globex).toMatchObject({ __typename: 'PointsPayload', replayed: false, pointsBalance: 1 });
    await mutate(app, ADJUST, { memberId: ada.globalId, points: -1, reason: 'undo', idempotencyKey: 'shared-key-undo' });
    expect(await adaBalance()).toBe(600);
  });
});

describe('lists make no N+1 queries', () => {
  it('loads balances, wallets and tiers of a page of members in a constant number of round trips', async () => {
    const app = await createTestApp();
    const admin = await app.token({ role: 'admin' });
    const query = `query($first: Int) { members(first: $first) { edges { node { email pointsBalance walletBalances { currency total } tier { name } } } } }`;
    const roundTripsFor = async (first: number) => {
      const before = app.roundTrips.count;
      const response = await app.graphql(query, { first }, admin);
      expect(response.errors).toBeUndefined();
      return app.roundTrips.count - before;
    };
    for (let index = 0; index < 20; index++) await enroll(app, { email: `n${index}@example.com` });
    expect(await roundTripsFor(20)).toBe(await roundTripsFor(2));
    app.close();
  });
});
