import { describe, expect, it } from 'vitest';
import { inFreshApp, memberLedger } from '../../support/ledger';
import { createOffer, line, recordOrder } from '../../support/offers';
import { IMPORT_ORDERS, importMembers, importOrders, memberStats, ORDERS } from '../../support/history';
import { TEST_NOW, type TestApp } from '../../support/test-app';
import { readEvents } from '../../support/events';
import { profileChangedSinceRead, profileUpdatesStatements } from '../../../src/modules/members';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(new Date(TEST_NOW).getTime() - days * DAY).toISOString();
const MEMBER_BY_EXTERNAL_ID = `query($externalId: String!) { memberByExternalId(externalId: $externalId) { id email name tags attributes consents { email } } }`;
const order = (orderId: string, extra: Record<string, unknown> = {}) => ({
  memberExternalId: 'C-1',
  orderId,
  placedAt: daysAgo(30),
  currency: 'EUR',
  lines: [line('GREEN', 2, 1000, { category: 'tea' })],
  ...extra,
});

describe('importMembers', () => {
  it('creates or updates by external id and rejects bad rows one by one', async () => {
    await inFreshApp(async (app) => {
      const first = await importMembers(app, [
        {
          externalId: 'C-1',
          email: 'ada@example.com',
          name: 'Ada',
          tags: ['Imported'],
          attributes: { shop: 'Paris' },
          consents: { email: true },
        },
        { externalId: 'C-2', email: 'not an email' },
        { externalId: 'C-3', email: 'ada@example.com' },
        { externalId: 'C-1', name: 'Twice' },
      ]);
      expect(first).toMatchObject({ created: 1, updated: 0 });
      expect(first.rejected.map((rejection: any) => [rejection.index, rejection.code, rejection.path])).toEqual([
        [1, 'INVALID_INPUT', ['email']],
        [2, 'DUPLICATE_MEMBER', ['email']],
        [3, 'DUPLICATE_IN_REQUEST', ['externalId']],
      ]);
      const again = await importMembers(app, [{ externalId: 'C-1', name: 'Ada Lovelace', tags: ['vip'] }]);
      expect(again).toMatchObject({ created: 0, updated: 1, rejected: [] });
      const member = (await app.graphql(MEMBER_BY_EXTERNAL_ID, { externalId: 'C-1' }, await app.token({ role: 'admin' }))).data!
        .memberByExternalId;
      expect(member).toMatchObject({
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        tags: ['vip'],
        attributes: { shop: 'Paris' },
        consents: { email: true },
      });
      const storefront = await app.graphql(
        `mutation { importMembers(input: { members: [{ externalId: "X" }] }) { __typename } }`,
        {},
        await app.token({ role: 'storefront' }),
      );
      expect(storefront.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });
});

describe('importMembers of new members', () => {
  it('enrolls them in one read and one write, each with its referral code and member.enrolled event', async () => {
    await inFreshApp(async (app) => {
      const rows = Array.from({ length: 300 }, (_, index) => ({ externalId: `N-${index}`, email: `n${index}@example.com`, tags: ['new'] }));
      await importMembers(app, [{ externalId: 'N-first' }]);
      app.roundTrips.reset();
      expect(await importMembers(app, rows)).toMatchObject({ created: 300, updated: 0, rejected: [] });
      // The lookup by external id, then one batch (an app's first request costs one more).
      expect(app.roundTrips.count).toBe(2);
      const admin = await app.token({ role: 'admin' });
      const member = (await app.graphql(`query { memberByExternalId(externalId: "N-299") { id email tags referralCode } }`, {}, admin))
        .data!.memberByExternalId;
      expect(member).toMatchObject({ email: 'n299@example.com', tags: ['new'] });
      expect(member.referralCode).toMatch(/^[A-Z0-9]{8}$/);
      const enrolled = await readEvents(app, { types: ['member.enrolled'] });
      expect(enrolled.map((event) => event.data.externalId).sort()).toEqual(['N-first', ...rows.map((row) => row.externalId)].sort());
    });
  });
});

describe('importMembers of existing members', () => {
  const count = async (app: TestApp, sql: string) => Number((await app.client.execute(sql)).rows[0]![0]);
  const versions = async (app: TestApp) => (await app.client.execute('select key, version from state_versions order by key')).rows;
  const memberIdOf = async (app: TestApp, externalId: string) =>
    String((await app.client.execute({ sql: 'select id from members where external_id = ?', args: [externalId] })).rows[0]![0]);

  it('updates them in one read and one write, each with its member.updated event, moving no state version', async () => {
    await inFreshApp(async (app) => {
      await importMembers(
        app,
        Array.from({ length: 300 }, (_, index) => ({ externalId: `U-${index}`, email: `u${index}@example.com`, name: `Before ${index}` })),
      );
      const versionsBefore = await versions(app);
      const fingerprintsBefore = await count(app, 'select count(*) from email_fingerprints');
      const rows = Array.from({ length: 300 }, (_, index) => ({
        externalId: `U-${index}`,
        name: `After ${index}`,
        tags: ['updated'],
        ...(index < 10 ? { email: `changed${index}@example.com` } : {}),
        ...(index % 2 ? { consents: { sms: true } } : {}),
      }));
      app.roundTrips.reset();
      expect(await importMembers(app, rows)).toMatchObject({ created: 0, updated: 300, rejected: [] });
      // The lookup by external id, the members read, then one batch.
      expect(app.roundTrips.count).toBe(3);
      const admin = await app.token({ role: 'admin' });
      const member = (await app.graphql(`query { memberByExternalId(externalId: "U-3") { email name tags consents { sms } } }`, {}, admin))
        .data!.memberByExternalId;
      expect(member).toEqual({ email: 'changed3@example.com', name: 'After 3', tags: ['updated'], consents: { sms: true } });
      const updated = await readEvents(app, { types: ['member.updated'] });
      expect(updated).toHaveLength(300);
      expect(updated.find((event) => event.data.externalId === 'U-3')!.data).toMatchObject({
        changed: ['consentSms', 'email', 'externalId', 'name', 'tags'],
        consents: { sms: true },
      });
      expect(updated.find((event) => event.data.externalId === 'U-14')!.data.changed).toEqual(['externalId', 'name', 'tags']);
      // The new emails are fingerprinted for referrals; the member-state cache's versions do not move, as with updateMember.
      expect(await count(app, 'select count(*) from email_fingerprints')).toBe(fingerprintsBefore + 10);
      expect(await versions(app)).toEqual(versionsBefore);
    });
  });

  it('goes one by one when the batch meets an email another member has, so only that row is rejected', async () => {
    await inFreshApp(async (app) => {
      await importMembers(app, [
        { externalId: 'A', email: 'a@example.com' },
        { externalId: 'B', email: 'b@example.com' },
        { externalId: 'C', email: 'c@example.com' },
      ]);
      const result = await importMembers(app, [
        { externalId: 'A', name: 'Ann' },
        { externalId: 'B', email: 'c@example.com' },
        { externalId: 'C', name: 'Cy' },
      ]);
      expect(result).toMatchObject({ created: 0, updated: 2 });
      expect(result.rejected.map((rejection: any) => [rejection.index, rejection.code, rejection.path])).toEqual([
        [1, 'DUPLICATE_MEMBER', ['email']],
      ]);
      expect((await readEvents(app, { types: ['member.updated'] })).map((event) => event.data.externalId).sort()).toEqual(['A', 'C']);
      expect(await count(app, "select count(*) from members where email = 'b@example.com'")).toBe(1);
    });
  });

  it('writes nothing when a member changed between the read and the batch (an email, an erasure)', async () => {
    await inFreshApp(async (app) => {
      await importMembers(app, [
        { externalId: 'A', email: 'a@example.com' },
        { externalId: 'B', email: 'b@example.com' },
      ]);
      const [a, b] = [await memberIdOf(app, 'A'), await memberIdOf(app, 'B')];
      const admin = await app.token({ role: 'admin' });
      const at = app.clock.now();
      const prepared = await profileUpdatesStatements(
        app.db,
        'acme',
        [
          { memberId: a, update: { name: 'Batch A' } },
          { memberId: b, update: { name: 'Batch B' } },
        ],
        at,
      );
      expect(prepared.refused).toEqual([]);
      const changed = await app.graphql(
        `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { __typename } }`,
        {
          input: {
            id: (await app.graphql(MEMBER_BY_EXTERNAL_ID, { externalId: 'B' }, admin)).data!.memberByExternalId.id,
            email: 'b2@example.com',
          },
        },
        admin,
      );
      expect(changed.data?.updateMember.__typename).toBe('MemberPayload');
      const error = await app.db.batch(prepared.statements as [any, ...any[]]).catch((caught: unknown) => caught);
      expect(profileChangedSinceRead(error)).toBe(true);
      expect(await count(app, "select count(*) from members where name like 'Batch%'")).toBe(0);

      const again = await profileUpdatesStatements(app.db, 'acme', [{ memberId: a, update: { name: 'Batch A' } }], at);
      const erased = await app.graphql(
        `mutation($input: EraseMemberInput!) { eraseMember(input: $input) { __typename } }`,
        { input: { id: (await app.graphql(MEMBER_BY_EXTERNAL_ID, { externalId: 'A' }, admin)).data!.memberByExternalId.id } },
        admin,
      );
      expect(erased.data?.eraseMember.__typename).toBe('MemberPayload');
      expect(profileChangedSinceRead(await app.db.batch(again.statements as [any, ...any[]]).catch((caught: unknown) => caught))).toBe(
        true,
      );
      expect(await count(app, "select count(*) from members where name like 'Batch%'")).toBe(0);
      expect((await readEvents(app, { types: ['member.updated'] })).map((event) => event.data.externalId)).toEqual(['B']);
    });
  });
});

describe('importOrders', () => {
  it('imports past orders once, rejects bad rows with their index and why, and they count for history and stats', async () => {
    await inFreshApp(async (app) => {
      const { member } = await importMembers(app, [{ externalId: 'C-1', email: 'ada@example.com' }]).then(async () => ({
        member: (await app.graphql(MEMBER_BY_EXTERNAL_ID, { externalId: 'C-1' }, await app.token({ role: 'admin' }))).data!
          .memberByExternalId,
      }));
      const rows = [
        order('OLD-1', { placedAt: daysAgo(400), lines: [line('BEANS', 1, 2500, { category: 'coffee' })] }),
        order('OLD-2', { discount: 500 }),
        order('BAD-FUTURE', { placedAt: new Date(new Date(TEST_NOW).getTime() + 1000).toISOString() }),
        order('BAD-CURRENCY', { currency: 'ABC' }),
        order('BAD-USD', { currency: 'USD' }),
        order('BAD-MEMBER', { memberExternalId: 'nobody' }),
        order('BAD-LINE', { lines: [line('GREEN', 0, 1000)] }),
        order('BAD-TOTAL', { total: 10, lines: [line('GREEN', 1, 1000)] }),
        order('OLD-2'),
        order('BAD-1969', { placedAt: '1969-12-31T23:59:59Z' }),
      ];
      const result = await importOrders(app, rows);
      expect(result).toMatchObject({ imported: 2, skipped: 0 });
      expect(result.rejected.map((rejection: any) => [rejection.index, rejection.id, rejection.code, rejection.path])).toEqual([
        [2, 'BAD-FUTURE', 'FUTURE_PLACED_AT', ['placedAt']],
        [3, 'BAD-CURRENCY', 'UNKNOWN_CURRENCY', ['currency']],
        [4, 'BAD-USD', 'CURRENCY_MISMATCH', ['currency']],
        [5, 'BAD-MEMBER', 'MEMBER_NOT_FOUND', ['memberExternalId']],
        [6, 'BAD-LINE', 'INVALID_INPUT', ['lines', '0', 'quantity']],
        [7, 'BAD-TOTAL', 'INVALID_INPUT', ['total']],
        [8, 'OLD-2', 'DUPLICATE_IN_REQUEST', ['orderId']],
        [9, 'BAD-1969', 'INVALID_INPUT', ['placedAt']],
      ]);
      const again = await importOrders(app, rows.slice(0, 2));
      expect(again).toMatchObject({ imported: 0, skipped: 2, rejected: [] });

      expect(await memberStats(app, member.id)).toEqual({
        firstOrderAt: daysAgo(400),
        lastOrderAt: daysAgo(30),
        orderCount: 2,
        totalSpend: 4000,
        averageOrderValue: 2000,
        skus: [
          { key: 'BEANS', orders: 1 },
          { key: 'GREEN', orders: 1 },
        ],
        categories: [
          { key: 'coffee', orders: 1 },
          { key: 'tea', orders: 1 },
        ],
      });
      const live = await recordOrder(app, { memberId: member.id, lines: [line('MUG', 1, 900)] });
      const history = await app.graphql(ORDERS, { memberId: member.id, first: 10 }, await app.token({ role: 'admin' }));
      expect(history.data!.orders.edges.map((edge: any) => [edge.node.orderId, edge.node.placedAt])).toEqual([
        [live.orderId, TEST_NOW],
        ['OLD-2', daysAgo(30)],
        ['OLD-1', daysAgo(400)],
      ]);
      expect((await memberLedger(app, member.id)).pointsBalance).toBe(9);
    });
  });

  it('counts imported orders for orderNumber and withinDaysOfLastOrder offers', async () => {
    await inFreshApp(async (app) => {
      await importMembers(app, [{ externalId: 'C-1', email: 'ada@example.com' }]);
      const memberId = (await app.graphql(MEMBER_BY_EXTERNAL_ID, { externalId: 'C-1' }, await app.token({ role: 'admin' }))).data!
        .memberByExternalId.id;
      await createOffer(app, { name: 'Second order', conditions: { orderNumber: 2 }, effect: { amountOff: { amount: 300 } } });
      await createOffer(app, { name: 'Come back', conditions: { withinDaysOfLastOrder: 7 }, effect: { amountOff: { amount: 100 } } });
      await importOrders(app, [order('OLD-1', { placedAt: daysAgo(3) })]);
      const recorded = await recordOrder(app, { memberId, lines: [line('MUG', 1, 900)] });
      expect(recorded.appliedOffers.map((applied: any) => applied.offer.name).sort()).toEqual(['Come back', 'Second order']);
    });
  });

  it('earns points at the base rate when asked, once, with a sound ledger', async () => {
    await inFreshApp(async (app) => {
      await importMembers(app, [{ externalId: 'C-1', email: 'ada@example.com' }]);
      const memberId = (await app.graphql(MEMBER_BY_EXTERNAL_ID, { externalId: 'C-1' }, await app.token({ role: 'admin' }))).data!
        .memberByExternalId.id;
      const rows = [order('E-1'), order('E-2', { lines: [line('BEANS', 3, 1000)] }), order('E-3', { currency: 'USD' })];
      expect(await importOrders(app, rows, { earnPoints: true })).toMatchObject({
        imported: 2,
        skipped: 0,
        rejected: [{ index: 2, code: 'CURRENCY_MISMATCH' }],
      });
      expect(await importOrders(app, rows.slice(0, 2), { earnPoints: true })).toMatchObject({ imported: 0, skipped: 2 });
      expect((await memberLedger(app, memberId)).pointsBalance).toBe(50);
      expect((await memberStats(app, memberId)).orderCount).toBe(2);
    });
  });

  it('takes at most 1,000 rows a call, admins only, and never another tenant’s members', async () => {
    await inFreshApp(async (app) => {
      await importMembers(app, [{ externalId: 'C-1', email: 'ada@example.com' }]);
      const tooMany = Array.from({ length: 1001 }, (_, index) => order(`N-${index}`));
      const response = await app.graphql(IMPORT_ORDERS, { input: { orders: tooMany } }, await app.token({ role: 'admin' }));
      expect(response.data!.importOrders).toMatchObject({ __typename: 'InvalidInputError' });
      const storefront = await app.graphql(IMPORT_ORDERS, { input: { orders: [order('S-1')] } }, await app.token({ role: 'storefront' }));
      expect(storefront.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const globex = await importOrders(app, [order('G-1', { currency: 'EUR' })], {
        token: await app.token({ role: 'admin', programId: 'globex' }),
      });
      expect(globex.rejected.map((rejection: any) => rejection.code)).toEqual([
        expect.stringMatching(/MEMBER_NOT_FOUND|CURRENCY_MISMATCH/),
      ]);
      expect(
        await importOrders(
          app,
          Array.from({ length: 1000 }, (_, index) => order(`N-${index}`)),
        ),
      ).toMatchObject({ imported: 1000 });
    });
  });
});
