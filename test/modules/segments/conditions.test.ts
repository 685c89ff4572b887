import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enroll } from '../../support/members';
import { line, recordOrder } from '../../support/offers';
import { setUpTiers } from '../../support/tiers';
import { createSegment, segmentEmails } from '../../support/segments';
import { createTestApp, TEST_NOW, type TestApp } from '../../support/test-app';

const DAY = 86_400_000;
const at = (days: number) => new Date(new Date(TEST_NOW).getTime() + days * DAY);

describe('segment conditions, each at its boundaries', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    await setUpTiers(app, {}, [{ name: 'Silver', threshold: 5000, earnMultiplierPermille: 1000 }]);
    app.clock.set(at(-200));
    const ada = await enroll(app, {
      email: 'ada@example.com',
      birthday: '1990-03-15',
      consents: { email: true },
      tags: ['vip', 'tea'],
      attributes: { shop: 'Paris', kids: 2 },
    });
    app.clock.set(at(-50));
    const ben = await enroll(app, {
      email: 'ben@example.com',
      birthday: '1985-11-02',
      consents: { sms: true },
      tags: ['tea'],
      attributes: { shop: 'Lyon', kids: 0 },
    });
    app.clock.set(at(0));
    await enroll(app, { email: 'cy@example.com' });
    for (const [days, who, orderLine] of [
      [-100, ada, line('GREEN', 1, 1000, { category: 'tea' })],
      [-40, ben, line('GREEN', 1, 1000, { category: 'tea' })],
      [-10, ada, line('GREEN', 2, 1000, { category: 'tea' })],
      [-1, ada, line('BEANS', 1, 5000, { category: 'coffee' })],
    ] as const) {
      app.clock.set(at(days));
      await recordOrder(app, { memberId: who.globalId, lines: [orderLine] });
    }
    app.clock.set(at(0));
  });
  afterAll(() => app.close());

  const cases: Array<[string, unknown, string[]]> = [
    ['tier', { tier: { in: ['Silver'] } }, ['ada']],
    ['tags any', { tags: { any: ['VIP'] } }, ['ada']],
    ['tags all', { tags: { all: ['vip', 'tea'] } }, ['ada']],
    ['tags any of two', { tags: { any: ['tea', 'vip'] } }, ['ada', 'ben']],
    ['attribute equals', { attribute: { key: 'shop', equals: 'Paris' } }, ['ada']],
    ['attribute in', { attribute: { key: 'shop', in: ['Paris', 'Lyon'] } }, ['ada', 'ben']],
    ['attribute min', { attribute: { key: 'kids', min: 2 } }, ['ada']],
    ['attribute max', { attribute: { key: 'kids', max: 1 } }, ['ben']],
    ['attribute missing', { attribute: { key: 'kids', exists: false } }, ['cy']],
    ['enrolled from (inclusive)', { enrolled: { from: at(-200).toISOString() } }, ['ada', 'ben', 'cy']],
    ['enrolled from, 1 ms later', { enrolled: { from: new Date(at(-200).getTime() + 1).toISOString() } }, ['ben', 'cy']],
    ['enrolled between (inclusive)', { enrolled: { from: at(-200).toISOString(), to: at(-50).toISOString() } }, ['ada', 'ben']],
    ['birthday month', { birthdayMonth: { in: [3] } }, ['ada']],
    ['birthday months', { birthdayMonth: { in: [11, 12] } }, ['ben']],
    ['consent', { consent: 'email' }, ['ada']],
    ['points at least', { pointsBalance: { min: 80 } }, ['ada']],
    ['points above', { pointsBalance: { min: 81 } }, []],
    ['points at most', { pointsBalance: { max: 10 } }, ['ben', 'cy']],
    ['order count lifetime', { orderCount: { min: 3 } }, ['ada']],
    ['order count at most 1', { orderCount: { max: 1 } }, ['ben', 'cy']],
    ['order count within 10 days (window start included)', { orderCount: { min: 2, withinDays: 10 } }, ['ada']],
    ['order count within 9 days', { orderCount: { min: 2, withinDays: 9 } }, []],
    ['spend lifetime', { spend: { min: 8000 } }, ['ada']],
    ['spend lifetime, 1 more', { spend: { min: 8001 } }, []],
    ['spend within 1 day', { spend: { min: 5000, withinDays: 1 } }, ['ada']],
    ['spend at most', { spend: { max: 1000 } }, ['ben', 'cy']],
    ['days since last order at least', { daysSinceLastOrder: { min: 40 } }, ['ben']],
    ['days since last order, one more', { daysSinceLastOrder: { min: 41 } }, []],
    ['days since last order at most', { daysSinceLastOrder: { max: 1 } }, ['ada']],
    ['bought category k times within N days', { bought: { category: 'tea', atLeast: 2, withinDays: 101 } }, ['ada']],
    ['bought category, window one day short', { bought: { category: 'tea', atLeast: 2, withinDays: 100 } }, []],
    ['bought sku', { bought: { sku: 'BEANS' } }, ['ada']],
    ['not', { not: { tags: { any: ['tea'] } } }, ['cy']],
    ['any', { any: [{ consent: 'sms' }, { birthdayMonth: { in: [3] } }] }, ['ada', 'ben']],
    [
      'all',
      {
        all: [
          { tags: { any: ['tea'] } },
          { daysSinceLastOrder: { min: 30 } },
          { spend: { max: 1000 } },
          { consent: 'sms' },
          { not: { tier: { in: ['Silver'] } } },
        ],
      },
      ['ben'],
    ],
  ];
  it.each(cases)('%s', async (_name, definition, expected) => {
    expect(await segmentEmails(app, definition)).toEqual(expected);
  });

  it('refuses unknown tiers, tags and categories, bad shapes and too deep trees, with the path', async () => {
    const refused = async (definition: unknown) => {
      const result = await createSegment(app, definition);
      expect(result.__typename).toBe('InvalidInputError');
      return result.issues.map((issue: any) => issue.path.join('.'));
    };
    expect(await refused({ all: [{ tier: { in: ['Gold'] } }, { tags: { any: ['nope'] } }, { bought: { category: 'wine' } }] })).toEqual([
      'input.definition.all.0.tier.in.0',
      'input.definition.all.1.tags.any.0',
      'input.definition.all.2.bought.category',
    ]);
    expect(await refused({ any: [{ spend: { min: 5, max: 1 } }] })).toEqual(['input.definition.any.0.spend']);
    expect(await refused({ color: 'red' })).toEqual(['input.definition.color']);
    expect(await refused({ rfm: { recency: { min: 6 } } })).toEqual(['input.definition.rfm.recency.min']);
    const deep = { not: { not: { not: { not: { not: { not: { consent: 'email' } } } } } } };
    expect(await refused(deep)).toEqual(['input.definition.not.not.not.not.not.not']);
    expect(await segmentEmails(app, deep.not)).toEqual(['ben', 'cy']);
  });
});
