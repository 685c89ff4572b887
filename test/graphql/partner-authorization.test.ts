import { getNamedType, isInterfaceType, isObjectType, isUnionType, type GraphQLField, type GraphQLNamedType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/api/schema';
import { enroll } from '../support/members';
import { createOffer } from '../support/offers';
import { activeCampaign, createPartner, partnerToken } from '../support/partners';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * What a partner token reaches, walked over the whole schema: the root fields whose scopes let a
 * partner in, every type reachable from them, and node(id:) with other partners' and host objects.
 */
type Scopes = Record<string, unknown> | ((...args: unknown[]) => unknown) | undefined;
const scopesOf = (element: { extensions?: unknown }): Scopes =>
  (element.extensions as { pothosOptions?: { authScopes?: Scopes } } | undefined)?.pothosOptions?.authScopes;
/** Any arguments: every property is another such value, and it reads as the string "x". */
const anything: unknown = new Proxy(() => {}, { get: (_target, property) => (property === Symbol.toPrimitive ? () => 'x' : anything) });
/** Whether a field's own scopes let a partner token in (no scopes: the type decides); computed scopes are asked with any arguments. */
function partnerMayCall(scopes: Scopes): boolean {
  if (scopes === undefined) return true;
  const granted = (typeof scopes === 'function' ? scopes(undefined, anything, { principal: null }) : scopes) as Record<string, unknown>;
  return Boolean(granted.partner || granted.authenticated || 'ownPartner' in granted);
}

const PARTNER_QUERIES = ['node', 'nodes', 'partner', 'partnerCampaigns', 'partnerStats', 'program', 'settlementStatement'];
const PARTNER_MUTATIONS = [
  'createPartnerCampaign',
  'endPartnerCampaign',
  'generatePartnerVouchers',
  'pausePartnerCampaign',
  'redeemVoucher',
  'resumePartnerCampaign',
  'submitPartnerCampaign',
  'updatePartnerCampaign',
];

describe('the partner role over every field of the schema', () => {
  const callable = (type: 'Query' | 'Mutation') =>
    Object.values((type === 'Query' ? schema.getQueryType() : schema.getMutationType())!.getFields())
      .filter((field) => partnerMayCall(scopesOf(field)))
      .map((field) => field.name)
      .sort();

  it('reaches exactly its own queries and mutations; every other root field is refused by its scopes', () => {
    expect(callable('Query')).toEqual(PARTNER_QUERIES);
    expect(callable('Mutation')).toEqual(PARTNER_MUTATIONS);
  });

  it('reaches no member, order, transfer or personal data through any field it may call (node(id:) aside, tested below)', () => {
    const reached = new Map<string, string>();
    const visit = (type: GraphQLNamedType, path: string) => {
      if (reached.has(type.name) || type.name === 'Node') return;
      reached.set(type.name, path);
      const next = isUnionType(type) ? type.getTypes() : [];
      for (const member of next) visit(member, `${path}|${member.name}`);
      if (!isObjectType(type) && !isInterfaceType(type)) return;
      for (const field of Object.values(type.getFields()) as Array<GraphQLField<unknown, unknown>>) {
        const scopes = scopesOf(field);
        if (scopes && typeof scopes === 'object' && !partnerMayCall(scopes)) continue;
        visit(getNamedType(field.type), `${path}.${field.name}`);
      }
    };
    const roots = [schema.getQueryType()!, schema.getMutationType()!];
    for (const root of roots) {
      for (const field of Object.values(root.getFields())) {
        if (!partnerMayCall(scopesOf(field)) || field.name === 'node' || field.name === 'nodes') continue;
        visit(getNamedType(field.type), `${root.name}.${field.name}`);
      }
    }
    for (const forbidden of ['Member', 'MemberVoucher', 'Order', 'Transfer', 'PromoCode', 'Referral', 'Lot', 'Segment', 'Tier']) {
      expect(reached.get(forbidden), `${forbidden} reached via ${reached.get(forbidden)}`).toBeUndefined();
    }
    const personal = [...reached.keys()].flatMap((name) => {
      const type = schema.getType(name)!;
      return isObjectType(type)
        ? Object.keys(type.getFields())
            .filter((field) => ['email', 'birthday', 'externalId', 'memberId'].includes(field))
            .map((field) => `${name}.${field}`)
        : [];
    });
    expect(personal).toEqual([]);
  });
});

describe('node(id:) for a partner token', () => {
  let app: TestApp;
  const ids: Record<string, string> = {};
  let token: string;
  beforeAll(async () => {
    app = await createTestApp();
    const bakery = await createPartner(app, { name: 'Bakery' });
    const florist = await createPartner(app, { name: 'Florist' });
    ids.ownPartner = bakery.id;
    ids.ownCampaign = (await activeCampaign(app, bakery)).id;
    ids.otherPartner = florist.id;
    ids.otherCampaign = (await activeCampaign(app, florist)).id;
    ids.hostOffer = (await createOffer(app, { name: 'Host offer', effect: { percentOff: { basisPoints: 500 } } })).id;
    ids.member = (await enroll(app, { email: 'ada@example.com' })).globalId;
    ids.program = btoa('Program:acme');
    token = await partnerToken(app, bakery);
  });
  afterAll(() => app.close());

  it.each(['otherPartner', 'otherCampaign', 'hostOffer', 'member'])('never loads %s', async (which) => {
    const response = await app.graphql(
      `query($id: ID!) { node(id: $id) { id __typename } nodes(ids: [$id]) { id } }`,
      { id: ids[which] },
      token,
    );
    expect(response.data?.node ?? null).toBeNull();
    expect(response.data?.nodes?.[0] ?? null).toBeNull();
  });

  it('loads its own partner and campaigns', async () => {
    for (const which of ['ownPartner', 'ownCampaign']) {
      const response = await app.graphql(`query($id: ID!) { node(id: $id) { id } }`, { id: ids[which] }, token);
      expect(response.data!.node, which).toEqual({ id: ids[which] });
    }
  });
});
