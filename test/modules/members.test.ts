import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createTestApp, type TestApp } from '../support/test-app';
import { enroll } from '../support/members';
import { ENROLL, ERASE, ME, MEMBER, MEMBER_BY_EXTERNAL_ID, MEMBERS, UPDATE } from '../support/operations';

let app: TestApp;
let admin: string;

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.token({ role: 'admin' });
});
afterAll(() => app.close());

describe('enrollMember', () => {
  it('enrolls with normalized email, consents and a Relay global id', async () => {
    const { member } = await enroll(app, {
      externalId: 'shop-1',
      email: '  Ada@Example.COM ',
      name: 'Ada Lovelace',
      birthday: '1990-12-10',
      consents: { email: true },
    });
    expect(member).toMatchObject({
      externalId: 'shop-1',
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      birthday: '1990-12-10',
      status: 'ACTIVE',
      consents: { email: true, sms: false, push: false },
      enrolledAt: '2026-11-23T10:00:00.000Z',
      erasedAt: null,
    });
    expect(atob(member.id)).toMatch(/^Member:/);
  });

  it.each([
    [{ email: 'not-an-email' }, ['input', 'email'], 'valid email'],
    [{ email: 'x@y.z', birthday: '2001-02-29' }, ['input', 'birthday'], 'real calendar date'],
    [{ email: 'x@y.z', birthday: '10/12/1990' }, ['input', 'birthday'], 'YYYY-MM-DD'],
    [{ name: 'Nobody' }, ['input', 'externalId'], 'externalId or an email'],
    [{ externalId: '   ' }, ['input', 'externalId'], 'must not be empty'],
    [{ externalId: 'x'.repeat(129) }, ['input', 'externalId'], 'at most 128'],
  ])('rejects %j with a typed InvalidInputError and writes nothing', async (input, path, message) => {
    const before = await app.graphql(MEMBERS, { first: 100 }, admin);
    const response = await app.graphql(ENROLL, { input }, admin);
    const result = response.data?.enrollMember;
    expect(result.__typename).toBe('InvalidInputError');
    expect(result.code).toBe('INVALID_INPUT');
    expect(result.issues).toContainEqual({ path, message: expect.stringContaining(message) });
    const after = await app.graphql(MEMBERS, { first: 100 }, admin);
    expect(after.data?.members.edges).toHaveLength(before.data?.members.edges.length);
  });

  it('reports a duplicate externalId or email (any case) as DuplicateMemberError', async () => {
    await enroll(app, { externalId: 'dup-1', email: 'dup@example.com' });
    const byExternal = await app.graphql(ENROLL, { input: { externalId: 'dup-1' } }, admin);
    expect(byExternal.data?.enrollMember).toMatchObject({
      __typename: 'DuplicateMemberError',
      field: 'externalId',
      code: 'DUPLICATE_MEMBER',
    });
    const byEmail = await app.graphql(ENROLL, { input: { email: 'DUP@example.com' } }, admin);
    expect(byEmail.data?.enrollMember).toMatchObject({ __typename: 'DuplicateMemberError', field: 'email' });
  });

  it('allows the same externalId and email in another program', async () => {
    await enroll(app, { externalId: 'shared-1', email: 'shared@example.com' });
    const globexAdmin = await app.token({ role: 'admin', programId: 'globex' });
    await enroll(app, { externalId: 'shared-1', email: 'shared@example.com' }, globexAdmin);
  });

  it('lets concurrent enrollments with one email produce exactly one member', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => app.graphql(ENROLL, { input: { email: 'race@example.com' } }, admin)),
    );
    const names = results.map((response) => response.data?.enrollMember.__typename);
    expect(names.filter((name) => name === 'MemberPayload')).toHaveLength(1);
    expect(names.filter((name) => name === 'DuplicateMemberError')).toHaveLength(9);
  });
});

describe('updateMember', () => {
  it('changes only the given fields and clears fields set to null', async () => {
    const { globalId } = await enroll(app, {
      externalId: 'upd-1',
      email: 'upd@example.com',
      name: 'Old',
      birthday: '1980-01-01',
      consents: { sms: true },
    });
    app.clock.set('2026-11-24T08:00:00Z');
    const response = await app.graphql(UPDATE, { input: { id: globalId, name: 'New', birthday: null, consents: { email: true } } }, admin);
    expect(response.data?.updateMember.member).toMatchObject({
      externalId: 'upd-1',
      email: 'upd@example.com',
      name: 'New',
      birthday: null,
      consents: { email: true, sms: true, push: false },
    });
    app.clock.set('2026-11-23T10:00:00Z');
  });

  it('maps duplicates, unknown members and bad input to typed errors', async () => {
    const first = await enroll(app, { email: 'first@example.com' });
    await enroll(app, { email: 'second@example.com' });
    const duplicate = await app.graphql(UPDATE, { input: { id: first.globalId, email: 'SECOND@example.com' } }, admin);
    expect(duplicate.data?.updateMember).toMatchObject({ __typename: 'DuplicateMemberError', field: 'email' });

    const unknown = await app.graphql(UPDATE, { input: { id: encodeGlobalID('Member', 'nope'), name: 'X' } }, admin);
    expect(unknown.data?.updateMember).toMatchObject({ __typename: 'MemberNotFoundError', code: 'MEMBER_NOT_FOUND' });

    const invalid = await app.graphql(UPDATE, { input: { id: first.globalId, email: 'bad' } }, admin);
    expect(invalid.data?.updateMember.__typename).toBe('InvalidInputError');

    const unchanged = await app.graphql(MEMBER, { id: first.globalId }, admin);
    expect(unchanged.data?.member.email).toBe('first@example.com');
  });
});

describe('updateMember by the member itself', () => {
  it('may change name, birthday and consents, not the identifiers the program owns', async () => {
    const { globalId, memberId } = await enroll(app, { externalId: 'self-1', email: 'self@example.com' });
    const token = await app.token({ role: 'member', subject: memberId });
    const own = await app.graphql(UPDATE, { input: { id: globalId, name: 'Me', consents: { sms: true } } }, token);
    expect(own.data?.updateMember.member).toMatchObject({ name: 'Me', consents: { sms: true } });
    const takeover = await app.graphql(UPDATE, { input: { id: globalId, externalId: 'cus_victim', email: 'victim@example.com' } }, token);
    expect(takeover.data?.updateMember).toMatchObject({ __typename: 'InvalidInputError' });
    expect(takeover.data?.updateMember.issues.map((issue: { path: string[] }) => issue.path.join('.'))).toEqual([
      'input.externalId',
      'input.email',
    ]);
    expect((await app.graphql(MEMBER, { id: globalId }, admin)).data?.member).toMatchObject({
      externalId: 'self-1',
      email: 'self@example.com',
    });
  });

  it('never leaves a member without an externalId or an email', async () => {
    const { globalId } = await enroll(app, { externalId: 'only-id' });
    const response = await app.graphql(UPDATE, { input: { id: globalId, externalId: null } }, admin);
    expect(response.data?.updateMember).toMatchObject({ __typename: 'InvalidInputError', issues: [{ path: ['input', 'externalId'] }] });
  });
});

describe('eraseMember', () => {
  it('removes personal data and consents, keeps an anonymous member, and is idempotent', async () => {
    const { globalId } = await enroll(app, {
      externalId: 'gdpr-1',
      email: 'gdpr@example.com',
      name: 'Grace',
      birthday: '1985-05-05',
      consents: { email: true, sms: true },
    });
    app.clock.set('2026-12-01T00:00:00Z');
    const erased = await app.graphql(ERASE, { input: { id: globalId } }, admin);
    expect(erased.data?.eraseMember.member).toEqual({
      id: globalId,
      externalId: null,
      email: null,
      name: null,
      birthday: null,
      status: 'ERASED',
      consents: { email: false, sms: false, push: false },
      enrolledAt: '2026-11-23T10:00:00.000Z',
      erasedAt: '2026-12-01T00:00:00.000Z',
    });
    app.clock.set('2026-11-23T10:00:00Z');

    const again = await app.graphql(ERASE, { input: { id: globalId } }, admin);
    expect(again.data?.eraseMember.member.erasedAt).toBe('2026-12-01T00:00:00.000Z');

    const update = await app.graphql(UPDATE, { input: { id: globalId, name: 'Back' } }, admin);
    expect(update.data?.updateMember).toMatchObject({ __typename: 'MemberErasedError', code: 'MEMBER_ERASED' });

    const byExternal = await app.graphql(MEMBER_BY_EXTERNAL_ID, { externalId: 'gdpr-1' }, admin);
    expect(byExternal.data?.memberByExternalId).toBeNull();
    const search = await app.graphql(MEMBERS, { first: 50, search: 'grace' }, admin);
    expect(search.data?.members.edges).toEqual([]);

    // The freed email and externalId can be used by a new enrollment.
    await enroll(app, { externalId: 'gdpr-1', email: 'gdpr@example.com' });

    const rows = await app.client.execute({ sql: 'select * from members where id = ?', args: [atob(globalId).slice(7)] });
    const row = rows.rows[0]!;
    expect([row.email, row.name, row.birthday, row.external_id]).toEqual([null, null, null, null]);
  });

  it('returns MemberNotFoundError for a member of another program', async () => {
    const globexAdmin = await app.token({ role: 'admin', programId: 'globex' });
    const { globalId } = await enroll(app, { email: 'other-tenant@example.com' }, globexAdmin);
    const response = await app.graphql(ERASE, { input: { id: globalId } }, admin);
    expect(response.data?.eraseMember.__typename).toBe('MemberNotFoundError');
    const still = await app.graphql(MEMBER, { id: globalId }, globexAdmin);
    expect(still.data?.member.email).toBe('other-tenant@example.com');
  });
});

describe('reading members', () => {
  it('finds a member by global id and by externalId, and null when absent', async () => {
    const { globalId } = await enroll(app, { externalId: 'read-1', email: 'read@example.com' });
    expect((await app.graphql(MEMBER, { id: globalId }, admin)).data?.member.email).toBe('read@example.com');
    expect((await app.graphql(MEMBER_BY_EXTERNAL_ID, { externalId: 'read-1' }, admin)).data?.memberByExternalId.id).toBe(globalId);
    expect((await app.graphql(MEMBER_BY_EXTERNAL_ID, { externalId: 'nobody' }, admin)).data?.memberByExternalId).toBeNull();
    expect((await app.graphql(MEMBER, { id: encodeGlobalID('Member', 'nope') }, admin)).data?.member).toBeNull();
    expect((await app.graphql(MEMBER, { id: 'garbage' }, admin)).data?.member).toBeNull();
  });

  it('pages through members forwards and backwards with cursors, and searches', async () => {
    const local = await createTestApp();
    const token = await local.token({ role: 'storefront' });
    for (let index = 0; index < 7; index++) {
      await enroll(local, { email: `page${index}@example.com`, name: index % 2 ? 'Odd Person' : 'Even 50% Person' }, token);
    }
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await local.graphql(MEMBERS, { first: 3, after }, token);
      const { edges, pageInfo } = page.data!.members;
      seen.push(...edges.map((edge: any) => edge.node.email));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen).toEqual(Array.from({ length: 7 }, (_, index) => `page${index}@example.com`));

    const last = await local.graphql(MEMBERS, { last: 2 }, token);
    expect(last.data?.members.edges.map((edge: any) => edge.node.email)).toEqual(['page5@example.com', 'page6@example.com']);
    expect(last.data?.members.pageInfo.hasPreviousPage).toBe(true);

    const odd = await local.graphql(MEMBERS, { first: 10, search: 'ODD' }, token);
    expect(odd.data?.members.edges).toHaveLength(3);
    const percent = await local.graphql(MEMBERS, { first: 10, search: '50%' }, token);
    expect(percent.data?.members.edges).toHaveLength(4);
    const nothing = await local.graphql(MEMBERS, { first: 10, search: '%' }, token);
    expect(nothing.data?.members.edges).toHaveLength(4);
    local.close();
  });

  it('answers me with the member of a member token', async () => {
    const { memberId, globalId } = await enroll(app, { email: 'me@example.com' });
    const token = await app.token({ role: 'member', subject: memberId });
    expect((await app.graphql(ME, {}, token)).data?.me).toMatchObject({ id: globalId, email: 'me@example.com' });
  });
});
