import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { createTestApp, TEST_SECRET, type TestApp } from '../support/test-app';
import { enroll } from '../support/members';
import { ENROLL, ERASE, ME, MEMBER, MEMBER_BY_EXTERNAL_ID, MEMBERS, NODE, PROGRAM, UPDATE } from '../support/operations';
import type { Role } from '../../src/platform/auth/principal';

/**
 * Every role against every operation, from the outside: what a token may not reach is refused with
 * FORBIDDEN (or UNAUTHENTICATED without a token) and changes nothing.
 */
let app: TestApp;
let ada: { globalId: string; memberId: string };
let bob: { globalId: string; memberId: string };
let otherTenant: { globalId: string; memberId: string };
let leaving: { globalId: string; memberId: string };
const tokens: Record<string, string> = {};

beforeAll(async () => {
  app = await createTestApp();
  ada = await enroll(app, { externalId: 'ada', email: 'ada@example.com' });
  bob = await enroll(app, { externalId: 'bob', email: 'bob@example.com' });
  leaving = await enroll(app, { externalId: 'leaving', email: 'leaving@example.com' });
  otherTenant = await enroll(app, { externalId: 'eve', email: 'eve@example.com' }, await app.token({ role: 'admin', programId: 'globex' }));
  tokens.admin = await app.token({ role: 'admin' });
  tokens.storefront = await app.token({ role: 'storefront' });
  tokens.member = await app.token({ role: 'member', subject: ada.memberId });
  const beans = await app.graphql(
    `mutation { createPartner(input: { name: "Beans Inc", funding: PREPAID, costShareBasisPoints: 10000 }) { ... on PartnerPayload { partner { id } } } }`,
    {},
    tokens.admin,
  );
  tokens.partner = await app.token({ role: 'partner', partnerId: atob(beans.data!.createPartner.partner.id).split(':')[1] });
  tokens.anonymous = '';
});
afterAll(() => app.close());

/** `success`: what an allowed role must get back, a typed payload for the right member, not just something truthy. */
type Operation = { name: string; query: string; variables: () => Record<string, unknown>; field: string; success: () => unknown };
const memberPayload =
  (member: () => { globalId: string }, fields: Record<string, unknown> = {}) =>
  () => ({ __typename: 'MemberPayload', member: { id: member().globalId, ...fields } });
const operations: Operation[] = [
  {
    name: 'enrollMember',
    query: ENROLL,
    variables: () => ({ input: { email: `new-${Math.random()}@example.com` } }),
    field: 'enrollMember',
    success: () => ({ __typename: 'MemberPayload', member: { status: 'ACTIVE' } }),
  },
  {
    name: 'updateMember (other member)',
    query: UPDATE,
    variables: () => ({ input: { id: bob.globalId, name: 'Hacked' } }),
    field: 'updateMember',
    success: memberPayload(() => bob, { name: 'Hacked' }),
  },
  {
    name: 'updateMember (self)',
    query: UPDATE,
    variables: () => ({ input: { id: ada.globalId, name: 'Ada' } }),
    field: 'updateMember',
    success: memberPayload(() => ada, { name: 'Ada' }),
  },
  {
    name: 'eraseMember (other member)',
    query: ERASE,
    variables: () => ({ input: { id: leaving.globalId } }),
    field: 'eraseMember',
    success: memberPayload(() => leaving, { status: 'ERASED', email: null }),
  },
  {
    name: 'member (other member)',
    query: MEMBER,
    variables: () => ({ id: bob.globalId }),
    field: 'member',
    success: () => ({ id: bob.globalId, email: 'bob@example.com' }),
  },
  {
    name: 'member (self)',
    query: MEMBER,
    variables: () => ({ id: ada.globalId }),
    field: 'member',
    success: () => ({ id: ada.globalId, email: 'ada@example.com' }),
  },
  {
    name: 'memberByExternalId',
    query: MEMBER_BY_EXTERNAL_ID,
    variables: () => ({ externalId: 'bob' }),
    field: 'memberByExternalId',
    success: () => ({ id: bob.globalId, externalId: 'bob' }),
  },
  {
    name: 'members',
    query: MEMBERS,
    variables: () => ({ first: 5 }),
    field: 'members',
    success: () => ({ edges: expect.arrayContaining([expect.objectContaining({ node: expect.objectContaining({ id: bob.globalId }) })]) }),
  },
  { name: 'me', query: ME, variables: () => ({}), field: 'me', success: () => ({ id: ada.globalId, email: 'ada@example.com' }) },
  {
    name: 'program',
    query: PROGRAM,
    variables: () => ({}),
    field: 'program',
    success: () => ({ id: btoa('Program:acme'), name: 'Acme Coffee' }),
  },
];

// Which roles may run each operation; every other role must be refused.
const allowed: Record<string, Role[]> = {
  enrollMember: ['admin', 'storefront'],
  'updateMember (other member)': ['admin', 'storefront'],
  'updateMember (self)': ['admin', 'storefront', 'member'],
  'eraseMember (other member)': ['admin'],
  'member (other member)': ['admin', 'storefront'],
  'member (self)': ['admin', 'storefront', 'member'],
  memberByExternalId: ['admin', 'storefront'],
  members: ['admin', 'storefront'],
  me: ['member'],
  program: ['admin', 'storefront', 'member', 'partner'],
};

const cases = operations.flatMap((operation) =>
  (['admin', 'storefront', 'member', 'partner', 'anonymous'] as const).map((role) => ({ role, operation })),
);

describe('authorization matrix', () => {
  it.each(cases)('$role → $operation.name', async ({ role, operation }) => {
    const before = await app.graphql(MEMBER, { id: bob.globalId }, tokens.admin);
    const response = await app.graphql(operation.query, operation.variables(), tokens[role] || undefined);
    if ((allowed[operation.name] as string[]).includes(role)) {
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      expect(response.data?.[operation.field], JSON.stringify(response.data)).toMatchObject(operation.success() as object);
    } else {
      expect(response.errors?.[0]?.extensions?.code).toBe(role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
      expect(response.data?.[operation.field] ?? null).toBeNull();
      const after = await app.graphql(MEMBER, { id: bob.globalId }, tokens.admin);
      expect(after.data).toEqual(before.data);
    }
  });

  it('only admins and the member itself may erase', async () => {
    const carol = await enroll(app, { email: 'carol@example.com' });
    const dave = await enroll(app, { email: 'dave@example.com' });
    const storefront = await app.graphql(ERASE, { input: { id: carol.globalId } }, tokens.storefront);
    expect(storefront.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const self = await app.graphql(ERASE, { input: { id: carol.globalId } }, await app.token({ role: 'member', subject: carol.memberId }));
    expect(self.data?.eraseMember.member.status).toBe('ERASED');
    const admin = await app.graphql(ERASE, { input: { id: dave.globalId } }, tokens.admin);
    expect(admin.data?.eraseMember.member.status).toBe('ERASED');
  });
});

describe('tenancy', () => {
  it('never returns a member of another program, by id, external id, list or node', async () => {
    expect((await app.graphql(MEMBER, { id: otherTenant.globalId }, tokens.admin)).data?.member).toBeNull();
    expect((await app.graphql(MEMBER_BY_EXTERNAL_ID, { externalId: 'eve' }, tokens.storefront)).data?.memberByExternalId).toBeNull();
    const list = await app.graphql(MEMBERS, { first: 100 }, tokens.admin);
    expect(list.data?.members.edges.map((edge: any) => edge.node.email)).not.toContain('eve@example.com');
    const node = await app.graphql(NODE, { id: otherTenant.globalId }, tokens.admin);
    expect(node.data?.node).toBeNull();
  });

  it('resolves node(id:) for own-program nodes only, and never another member for a member token', async () => {
    expect((await app.graphql(NODE, { id: bob.globalId }, tokens.storefront)).data?.node).toMatchObject({
      __typename: 'Member',
      email: 'bob@example.com',
    });
    const asMember = await app.graphql(NODE, { id: bob.globalId }, tokens.member);
    expect(asMember.data?.node ?? null).toBeNull();
    expect(asMember.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const program = (await app.graphql(PROGRAM, {}, tokens.member)).data?.program;
    expect((await app.graphql(NODE, { id: program.id }, tokens.member)).data?.node).toMatchObject({ name: 'Acme Coffee' });
    const globexProgram = btoa('Program:globex');
    expect((await app.graphql(NODE, { id: globexProgram }, tokens.admin)).data?.node).toBeNull();
  });
});

describe('tokens', () => {
  const sign = (claims: Record<string, unknown>, secret = TEST_SECRET, expiresAt: number | string = '1h') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setExpirationTime(expiresAt)
      .sign(new TextEncoder().encode(secret));

  it.each([
    ['a token signed with another secret', () => sign({ role: 'admin', program: 'acme' }, 'another-secret-that-is-long-enough-to-use!!')],
    ['an expired token', () => sign({ role: 'admin', program: 'acme' }, TEST_SECRET, Math.floor(Date.now() / 1000) - 60)],
    ['a token without a program', () => sign({ role: 'admin' })],
    ['a token with an unknown role', () => sign({ role: 'root', program: 'acme' })],
    ['a partner token without a partner claim', () => sign({ role: 'partner', program: 'acme' })],
    ['garbage', async () => 'not.a.jwt'],
    ['a valid token for a program that does not exist', () => sign({ role: 'admin', program: 'nowhere' })],
  ])('rejects %s with 401 UNAUTHENTICATED', async (_name, makeToken) => {
    const response = await app.graphql(PROGRAM, {}, await makeToken());
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.data ?? null).toBeNull();
  });

  it('rejects an alg=none token', async () => {
    const header = btoa(JSON.stringify({ alg: 'none', typ: 'JWT' })).replace(/=+$/, '');
    const payload = btoa(JSON.stringify({ role: 'admin', program: 'acme', sub: 'x' })).replace(/=+$/, '');
    const response = await app.graphql(PROGRAM, {}, `${header}.${payload}.`);
    expect(response.status).toBe(401);
  });

  it('rejects a malformed Authorization header', async () => {
    const response = await app.app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic abc' },
      body: JSON.stringify({ query: '{ program { id } }' }),
    });
    expect(response.status).toBe(401);
  });
});
