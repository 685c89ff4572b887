import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app';
import { ENROLL, MEMBER, UPDATE } from '../support/operations';
import { enroll } from '../support/members';
import { ADJUST, closeSoundly, key, RECORD_ORDER, UPDATE_RULES } from '../support/ledger';
import { send as sendAs } from '../support/tiers';

/** Inputs that used to be stored as something else than was sent, or not at all plausible. */
describe('inputs are refused with the field, or stored exactly', () => {
  let app: TestApp;
  let admin: string;
  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.token({ role: 'admin' });
  });
  afterAll(() => closeSoundly(app));

  const send = (query: string, input: Record<string, unknown>) => sendAs(app, query, input, admin);
  const issuesOf = (result: Record<string, any>) =>
    (result.issues as Array<{ path: string[]; message: string }>).map((issue) => [issue.path.join('.'), issue.message]);

  it('refuses NUL and other control characters in identifiers and names, and changes nothing', async () => {
    for (const [field, value] of [
      ['externalId', 'cus_2\u0000one'],
      ['externalId', 'cus_\u001b[31m'],
      ['name', 'Ada\u0007'],
      ['name', 'Ada\u0085Lovelace'],
      ['name', 'Ada\nLovelace'],
    ] as const) {
      const result = await send(ENROLL, { email: `ctl-${field}@example.com`, [field]: value });
      expect(result.__typename, JSON.stringify(value)).toBe('InvalidInputError');
      expect(issuesOf(result)).toEqual([[`input.${field}`, 'must not contain control characters']]);
    }
    const members = await app.graphql('{ members(first: 50) { edges { node { email } } } }', {}, admin);
    expect(members.data!.members.edges.filter((edge: any) => edge.node.email?.startsWith('ctl-'))).toEqual([]);

    const { globalId } = await enroll(app, { email: 'ctl-ok@example.com', externalId: 'cus_2' });
    expect(issuesOf(await send(UPDATE, { id: globalId, externalId: 'cus_2\u0000one' }))).toEqual([
      ['input.externalId', 'must not contain control characters'],
    ]);
    const order = await send(RECORD_ORDER, {
      memberId: globalId,
      orderId: 'o\u0000-1',
      currency: 'EUR',
      lines: [{ sku: 'BEANS\u0000', quantity: 1, unitPrice: 100 }],
      idempotencyKey: key(),
    });
    expect(issuesOf(order)).toEqual(
      expect.arrayContaining([
        ['input.orderId', 'must not contain control characters'],
        ['input.lines.0.sku', 'must not contain control characters'],
      ]),
    );
    expect(
      issuesOf(await send(RECORD_ORDER, { memberId: globalId, orderId: 'o-2', currency: 'EUR', total: 100, idempotencyKey: 'key\u0000' })),
    ).toEqual([['input.idempotencyKey', 'must not contain control characters']]);
  });

  it('keeps ordinary Unicode, emoji and right-to-left text exactly; a reason may span lines', async () => {
    const name = 'שלום עליכם 👋🏽 Zoë';
    const { globalId } = await enroll(app, { email: 'unicode@example.com', externalId: 'קוד-42', name });
    const read = await app.graphql(MEMBER, { id: globalId }, admin);
    expect(read.data!.member).toMatchObject({ name, externalId: 'קוד-42' });
    const adjusted = await send(ADJUST, { memberId: globalId, points: 5, reason: 'Goodwill:\n\tlate delivery', idempotencyKey: key() });
    expect(adjusted).toMatchObject({ __typename: 'PointsPayload', transfer: { reason: 'Goodwill:\n\tlate delivery' } });
    expect(issuesOf(await send(ADJUST, { memberId: globalId, points: 5, reason: 'bad\u0000reason', idempotencyKey: key() }))).toEqual([
      ['input.reason', 'must not contain control characters other than tabs and line breaks'],
    ]);
  });

  it('accepts only ISO 4217 currencies in use', async () => {
    expect(issuesOf(await send(UPDATE_RULES, { currency: 'XYZ' }))).toEqual([
      ['input.currency', 'must be an ISO 4217 currency code in use, e.g. EUR'],
    ]);
    const { globalId } = await enroll(app, { email: 'currency@example.com' });
    expect(
      issuesOf(await send(RECORD_ORDER, { memberId: globalId, orderId: 'c-1', currency: 'ABC', total: 100, idempotencyKey: key() })),
    ).toEqual([['input.currency', 'must be an ISO 4217 currency code in use, e.g. EUR']]);
    expect((await send(UPDATE_RULES, { currency: 'jpy' })).rules.currency).toBe('JPY');
    expect((await send(UPDATE_RULES, { currency: 'EUR' })).rules.currency).toBe('EUR');
  });

  it('accepts birthdays from 1900-01-01 to today only', async () => {
    for (const [birthday, message] of [
      ['9999-12-31', 'must not be in the future'],
      ['2999-01-01', 'must not be in the future'],
      ['1899-12-31', 'must be after 1900'],
    ] as const) {
      expect(issuesOf(await send(ENROLL, { email: `born-${birthday}@example.com`, birthday }))).toEqual([['input.birthday', message]]);
    }
    const today = new Date().toISOString().slice(0, 10);
    for (const birthday of ['1900-01-01', '1990-02-28', today]) {
      expect((await send(ENROLL, { email: `born-ok-${birthday}@example.com`, birthday })).member.birthday).toBe(birthday);
    }
  });
});
