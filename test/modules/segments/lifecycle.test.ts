import { describe, expect, it } from 'vitest';
import { inFreshApp } from '../../support/ledger';
import { enroll } from '../../support/members';
import { line, recordOrder } from '../../support/offers';
import { importMembers, importOrders } from '../../support/history';
import { CREATE_SEGMENT, createSegment, REFRESH_SEGMENT, segmentEmails } from '../../support/segments';
import { TEST_NOW } from '../../support/test-app';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(new Date(TEST_NOW).getTime() - days * DAY).toISOString();

describe('RFM scores', () => {
  it('split the program’s customers into quintiles 1–5 (ties share a score; members without orders have none)', async () => {
    await inFreshApp(async (app) => {
      // Customer c<i> (i = 1..10): i orders of i × 100, the last one 11 − i days ago: all three measures grow with i.
      await importMembers(app, [
        ...Array.from({ length: 10 }, (_, index) => ({ externalId: `c${index + 1}`, email: `c${index + 1}@example.com` })),
        { externalId: 'none', email: 'none@example.com' },
      ]);
      const orders = Array.from({ length: 10 }, (_, index) => index + 1).flatMap((i) =>
        Array.from({ length: i }, (_, n) => ({
          memberExternalId: `c${i}`,
          orderId: `c${i}-${n}`,
          placedAt: daysAgo(11 - i + (i - 1 - n) * 0.001),
          currency: 'EUR',
          total: i * 100,
        })),
      );
      expect(await importOrders(app, orders)).toMatchObject({ imported: 55, rejected: [] });
      expect(await segmentEmails(app, { rfm: { recency: { min: 5 } } })).toEqual(['c10', 'c9']);
      expect(await segmentEmails(app, { rfm: { frequency: { max: 1 } } })).toEqual(['c1', 'c2']);
      expect(await segmentEmails(app, { rfm: { monetary: { min: 3, max: 3 } } })).toEqual(['c5', 'c6']);
      expect(await segmentEmails(app, { rfm: { recency: { min: 4 }, frequency: { min: 5 } } })).toEqual(['c10', 'c9']);
      expect(await segmentEmails(app, { not: { rfm: { recency: { min: 1 } } } })).toEqual(['none']);
      // Two more customers with one order of 100 each tie with c1: of 12 customers the three of rank 1 share score 1,
      // and c2 (rank 4) now scores 1 + ⌊3 × 5 / 12⌋ = 2.
      await importMembers(app, [
        { externalId: 't1', email: 't1@example.com' },
        { externalId: 't2', email: 't2@example.com' },
      ]);
      await importOrders(
        app,
        ['t1', 't2'].map((id) => ({ memberExternalId: id, orderId: `${id}-0`, placedAt: daysAgo(30), currency: 'EUR', total: 100 })),
      );
      expect(await segmentEmails(app, { rfm: { frequency: { max: 1 } } })).toEqual(['c1', 't1', 't2']);
      expect(await segmentEmails(app, { rfm: { frequency: { min: 2, max: 2 } } })).toEqual(['c2', 'c3']);
      expect(await segmentEmails(app, { rfm: { monetary: { max: 1 } } })).toEqual(['c1', 't1', 't2']);
    });
  });
});

describe('segment lifecycle', () => {
  it('is materialized on create, refreshed on demand and by the job, readable by id, and archived; member.segments follows', async () => {
    await inFreshApp(async (app) => {
      const admin = await app.token({ role: 'admin' });
      const ada = await enroll(app, { email: 'ada@example.com' });
      await enroll(app, { email: 'ben@example.com' });
      const created = await createSegment(app, { orderCount: { min: 1 } }, 'Customers');
      expect(created.segment).toMatchObject({ name: 'Customers', count: 0, lastRefreshedAt: TEST_NOW });
      await recordOrder(app, { memberId: ada.globalId, lines: [line('MUG', 1, 900)] });
      const query =
        `query($id: ID!) { segment(id: $id) { count members(first: 5) { edges { node { email } } } } member(id: $m) { segments { name } } }`.replace(
          'query($id: ID!)',
          'query($id: ID!, $m: ID!)',
        );
      expect((await app.graphql(query, { id: created.segment.id, m: ada.globalId }, admin)).data).toEqual({
        segment: { count: 0, members: { edges: [] } },
        member: { segments: [] },
      });
      const refreshed = await app.graphql(REFRESH_SEGMENT, { input: { id: created.segment.id } }, admin);
      expect(refreshed.data!.refreshSegment.segment.count).toBe(1);
      expect((await app.graphql(query, { id: created.segment.id, m: ada.globalId }, admin)).data).toEqual({
        segment: { count: 1, members: { edges: [{ node: { email: 'ada@example.com' } }] } },
        member: { segments: [{ name: 'Customers' }] },
      });

      const ben = await enroll(app, { email: 'cy@example.com' });
      await recordOrder(app, { memberId: ben.globalId, lines: [line('MUG', 1, 900)] });
      const run = await app.graphql(
        `mutation { runJob(input: { job: REFRESH_SEGMENTS }) { __typename ... on RunJobPayload { run { finishedAt error } } } }`,
        {},
        admin,
      );
      expect(run.data!.runJob.run).toMatchObject({ error: null });
      expect((await app.graphql(query, { id: created.segment.id, m: ada.globalId }, admin)).data!.segment.count).toBe(2);

      const archived = await app.graphql(
        `mutation($input: SegmentIdInput!) { archiveSegment(input: $input) { ... on SegmentPayload { segment { status } } } }`,
        { input: { id: created.segment.id } },
        admin,
      );
      expect(archived.data!.archiveSegment.segment.status).toBe('ARCHIVED');
      expect((await app.graphql(query, { id: created.segment.id, m: ada.globalId }, admin)).data!.member.segments).toEqual([]);
      const list = await app.graphql(
        `{ active: segments(first: 5) { edges { node { name } } } all: segments(first: 5, includeArchived: true) { edges { node { name status } } } }`,
        {},
        admin,
      );
      expect(list.data).toEqual({ active: { edges: [] }, all: { edges: [{ node: { name: 'Customers', status: 'ARCHIVED' } }] } });
    });
  });

  it('belongs to its program: storefronts read, only admins write, members and other tenants see nothing', async () => {
    await inFreshApp(async (app) => {
      const ada = await enroll(app, { email: 'ada@example.com', tags: ['vip'] });
      const created = await createSegment(app, { tags: { any: ['vip'] } });
      const read = `query($id: ID!) { segment(id: $id) { count } }`;
      expect((await app.graphql(read, { id: created.segment.id }, await app.token({ role: 'storefront' }))).data!.segment.count).toBe(1);
      expect(
        (await app.graphql(read, { id: created.segment.id }, await app.token({ role: 'member', subject: ada.memberId }))).errors?.[0]
          ?.extensions?.code,
      ).toBe('FORBIDDEN');
      expect(
        (await app.graphql(read, { id: created.segment.id }, await app.token({ role: 'admin', programId: 'globex' }))).data!.segment,
      ).toBeNull();
      const storefrontWrite = await app.graphql(
        CREATE_SEGMENT,
        { input: { name: 'x', definition: { consent: 'email' } } },
        await app.token({ role: 'storefront' }),
      );
      expect(storefrontWrite.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const own = await app.graphql(
        `query($id: ID!) { member(id: $id) { segments { name } } }`,
        { id: ada.globalId },
        await app.token({ role: 'member', subject: ada.memberId }),
      );
      expect(own.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });
});
