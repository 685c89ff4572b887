import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { ADJUST, expectLedgerSound, memberLedger, mutate, REDEEM } from '../../support/ledger';

/**
 * 100 storefront requests redeem 10 points each, at the same instant, for one member who holds 370:
 * exactly 37 may succeed. Over real HTTP, with the per-member serializer, and without it (the
 * database guards alone).
 */
async function redeemRace(app: TestApp) {
  const { globalId } = await enroll(app, { email: `race-${Math.random()}@example.com` });
  await mutate(app, ADJUST, { memberId: globalId, points: 370, reason: 'race fixture' });

  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: app.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const token = await app.token({ role: 'storefront' });
  try {
    const responses = await Promise.all(
      Array.from({ length: 100 }, async (_, index) => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            query: REDEEM,
            variables: { input: { memberId: globalId, points: 10, idempotencyKey: `race-${index}` } },
          }),
        });
        return (await response.json()) as { data: { redeemPoints: { __typename: string } } };
      }),
    );
    const outcomes = responses.map((response) => response.data.redeemPoints.__typename);
    return { outcomes, ledger: await memberLedger(app, globalId) };
  } finally {
    server.close();
  }
}

describe('one member, 100 concurrent redemptions covering 37', () => {
  let app: TestApp;
  afterEach(() => app.close());

  it.each([
    ['through the per-member serializer', false],
    ['without the serializer: the database constraints alone', true],
  ])('%s: exactly 37 succeed, the rest are InsufficientPointsError', async (_name, withoutSerializer) => {
    app = await createTestApp({ withoutSerializer, networkLatency: true });
    const { outcomes, ledger } = await redeemRace(app);
    expect(outcomes.filter((name) => name === 'PointsPayload')).toHaveLength(37);
    expect(outcomes.filter((name) => name === 'InsufficientPointsError')).toHaveLength(63);
    expect(ledger.pointsBalance).toBe(0);
    await expectLedgerSound(app);
  });
});
