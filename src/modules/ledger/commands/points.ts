import type { CommandDeps } from '../../../platform/serializer/commands';
import { newId } from '../../../platform/ids';
import type { PlannedEvent } from '../../../platform/outbox';
import { account, POINTS } from '../accounts';
import { planExpiry, planSpend, sumDeltas } from '../domain/lots';
import { checkMinimumRedemption, lotExpiry } from '../domain/points';
import { ledgerCommand, type LedgerCommandInput } from '../operation';
import { memberBalance, openLots } from '../repository';
import { activeMemberLedgerState, balanceIn, ledgerStateMemory } from '../hot-state';
import { insufficientPointsOnViolation } from './points-guard';

/** The outbox event of a points movement: who, how many, the balance after. */
export function pointsEvent(
  type: 'points.earned' | 'points.redeemed' | 'points.adjusted' | 'points.expired',
  movement: PointsMovementResult,
  extra: Record<string, unknown> = {},
): PlannedEvent {
  const { memberId, points, pointsBalance, transferId } = movement;
  return { type, memberId, data: { memberId, points, pointsBalance, transferId, ...extra } };
}

/**
 * What a points movement of an active member reads: from the serializer's memory, or all at once in
 * one round trip (DESIGN.md §3); `memory` guards the write planned from it.
 */
async function readPointsState(deps: CommandDeps, programId: string, memberId: string) {
  const state = await activeMemberLedgerState(deps, programId, memberId);
  return { rules: state.rules, lots: state.lots, balance: balanceIn(state, 'memberPoints'), memory: ledgerStateMemory(deps, state) };
}

export interface PointsMovementResult {
  memberId: string;
  points: number;
  pointsBalance: number;
  transferId: string | null;
}

export interface RedeemPointsInput extends LedgerCommandInput {
  memberId: string;
  points: number;
  reference: string | null;
  reason: string | null;
}

/** Spends points on something other than an order payment (a reward, a voucher), FIFO by expiry. */
export const redeemPointsCommand = ledgerCommand<RedeemPointsInput, PointsMovementResult>(
  'ledger.redeemPoints',
  async (deps, input, now) => {
    const { programId, memberId, points } = input;
    const { rules, lots, balance, memory } = await readPointsState(deps, programId, memberId);
    checkMinimumRedemption(points, rules);
    const draws = planSpend(lots, points, now);
    const transferId = newId();
    return {
      memberId,
      transfers: [
        {
          id: transferId,
          debit: account(programId, 'memberPoints', POINTS, memberId),
          credit: account(programId, 'pointsRedeemed', POINTS),
          amount: points,
          kind: 'redeem',
          ref: input.reference,
          metadata: input.reason ? { reason: input.reason } : undefined,
          lotDeltas: draws,
        },
      ],
      result: { memberId, points, pointsBalance: balance - points, transferId },
      events: [
        pointsEvent('points.redeemed', { memberId, points, pointsBalance: balance - points, transferId }, { reference: input.reference }),
      ],
      onViolation: insufficientPointsOnViolation(deps, programId, memberId, points, now),
      memory,
    };
  },
);

export interface AdjustPointsInput extends LedgerCommandInput {
  memberId: string;
  /** Positive to credit (a new lot with the program's lifetime), negative to debit (FIFO). */
  points: number;
  reason: string;
}

/** An operator's correction, with the reason recorded on the transfer. */
export const adjustPointsCommand = ledgerCommand<AdjustPointsInput, PointsMovementResult>(
  'ledger.adjustPoints',
  async (deps, input, now) => {
    const { programId, memberId, points } = input;
    const { rules, lots, balance, memory } = await readPointsState(deps, programId, memberId);
    const memberPoints = account(programId, 'memberPoints', POINTS, memberId);
    const adjustments = account(programId, 'pointsAdjustments', POINTS);
    const transferId = newId();
    const common = { id: transferId, amount: Math.abs(points), kind: 'adjustment' as const, ref: null, metadata: { reason: input.reason } };
    const transfer =
      points > 0
        ? {
            ...common,
            debit: adjustments,
            credit: memberPoints,
            newLot: { id: newId(), memberId, earnedAt: now, expiresAt: lotExpiry(now, rules.pointsLifetimeMonths) },
          }
        : { ...common, debit: memberPoints, credit: adjustments, lotDeltas: planSpend(lots, -points, now) };
    return {
      memberId,
      transfers: [transfer],
      result: { memberId, points, pointsBalance: balance + points, transferId },
      events: [pointsEvent('points.adjusted', { memberId, points, pointsBalance: balance + points, transferId })],
      onViolation: insufficientPointsOnViolation(deps, programId, memberId, Math.abs(points), now),
      memory,
    };
  },
);

export interface ExpirePointsInput extends LedgerCommandInput {
  memberId: string;
  /** ISO instant to expire as of (the job's `now`); the clock when absent. */
  asOf?: string;
}

/**
 * Moves what is left of the member's lots whose expiry has come to the program's breakage account.
 * The job keys it by member and run time, so running it twice at the same `now` moves nothing.
 */
export const expirePointsCommand = ledgerCommand<ExpirePointsInput, PointsMovementResult>(
  'ledger.expirePoints',
  async (deps, input, now) => {
    const { db } = deps;
    const { programId, memberId } = input;
    const [lots, balance] = await Promise.all([openLots(db, programId, memberId), memberBalance(db, programId, memberId, 'memberPoints')]);
    const expiring = planExpiry(lots, input.asOf ? new Date(input.asOf) : now);
    const points = -sumDeltas(expiring);
    const transferId = points > 0 ? newId() : null;
    return {
      memberId,
      transfers: transferId
        ? [
            {
              id: transferId,
              debit: account(programId, 'memberPoints', POINTS, memberId),
              credit: account(programId, 'pointsExpired', POINTS),
              amount: points,
              kind: 'expiry',
              ref: null,
              lotDeltas: expiring,
            },
          ]
        : [],
      result: { memberId, points, pointsBalance: balance - points, transferId },
      events: transferId
        ? [
            pointsEvent(
              'points.expired',
              { memberId, points, pointsBalance: balance - points, transferId },
              { lots: expiring.map(({ lotId, delta }) => ({ lotId, points: -delta })) },
            ),
          ]
        : [],
    };
  },
);
