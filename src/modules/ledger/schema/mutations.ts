import { builder, type InputFieldBuilder } from '../../../graphql/builder';
import { programIdOf } from '../../../graphql/context';
import { parseInput } from '../../../graphql/parse-input';
import { requireId } from '../../../graphql/global-ids';
import { MemberErasedError, MemberNotFoundError } from '../../members/errors';
import { memberIdFrom } from '../../members/schema';
import * as errors from '../errors';
import { adjustPointsSchema, recordOrderSchema, redeemPointsSchema, refundOrderSchema, reverseTransferSchema, walletSchema } from '../inputs';
import { PointsPayload, RecordOrderPayload, RefundOrderPayload, ReverseTransferPayload, WalletPayload } from './payloads';

const idempotencyKey = (t: InputFieldBuilder) =>
  t.string({ required: true, description: 'Unique per intended operation; a retry with the same key and input returns the first result' });

/** Payloads resolve their member and transfers within the caller's program. */
async function inProgram<Result>(programId: string, result: Promise<Result>) {
  return { ...(await result), programId };
}

const OrderLineInput = builder.inputType('OrderLineInput', {
  fields: (t) => ({
    sku: t.string({ required: true }),
    category: t.string(),
    quantity: t.int({ required: true }),
    unitPrice: t.field({ type: 'SafeInt', required: true, description: 'Minor units' }),
  }),
});

const RecordOrderInput = builder.inputType('RecordOrderInput', {
  fields: (t) => ({
    memberId: t.id({ required: true }),
    orderId: t.string({ required: true, description: 'Your order id; an order is recorded once' }),
    currency: t.string({ required: true }),
    total: t.field({ type: 'SafeInt', required: true, description: 'Order total in minor units, before points are applied' }),
    lines: t.field({ type: [OrderLineInput] }),
    redeemPoints: t.int({ description: 'Points to pay part of the order with' }),
    attributes: t.field({ type: 'Attributes' }),
    idempotencyKey: idempotencyKey(t),
  }),
});

const RefundLineInput = builder.inputType('RefundLineInput', {
  fields: (t) => ({ sku: t.string({ required: true }), quantity: t.int({ required: true }) }),
});

const RefundOrderInput = builder.inputType('RefundOrderInput', {
  description: 'Give either `amount` (minor units) or `lines`',
  fields: (t) => ({
    orderId: t.string({ required: true }),
    amount: t.field({ type: 'SafeInt', description: 'Minor units' }),
    lines: t.field({ type: [RefundLineInput] }),
    idempotencyKey: idempotencyKey(t),
  }),
});

const RedeemPointsInput = builder.inputType('RedeemPointsInput', {
  fields: (t) => ({
    memberId: t.id({ required: true }),
    points: t.int({ required: true }),
    reason: t.string(),
    reference: t.string({ description: 'E.g. the reward or voucher the points were spent on' }),
    idempotencyKey: idempotencyKey(t),
  }),
});

const AdjustPointsInput = builder.inputType('AdjustPointsInput', {
  fields: (t) => ({
    memberId: t.id({ required: true }),
    points: t.int({ required: true, description: 'Positive to credit, negative to debit' }),
    reason: t.string({ required: true }),
    idempotencyKey: idempotencyKey(t),
  }),
});

const WalletInput = builder.inputType('WalletInput', {
  fields: (t) => ({
    memberId: t.id({ required: true }),
    currency: t.string({ required: true }),
    amount: t.field({ type: 'SafeInt', required: true, description: 'Minor units' }),
    reference: t.string(),
    idempotencyKey: idempotencyKey(t),
  }),
});

const ReverseTransferInput = builder.inputType('ReverseTransferInput', {
  fields: (t) => ({
    transferId: t.id({ required: true }),
    reason: t.string({ required: true }),
    idempotencyKey: idempotencyKey(t),
  }),
});

const memberErrors = [MemberNotFoundError, MemberErasedError, errors.IdempotencyConflictError];
const storefront = { admin: true, storefront: true };

builder.mutationFields((t) => ({
  recordOrder: t.field({
    type: RecordOrderPayload,
    description: 'Records an order: spends `redeemPoints` as payment, earns points on what was paid',
    authScopes: storefront,
    args: { input: t.arg({ type: RecordOrderInput, required: true }) },
    errors: {
      types: [...memberErrors, errors.DuplicateOrderError, errors.CurrencyMismatchError, errors.InsufficientPointsError, errors.BelowMinimumRedemptionError, errors.RedemptionExceedsTotalError],
      directResult: true,
      union: { name: 'RecordOrderResult' },
    },
    resolve: async (_root, { input }, context) => {
      const programId = programIdOf(context);
      const memberId = memberIdFrom(input.memberId);
      return inProgram(programId, context.services.ledger.recordOrder(programId, { memberId, ...parseInput(recordOrderSchema, input) }));
    },
  }),
  refundOrder: t.field({
    type: RefundOrderPayload,
    description: 'Refunds part or all of an order: takes back points earned on it, returns points that paid for it',
    authScopes: storefront,
    args: { input: t.arg({ type: RefundOrderInput, required: true }) },
    errors: { types: [errors.IdempotencyConflictError, errors.OrderNotFoundError, errors.RefundExceedsOrderError], directResult: true, union: { name: 'RefundOrderResult' } },
    resolve: async (_root, { input }, context) => {
      const programId = programIdOf(context);
      return inProgram(programId, context.services.ledger.refundOrder(programId, parseInput(refundOrderSchema, input)));
    },
  }),
  redeemPoints: t.field({
    type: PointsPayload,
    authScopes: storefront,
    args: { input: t.arg({ type: RedeemPointsInput, required: true }) },
    errors: { types: [...memberErrors, errors.InsufficientPointsError, errors.BelowMinimumRedemptionError], directResult: true, union: { name: 'RedeemPointsResult' } },
    resolve: async (_root, { input }, context) => {
      const programId = programIdOf(context);
      const memberId = memberIdFrom(input.memberId);
      return inProgram(programId, context.services.ledger.redeemPoints(programId, { memberId, ...parseInput(redeemPointsSchema, input) }));
    },
  }),
  adjustPoints: t.field({
    type: PointsPayload,
    description: 'An operator\'s correction with a reason: credits a new lot, or debits earliest-expiring first',
    authScopes: { admin: true },
    args: { input: t.arg({ type: AdjustPointsInput, required: true }) },
    errors: { types: [...memberErrors, errors.InsufficientPointsError], directResult: true, union: { name: 'AdjustPointsResult' } },
    resolve: async (_root, { input }, context) => {
      const programId = programIdOf(context);
      const memberId = memberIdFrom(input.memberId);
      return inProgram(programId, context.services.ledger.adjustPoints(programId, { memberId, ...parseInput(adjustPointsSchema, input) }));
    },
  }),
  reverseTransfer: t.field({
    type: ReverseTransferPayload,
    description: 'Writes the mirror image of a redeem, adjustment or wallet spend (orders are undone with refundOrder)',
    authScopes: { admin: true },
    args: { input: t.arg({ type: ReverseTransferInput, required: true }) },
    errors: { types: [errors.IdempotencyConflictError, errors.TransferNotFoundError, errors.TransferNotReversibleError], directResult: true, union: { name: 'ReverseTransferResult' } },
    resolve: async (_root, { input }, context) => {
      const programId = programIdOf(context);
      const transferId = requireId('Transfer', input.transferId, (id) => new errors.TransferNotFoundError(id));
      return inProgram(programId, context.services.ledger.reverseTransfer(programId, { transferId, ...parseInput(reverseTransferSchema, input) }));
    },
  }),
  topUpWallet: t.field({
    type: WalletPayload,
    description: 'Adds stored value; a top-up over the program\'s threshold earns bonus credit',
    authScopes: storefront,
    args: { input: t.arg({ type: WalletInput, required: true }) },
    errors: { types: memberErrors, directResult: true, union: { name: 'TopUpWalletResult' } },
    resolve: async (_root, { input }, context) => {
      const programId = programIdOf(context);
      const memberId = memberIdFrom(input.memberId);
      return inProgram(programId, context.services.ledger.topUpWallet(programId, { memberId, ...parseInput(walletSchema, input) }));
    },
  }),
  spendWallet: t.field({
    type: WalletPayload,
    description: 'Pays from stored value: bonus credit first, then cash',
    authScopes: storefront,
    args: { input: t.arg({ type: WalletInput, required: true }) },
    errors: { types: [...memberErrors, errors.InsufficientWalletBalanceError], directResult: true, union: { name: 'SpendWalletResult' } },
    resolve: async (_root, { input }, context) => {
      const programId = programIdOf(context);
      const memberId = memberIdFrom(input.memberId);
      return inProgram(programId, context.services.ledger.spendWallet(programId, { memberId, ...parseInput(walletSchema, input) }));
    },
  }),
}));
