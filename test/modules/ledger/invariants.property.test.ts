import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createServices } from '../../../src/services';
import { createTestApp, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { ADJUST, expectLedgerSound, memberLedger, RECORD_ORDER, REDEEM, REFUND_ORDER, REVERSE, SPEND_WALLET, TOP_UP } from '../../support/ledger';

/**
 * Random sequences of ledger commands, with random retries of earlier idempotency keys (same input,
 * or a changed one), must leave every invariant of DESIGN.md §4 intact and never a negative balance.
 */
type Action =
  | { type: 'order'; member: number; total: number; redeem: number }
  | { type: 'refund'; order: number; fraction: number }
  | { type: 'redeem'; member: number; points: number }
  | { type: 'adjust'; member: number; points: number }
  | { type: 'topUp'; member: number; currency: 'EUR' | 'USD'; amount: number }
  | { type: 'spend'; member: number; currency: 'EUR' | 'USD'; amount: number }
  | { type: 'expire'; member: number; days: number }
  | { type: 'reverse'; transfer: number }
  | { type: 'retry'; request: number; changed: boolean };

const member = fc.integer({ min: 0, max: 2 });
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ type: fc.constant('order' as const), member, total: fc.integer({ min: 0, max: 30_000 }), redeem: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400 })) }),
  fc.record({ type: fc.constant('refund' as const), order: fc.nat(), fraction: fc.double({ min: 0.01, max: 1.2, noNaN: true }) }),
  fc.record({ type: fc.constant('redeem' as const), member, points: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ type: fc.constant('adjust' as const), member, points: fc.integer({ min: -200, max: 500 }).filter((points) => points !== 0) }),
  fc.record({ type: fc.constant('topUp' as const), member, currency: fc.constantFrom('EUR' as const, 'USD' as const), amount: fc.integer({ min: 1, max: 20_000 }) }),
  fc.record({ type: fc.constant('spend' as const), member, currency: fc.constantFrom('EUR' as const, 'USD' as const), amount: fc.integer({ min: 1, max: 15_000 }) }),
  fc.record({ type: fc.constant('expire' as const), member, days: fc.integer({ min: 0, max: 400 }) }),
  fc.record({ type: fc.constant('reverse' as const), transfer: fc.nat() }),
  fc.record({ type: fc.constant('retry' as const), request: fc.nat(), changed: fc.boolean() }),
);

interface Sent {
  query: string;
  input: Record<string, unknown>;
  data: Record<string, any>;
}

/** The same request with one value changed: what a client bug reusing a key would send. */
function changed(input: Record<string, unknown>): Record<string, unknown> {
  for (const field of ['total', 'points', 'amount'] as const) {
    const value = input[field];
    if (typeof value === 'number') return { ...input, [field]: value === -1 ? -2 : value + 1 };
  }
  return { ...input, reason: `${String(input.reason)} (changed)` };
}

async function play(app: TestApp, actions: Action[]) {
  const admin = await app.token({ role: 'admin' });
  await app.graphql('mutation { updateProgramRules(input: { walletBonusThreshold: 5000, walletBonusBasisPoints: 500, minimumRedemption: 10 }) { __typename } }', {}, admin);
  const members = await Promise.all([0, 1, 2].map((index) => enroll(app, { email: `p${index}@example.com` })));
  const ledger = createServices(app.deps).ledger;
  const orders: Array<{ orderId: string; total: number }> = [];
  const reversible: string[] = [];
  const sent: Sent[] = [];
  let sequence = 0;

  const send = async (query: string, input: Record<string, unknown>) => {
    const response = await app.graphql(query, { input }, admin);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const data = Object.values(response.data!)[0] as Record<string, any>;
    sent.push({ query, input, data });
    return data;
  };

  for (const step of actions) {
    const idempotencyKey = `key-${++sequence}`;
    switch (step.type) {
      case 'order': {
        const orderId = `order-${sequence}`;
        const result = await send(RECORD_ORDER, { memberId: members[step.member]!.globalId, orderId, currency: 'EUR', total: step.total, redeemPoints: step.redeem, idempotencyKey });
        if (result.__typename === 'RecordOrderPayload') orders.push({ orderId, total: step.total });
        break;
      }
      case 'refund': {
        const order = orders[step.order % Math.max(orders.length, 1)];
        if (order) await send(REFUND_ORDER, { orderId: order.orderId, amount: Math.max(1, Math.round(order.total * step.fraction)), idempotencyKey });
        break;
      }
      case 'redeem':
      case 'adjust': {
        const result = await send(step.type === 'redeem' ? REDEEM : ADJUST, { memberId: members[step.member]!.globalId, points: step.points, idempotencyKey, ...(step.type === 'adjust' ? { reason: 'property test' } : {}) });
        if (result.__typename === 'PointsPayload') reversible.push(result.transfer.id);
        break;
      }
      case 'topUp':
      case 'spend':
        await send(step.type === 'topUp' ? TOP_UP : SPEND_WALLET, { memberId: members[step.member]!.globalId, currency: step.currency, amount: step.amount, idempotencyKey });
        break;
      case 'expire':
        app.clock.set(new Date(app.clock.now().getTime() + step.days * 86_400_000));
        await ledger.expirePoints('acme', { memberId: members[step.member]!.memberId, idempotencyKey: `expire-${members[step.member]!.memberId}-${app.clock.now().toISOString()}` });
        break;
      case 'reverse': {
        const transferId = reversible[step.transfer % Math.max(reversible.length, 1)];
        if (transferId) await send(REVERSE, { transferId, reason: 'property test', idempotencyKey });
        break;
      }
      case 'retry': {
        const earlier = sent[step.request % Math.max(sent.length, 1)];
        if (!earlier) break;
        const before = await Promise.all(members.map((one) => memberLedger(app, one.globalId)));
        const response = await app.graphql(earlier.query, { input: step.changed ? changed(earlier.input) : earlier.input }, admin);
        const data = Object.values(response.data!)[0] as Record<string, any>;
        if (step.changed) {
          // A changed input under a used key is a conflict, unless the first attempt failed (nothing stored).
          if (earlier.data.code === undefined) expect(data.__typename).toBe('IdempotencyConflict');
        } else if (earlier.data.replayed === false) {
          expect(data).toEqual({ ...earlier.data, replayed: true });
          expect(await Promise.all(members.map((one) => memberLedger(app, one.globalId)))).toEqual(before);
        }
        break;
      }
    }
  }

  for (const one of members) {
    const state = await memberLedger(app, one.globalId);
    expect(state.pointsBalance).toBeGreaterThanOrEqual(0);
    for (const wallet of state.walletBalances) expect(Math.min(wallet.cash, wallet.bonus)).toBeGreaterThanOrEqual(0);
  }
  await expectLedgerSound(app);
}

describe('ledger invariants under random command sequences', () => {
  it('hold after every sequence, with retries and conflicts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 40 }), async (actions) => {
        const app = await createTestApp();
        try {
          await play(app, actions);
        } finally {
          app.close();
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
