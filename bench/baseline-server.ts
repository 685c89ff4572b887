/**
 * The bare baseline of `npm run bench -- ledger` and `-- checkout`: a bare Hono route per scenario
 * doing the same SQL directly through drizzle (DESIGN.md §8): the same reads (for an order, checkout's
 * own: rules, member, tiers, lots, referral, offers) and the same write batch, with no GraphQL, no
 * auth, no validation, no serializer transport (its copies of input and outcome) and no idempotency
 * hash. `/redeem` keeps the member's state between its requests as the serializer does, so it
 * issues redeemPoints' statements: no read while the state is kept, one batch with the version
 * guard, the ledger's rows, the outbox event and the read-back. `/quote` calls checkout's own
 * `checkoutCart` (the same reads and the same evaluation as `quote`) on an already normalized cart,
 * against the database it is pointed at.
 * The GraphQL path is measured as a ratio of this.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { members, orders, programs } from '../schema';
import { account, POINTS } from '../src/modules/ledger/accounts';
import { planSpend } from '../src/modules/ledger/domain/lots';
import { activeMemberLedgerState, balanceIn, ledgerStateMemory } from '../src/modules/ledger/hot-state';
import { pointsEvent } from '../src/modules/ledger/commands/points';
import { checkMinimumRedemption } from '../src/modules/ledger/domain/points';
import { systemClock } from '../src/platform/clock';
import { eventStatements } from '../src/platform/outbox';
import { createHotStateCache } from '../src/platform/serializer/hot-state';
import { createKeyedQueue } from '../src/platform/serializer/keyed-queue';
import { checkoutCart, type CheckoutCart } from '../src/modules/checkout/context';
import { quoteResult } from '../src/modules/checkout/quote';
import { ledgerStatements } from '../src/modules/ledger/writer';
import { newId } from '../src/platform/ids';
import { openNodeDatabase } from '../src/platform/node/database';
import { BENCH_PROGRAM, BENCH_SECRET } from './lib';

const programId = BENCH_PROGRAM;
const { db } = await openNodeDatabase({ url: process.env.LIBSQL_URL! });
const fingerprints = { secret: BENCH_SECRET, previousSecrets: [] };
const app = new Hono();

app.post('/seed', async (c) => {
  const { memberIds } = await c.req.json<{ memberIds: string[] }>();
  const now = new Date();
  await db.insert(programs).values({ id: programId, name: 'Bench', createdAt: now }).onConflictDoNothing();
  for (let offset = 0; offset < memberIds.length; offset += 500) {
    await db
      .insert(members)
      .values(
        memberIds.slice(offset, offset + 500).map((id) => ({ id, programId, email: `${id}@bench.test`, createdAt: now, updatedAt: now })),
      );
  }
  return c.json({ ok: true });
});

const operation = (key: string, memberId: string, now: Date) => ({
  id: newId(),
  programId,
  idempotencyKey: key,
  command: 'baseline',
  requestHash: key,
  memberId,
  result: {},
  createdAt: now,
});

app.post('/record-order', async (c) => {
  const input = await c.req.json<{ memberId: string; orderId: string; total: number; idempotencyKey: string }>();
  const now = new Date();
  // The reads recordOrder makes: checkout's (rules, member, tiers, lots, referral, offers) on a cart without lines.
  const cart: CheckoutCart = {
    memberId: input.memberId,
    currency: 'EUR',
    total: input.total,
    lines: [],
    codes: [],
    attributes: {},
    redeemPoints: 0,
    placedAt: null,
    walletPayment: null,
  };
  const points = (await checkoutCart(db, programId, cart, now)).priced.pointsEarned;
  const earn = {
    id: newId(),
    debit: account(programId, 'pointsIssued', POINTS),
    credit: account(programId, 'memberPoints', POINTS, input.memberId),
    amount: points,
    kind: 'earn' as const,
    ref: input.orderId,
    newLot: { id: newId(), memberId: input.memberId, earnedAt: now, expiresAt: null },
  };
  const [first, ...rest] = [
    ...ledgerStatements(db, operation(input.idempotencyKey, input.memberId, now), [earn]),
    db.insert(orders).values({
      id: newId(),
      programId,
      memberId: input.memberId,
      orderId: input.orderId,
      currency: 'EUR',
      total: input.total,
      pointsRedeemed: 0,
      pointsPayment: 0,
      pointsEarned: points,
      createdAt: now,
    }),
  ];
  await db.batch([first!, ...rest]);
  return c.json({ pointsEarned: points });
});

// The state a member's redemption plans from, kept between its requests and refreshed by its own
// write's read-back, one request of a member at a time: as the serializer does (DESIGN.md §3).
const memberQueue = createKeyedQueue();
const memberStates = createHotStateCache(10_000);

app.post('/redeem', async (c) => {
  const input = await c.req.json<{ memberId: string; points: number; idempotencyKey: string }>();
  const { memberId, points } = input;
  const pointsBalance = await memberQueue.run(memberId, () =>
    memberStates.run(memberId, async (hotState) => {
      const now = new Date();
      // The same statements as redeemPoints: no read while the state is kept, then one batch with
      // the state's version guard, the ledger's rows, the outbox event and the read-back.
      const deps = { db, clock: systemClock, fingerprints, hotState };
      const state = await activeMemberLedgerState(deps, programId, memberId);
      checkMinimumRedemption(points, state.rules);
      const memory = ledgerStateMemory(deps, state)!;
      const balance = balanceIn(state, 'memberPoints') - points;
      const redeem = {
        id: newId(),
        debit: account(programId, 'memberPoints', POINTS, memberId),
        credit: account(programId, 'pointsRedeemed', POINTS),
        amount: points,
        kind: 'redeem' as const,
        ref: null,
        lotDeltas: planSpend(state.lots, points, now),
      };
      const event = pointsEvent(
        'points.redeemed',
        { memberId, points, pointsBalance: balance, transferId: redeem.id },
        { reference: null },
      );
      const [first, ...rest] = [
        ...memory.guards,
        ...ledgerStatements(db, operation(input.idempotencyKey, memberId, now), [redeem]),
        ...eventStatements(db, programId, now, [event]),
        ...memory.readBack,
      ];
      const rows = await db.batch([first!, ...rest]);
      memory.committed(rows.slice(rows.length - memory.readBack.length));
      return balance;
    }),
  );
  return c.json({ pointsBalance });
});

app.post('/quote', async (c) => {
  const cart = await c.req.json<CheckoutCart>();
  return c.json(quoteResult(cart, await checkoutCart(db, programId, cart, new Date())));
});

serve({ fetch: app.fetch, port: Number(process.env.PORT) }, () => console.log('baseline listening'));
// An orderly exit, so that `node --cpu-prof` writes its profile (bench/profile.ts).
process.on('SIGTERM', () => process.exit(0));
