import { builder } from '../../../graphql/builder';
import { loadMember, MemberType } from '../../members';
import type { PointsMovementResult } from '../commands/points';
import type { WalletResult } from '../commands/wallet';
import type { ReverseTransferResult } from '../commands/reverse-transfer';
import { replayedDescription, type WithProgram } from './shared';
import { TransferType, WalletBalanceType } from './types';

export const PointsPayload = builder.objectRef<WithProgram<PointsMovementResult>>('PointsPayload').implement({
  fields: (t) => ({
    member: t.field({ type: MemberType, resolve: (result, _args, context) => loadMember(result.programId, result.memberId, context) }),
    points: t.expose('points', { type: 'SafeInt' }),
    pointsBalance: t.expose('pointsBalance', { type: 'SafeInt' }),
    transfer: t.field({
      type: TransferType,
      nullable: true,
      resolve: async (result, _args, context) =>
        result.transferId ? (await context.services.ledger.transfersByIds(result.programId, [result.transferId]))[0] : null,
    }),
    replayed: t.exposeBoolean('replayed', { description: replayedDescription }),
  }),
});

export const WalletPayload = builder.objectRef<WithProgram<WalletResult>>('WalletPayload').implement({
  fields: (t) => ({
    member: t.field({ type: MemberType, resolve: (result, _args, context) => loadMember(result.programId, result.memberId, context) }),
    amount: t.expose('amount', { type: 'SafeInt' }),
    bonus: t.expose('bonus', { type: 'SafeInt', description: 'Bonus credit this top-up earned' }),
    fromBonus: t.expose('fromBonus', { type: 'SafeInt', description: 'Paid from bonus credit (spent first)' }),
    fromCash: t.expose('fromCash', { type: 'SafeInt' }),
    wallet: t.field({ type: WalletBalanceType, resolve: (result) => ({ currency: result.currency, ...result.balance }) }),
    replayed: t.exposeBoolean('replayed', { description: replayedDescription }),
  }),
});

export const ReverseTransferPayload = builder.objectRef<WithProgram<ReverseTransferResult>>('ReverseTransferPayload').implement({
  fields: (t) => ({
    reversal: t.field({
      type: TransferType,
      resolve: async (result, _args, context) => (await context.services.ledger.transfersByIds(result.programId, [result.reversalId]))[0]!,
    }),
    replayed: t.exposeBoolean('replayed', { description: replayedDescription }),
  }),
});
