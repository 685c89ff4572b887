import { builder } from '../../../graphql/builder';
import type { GraphQLContext } from '../../../graphql/context';
import { MemberType } from '../../members/schema';
import { MemberNotFoundError } from '../../members/errors';
import type { RecordOrderResult } from '../commands/record-order';
import type { RefundOrderResult } from '../commands/refund-order';
import type { PointsMovementResult } from '../commands/points';
import type { WalletResult } from '../commands/wallet';
import type { ReverseTransferResult } from '../commands/reverse-transfer';
import type { Replayable } from '../operation';
import { MoneyType, TransferType, WalletBalanceType } from './types';
import { TierType } from '../../tiers/schema';

type WithProgram<Result> = Replayable<Result> & { programId: string };

async function loadMember(programId: string, memberId: string, context: GraphQLContext) {
  const member = await context.services.members.get(programId, memberId);
  if (!member) throw new MemberNotFoundError(memberId);
  return member;
}

const replayedDescription = 'True when this answers a retry of an earlier request with the same idempotency key: nothing moved again';

export const RecordOrderPayload = builder.objectRef<WithProgram<RecordOrderResult>>('RecordOrderPayload').implement({
  fields: (t) => ({
    orderId: t.exposeString('orderId'),
    member: t.field({ type: MemberType, resolve: (result, _args, context) => loadMember(result.programId, result.memberId, context) }),
    total: t.field({ type: MoneyType, resolve: (result) => ({ amount: result.total, currency: result.currency }) }),
    pointsRedeemed: t.expose('pointsRedeemed', { type: 'SafeInt' }),
    pointsPayment: t.field({ type: MoneyType, description: 'What the redeemed points paid', resolve: (result) => ({ amount: result.pointsPayment, currency: result.currency }) }),
    amountPaid: t.field({ type: MoneyType, description: 'What was paid otherwise; points are earned on this', resolve: (result) => ({ amount: result.amountPaid, currency: result.currency }) }),
    pointsEarned: t.expose('pointsEarned', { type: 'SafeInt' }),
    pointsBalance: t.expose('pointsBalance', { type: 'SafeInt' }),
    upgradedTier: t.field({
      type: TierType,
      nullable: true,
      description: 'The tier this order lifted the member into, if any',
      resolve: async (result, _args, context) =>
        result.upgradedTierId ? ((await context.services.tiers.byIds(result.programId, [result.upgradedTierId]))[0] ?? null) : null,
    }),
    replayed: t.exposeBoolean('replayed', { description: replayedDescription }),
  }),
});

export const RefundOrderPayload = builder.objectRef<WithProgram<RefundOrderResult>>('RefundOrderPayload').implement({
  fields: (t) => ({
    orderId: t.exposeString('orderId'),
    member: t.field({ type: MemberType, resolve: (result, _args, context) => loadMember(result.programId, result.memberId, context) }),
    amount: t.expose('amount', { type: 'SafeInt', description: 'Refunded by this request, minor units' }),
    totalRefunded: t.expose('totalRefunded', { type: 'SafeInt' }),
    pointsClawedBack: t.expose('pointsClawedBack', { type: 'SafeInt' }),
    pointsNotRecovered: t.expose('pointsNotRecovered', { type: 'SafeInt', description: 'Earned points already spent, so not taken back' }),
    pointsReturned: t.expose('pointsReturned', { type: 'SafeInt' }),
    pointsBalance: t.expose('pointsBalance', { type: 'SafeInt' }),
    replayed: t.exposeBoolean('replayed', { description: replayedDescription }),
  }),
});

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
