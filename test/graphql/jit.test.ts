import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enroll } from '../support/members';
import { createOffer, quote, recordOrder } from '../support/offers';
import { createTestApp, type TestApp } from '../support/test-app';
import { setUpTiers } from '../support/tiers';

/**
 * Node executes GraphQL with graphql-jit (GRAPHQL_JIT, on by default). The same requests to an app
 * running graphql-js on the same database must get the very same answers: data, typed errors, auth
 * refusals, limits, masking and the operation a multi-operation document names. (Only the errors'
 * optional `locations` differ: graphql-jit leaves them out of errors thrown by resolvers.)
 */
let jit: TestApp;
let interpreted: TestApp;
let ada: { globalId: string; memberId: string };
let bob: { globalId: string; memberId: string };

beforeAll(async () => {
  jit = await createTestApp();
  interpreted = await createTestApp({ sharing: jit, env: { GRAPHQL_JIT: 'false' } });
  await setUpTiers(jit);
  await createOffer(jit, { effect: { percentOff: { basisPoints: 500 } } });
  await createOffer(jit, { effect: { stampCard: { stampsRequired: 5, items: { categories: ['coffee'] } } } });
  ada = await enroll(jit, { email: 'ada@example.com' });
  bob = await enroll(jit, { email: 'bob@example.com' });
  await recordOrder(jit, {
    memberId: ada.globalId,
    total: 20_000,
    lines: [{ sku: 'latte', category: 'coffee', quantity: 1, unitPrice: 20_000 }],
  });
  expect((await quote(jit, { memberId: ada.globalId, total: 500, lines: [] })).__typename).toBe('Quote');
});
afterAll(() => {
  interpreted.close();
  jit.close();
});

/** graphql-jit gives its errors no `locations` (optional in the GraphQL spec); everything else must match. */
function withoutLocations(body: { errors?: Array<Record<string, unknown>> }): any {
  return { ...body, ...(body.errors ? { errors: body.errors.map(({ locations: _locations, ...error }) => error) } : {}) };
}

async function both(body: Record<string, unknown>, token: string | null) {
  const send = async (app: TestApp) => {
    const response = await app.app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: withoutLocations(await response.json()) };
  };
  return { jit: await send(jit), interpreted: await send(interpreted) };
}

const MEMBER_PAGE = `query($id: ID!) { member(id: $id) { pointsBalance walletBalances { currency cash bonus total }
  tier { name } tierProgress { value missing nextTier { name } } availableOffers { codes offer { id name effect { __typename } } }
  orders(first: 5) { edges { node { orderId total { amount currency } appliedOffers { offer { name } discount } } } } } }`;
const QUOTE = `query($cart: QuoteCartInput!) { quote(cart: $cart) { __typename ... on Error { code message }
  ... on Quote { discount { amount } pointsEarned appliedOffers { offer { name } tier { name } discount stamps } notApplied { offerId reason } } } }`;

describe('graphql-jit answers exactly as graphql-js', () => {
  it('data, typed errors, auth refusals, limits and bad variables', async () => {
    const admin = await jit.token({ role: 'admin' });
    const member = await jit.token({ role: 'member', subject: ada.memberId });
    const cart = {
      memberId: ada.globalId,
      currency: 'EUR',
      total: 5_000,
      lines: [{ sku: 'latte', category: 'coffee', quantity: 2, unitPrice: 2_500 }],
    };
    const cases: Array<[string, Record<string, unknown>, string | null]> = [
      ['the member page', { query: MEMBER_PAGE, variables: { id: ada.globalId } }, admin],
      ['a quote', { query: QUOTE, variables: { cart } }, admin],
      ['a typed error', { query: QUOTE, variables: { cart: { ...cart, currency: 'USD' } } }, admin],
      ['a member reading another member', { query: MEMBER_PAGE, variables: { id: bob.globalId } }, member],
      ['no token', { query: MEMBER_PAGE, variables: { id: ada.globalId } }, null],
      ['a variable its scalar refuses', { query: QUOTE, variables: { cart: { ...cart, total: 9.99 } } }, admin],
      [
        'a query over the complexity limit',
        {
          query: `query($n: Int) { members(first: $n) { edges { node { id transfers(first: $n) { edges { node { id } } } lots(first: $n) { edges { node { amount } } } } } } }`,
          variables: { n: 100 },
        },
        admin,
      ],
    ];
    for (const [name, body, token] of cases) {
      const answers = await both(body, token);
      expect(answers.jit, name).toEqual(answers.interpreted);
    }
    // The cases above do reach data, typed errors and refusals.
    const page = await both(cases[0]![1], admin);
    expect(page.jit.body.data.member.availableOffers.length).toBeGreaterThan(0);
    expect((await both(cases[3]![1], member)).jit.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('runs the operation a document with several names, on graphql-js', async () => {
    const admin = await jit.token({ role: 'admin' });
    const query = `query Balance($id: ID!) { member(id: $id) { pointsBalance } } query Tier($id: ID!) { member(id: $id) { tier { name } } }`;
    for (const operationName of ['Balance', 'Tier', 'Balance']) {
      const answers = await both({ query, operationName, variables: { id: ada.globalId } }, admin);
      expect(answers.jit).toEqual(answers.interpreted);
      expect(Object.keys(answers.jit.body.data.member)).toEqual([operationName === 'Balance' ? 'pointsBalance' : 'tier']);
    }
  });
});
