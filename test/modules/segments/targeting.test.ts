import { describe, expect, it } from 'vitest';
import { inFreshApp } from '../../support/ledger';
import { enroll } from '../../support/members';
import { createOffer, line, quote, recordOrder } from '../../support/offers';
import { createSegment } from '../../support/segments';

describe('offers targeting segments', () => {
  it('apply to members in one of the segments; others get NOT_IN_SEGMENT; quote and recordOrder agree', async () => {
    await inFreshApp(async (app) => {
      const vip = await enroll(app, { email: 'vip@example.com', tags: ['vip'] });
      const regular = await enroll(app, { email: 'regular@example.com', tags: ['regular'] });
      const vips = (await createSegment(app, { tags: { any: ['vip'] } }, 'VIPs')).segment;
      const tea = (await createSegment(app, { bought: { sku: 'TEA', atLeast: 1 } }, 'Tea buyers')).segment;
      const offer = await createOffer(app, {
        name: 'For VIPs and tea buyers',
        conditions: { segmentIds: [vips.id, tea.id] },
        effect: { amountOff: { amount: 100 } },
      });
      const reasonFor = (result: Record<string, any>) => result.notApplied.find((entry: any) => entry.offerId === offer.id)?.reason ?? null;
      const cart = { lines: [line('MUG', 1, 1000)] };

      for (const [member, expected] of [
        [vip, null],
        [regular, 'NOT_IN_SEGMENT'],
      ] as const) {
        const quoted = await quote(app, { ...cart, memberId: member.globalId });
        expect(reasonFor(quoted)).toBe(expected);
        const recorded = await recordOrder(app, { ...cart, memberId: member.globalId, expectedDiscount: quoted.discount.amount });
        expect(recorded.__typename).toBe('RecordOrderPayload');
        expect(recorded.discount.amount).toBe(quoted.discount.amount);
        expect(reasonFor(recorded)).toBe(expected);
      }
      expect(reasonFor(await quote(app, cart))).toBe('MEMBERS_ONLY');

      // Live for one member: buying tea puts the regular in the second segment before any refresh.
      await recordOrder(app, { lines: [line('TEA', 1, 500)], memberId: regular.globalId });
      expect(reasonFor(await quote(app, { ...cart, memberId: regular.globalId }))).toBeNull();
      const conditions = await app.graphql(
        `query($id: ID!) { node(id: $id) { ... on Offer { conditions { segments { name } } } } }`,
        { id: offer.id },
        await app.token({ role: 'admin' }),
      );
      expect(conditions.data!.node.conditions.segments.map((segment: any) => segment.name).sort()).toEqual(['Tea buyers', 'VIPs']);
    });
  });

  it('refuses segments of another program or that do not exist', async () => {
    await inFreshApp(async (app) => {
      await enroll(app, { email: 'vip@example.com', tags: ['vip'] });
      const vips = (await createSegment(app, { tags: { any: ['vip'] } })).segment;
      const response = await app.graphql(
        `mutation($input: CreateOfferInput!) { createOffer(input: $input) { __typename ... on InvalidInputError { issues { path } } } }`,
        { input: { name: 'x', conditions: { segmentIds: [vips.id] }, effect: { amountOff: { amount: 1 } } } },
        await app.token({ role: 'admin', programId: 'globex' }),
      );
      expect(response.data!.createOffer).toEqual({
        __typename: 'InvalidInputError',
        issues: [{ path: ['input', 'conditions', 'segmentIds'] }],
      });
    });
  });
});
