import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENROLL, ERASE, UPDATE } from '../../support/operations';
import { enroll } from '../../support/members';
import { createTestApp, type TestApp } from '../../support/test-app';

const PROFILE = `query($id: ID!) { member(id: $id) { attributes tags } }`;
const SEARCH = `query($tags: [String!], $attributes: JSONObject, $search: String) {
  members(first: 50, tags: $tags, attributes: $attributes, search: $search) { edges { node { email } } } }`;

describe('member attributes and tags', () => {
  let app: TestApp;
  let admin: string;
  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.token({ role: 'admin' });
  });
  afterAll(() => app.close());

  const profile = async (globalId: string) => (await app.graphql(PROFILE, { id: globalId }, admin)).data!.member;
  const emails = async (variables: Record<string, unknown>) => {
    const response = await app.graphql(SEARCH, variables, admin);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data!.members.edges.map((edge: any) => edge.node.email).sort();
  };

  it('are set at enrollment, replaced by updates, normalized, and found by search', async () => {
    const ada = await enroll(app, {
      email: 'ada@example.com',
      attributes: { shop: 'Rue Cler', kids: 2, vip: true },
      tags: [' Wholesale ', 'wholesale', 'NEWS'],
    });
    expect(await profile(ada.globalId)).toEqual({ attributes: { shop: 'Rue Cler', kids: 2, vip: true }, tags: ['wholesale', 'news'] });
    await enroll(
      app,
      { email: 'ben@example.com', attributes: { shop: 'Rue Cler', kids: '2', vip: 1 }, tags: ['news'] },
      await app.token({ role: 'storefront' }),
    );
    expect(await emails({ tags: ['NEWS'] })).toEqual(['ada@example.com', 'ben@example.com']);
    expect(await emails({ tags: ['news', 'wholesale'] })).toEqual(['ada@example.com']);
    expect(await emails({ attributes: { shop: 'Rue Cler' } })).toEqual(['ada@example.com', 'ben@example.com']);
    expect(await emails({ attributes: { kids: 2 } })).toEqual(['ada@example.com']);
    expect(await emails({ attributes: { vip: true } })).toEqual(['ada@example.com']);
    expect(await emails({ attributes: { vip: 1 } })).toEqual(['ben@example.com']);
    expect(await emails({ tags: ['news'], search: 'ben' })).toEqual(['ben@example.com']);

    const updated = await app.graphql(UPDATE, { input: { id: ada.globalId, attributes: { shop: 'Marais' }, tags: [] } }, admin);
    expect(updated.data!.updateMember.__typename).toBe('MemberPayload');
    expect(await profile(ada.globalId)).toEqual({ attributes: { shop: 'Marais' }, tags: [] });
    await app.graphql(UPDATE, { input: { id: ada.globalId, name: 'Ada' } }, admin);
    expect((await profile(ada.globalId)).attributes).toEqual({ shop: 'Marais' });
  });

  it('refuse what is over the limits with the path, and change nothing', async () => {
    const member = await enroll(app, { email: 'limits@example.com', attributes: { a: 1 }, tags: ['x'] });
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`k${index}`, index]));
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ attributes: tooMany }, ['input', 'attributes']],
      [{ attributes: { note: 'x'.repeat(257) } }, ['input', 'attributes', 'note']],
      [{ attributes: { nested: { deep: true } } }, ['input', 'attributes', 'nested']],
      [{ attributes: { ratio: 0.5 } }, ['input', 'attributes', 'ratio']],
      [{ attributes: { big: 100_000_000_001 } }, ['input', 'attributes', 'big']],
      [{ attributes: { list: [1] } }, ['input', 'attributes', 'list']],
      [{ tags: Array.from({ length: 51 }, (_, index) => `t${index}`) }, ['input', 'tags']],
      [{ tags: ['x'.repeat(65)] }, ['input', 'tags', '0']],
    ];
    for (const [input, path] of cases) {
      const response = await app.graphql(UPDATE, { input: { id: member.globalId, ...input } }, admin);
      expect(response.data!.updateMember.__typename, JSON.stringify(input)).toBe('InvalidInputError');
      expect(
        response.data!.updateMember.issues.map((issue: any) => issue.path),
        JSON.stringify(input),
      ).toContainEqual(path);
    }
    const atLimit = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`k${index}`, 'v'.repeat(256)]));
    expect(await profile(member.globalId)).toEqual({ attributes: { a: 1 }, tags: ['x'] });
    const accepted = await app.graphql(UPDATE, { input: { id: member.globalId, attributes: atLimit } }, admin);
    expect(accepted.data!.updateMember.__typename).toBe('MemberPayload');
    const enrolled = await app.graphql(ENROLL, { input: { email: 'over@example.com', attributes: tooMany } }, admin);
    expect(enrolled.data!.enrollMember.__typename).toBe('InvalidInputError');
    expect(await emails({ search: 'over@' })).toEqual([]);
  });

  it('are the program’s: a member may not set them; other tenants do not see them; erasure clears them', async () => {
    const member = await enroll(app, { email: 'self@example.com', attributes: { vip: true }, tags: ['gold'] });
    const asSelf = await app.graphql(
      UPDATE,
      { input: { id: member.globalId, tags: ['hacker'] } },
      await app.token({ role: 'member', subject: member.memberId }),
    );
    expect(asSelf.data!.updateMember.__typename).toBe('InvalidInputError');
    const stranger = await app.token({ role: 'admin', programId: 'globex' });
    const foreign = await app.graphql(SEARCH, { tags: ['gold'] }, stranger);
    expect(foreign.data!.members.edges).toEqual([]);
    await app.graphql(ERASE, { input: { id: member.globalId } }, admin);
    expect(await profile(member.globalId)).toEqual({ attributes: {}, tags: [] });
  });
});
