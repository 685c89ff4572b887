import { builder } from '../../../graphql/builder';
import { programIdOf } from '../../../graphql/context';
import { parseInput } from '../../../graphql/parse-input';
import { requireId } from '../../../graphql/global-ids';
import { memberIdFrom } from '../../members';
import * as errors from '../errors';
import { adjustPointsSchema, redeemPointsSchema, reverseTransferSchema, walletSchema } from '../inputs';
import { idempotencyKeyField, inProgram, memberCommandErrors } from './shared';
import { PointsPayload, ReverseTransferPayload, WalletPayload } from './payloads';

const RedeemPointsInput = builder.inputType('RedeemPointsInput', {
  fields: (t) => ({
    memberId: t.id({ required: true }),
    points: t.int({ required: true }),
    reason: t.string(),
    reference: t.string({ description: 'E.g. the reward or voucher the points were spent on' }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const AdjustPointsInput = builder.inputType('AdjustPointsInput', {
  fields: (t) => ({
    memberId: t.id({ required: true }),
    points: t.int({ required: true, description: 'Positive to credit, negative to debit' }),
    reason: t.string({ required: true }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const WalletInput = builder.inputType('WalletInput', {
  fields: (t) => ({
    memberId: t.id({ required: true }),
    currency: t.string({ required: true }),
    amount: t.field({ type: 'SafeInt', required: true, description: 'Minor units' }),
    reference: t.string(),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const ReverseTransferInput = builder.inputType('ReverseTransferInput', {
  fields: (t) => ({
    transferId: t.id({ required: true }),
    reason: t.string({ required: true }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const memberErrors = memberCommandErrors;
const storefront = { admin: true, storefront: true };

builder.mutationFields((t) => ({
  redeemPoints: t.field({
    type: PointsPayload,
    authScopes: storefront,
    args: { input: t.arg({ type: RedeemPointsInput, required: true }) },
    errors: {
      types: [...memberErrors, errors.InsufficientPointsError, errors.BelowMinimumRedemptionError],
      directResult: true,
      union: { name: 'RedeemPointsResult' },
    },
    resolve: async (_root, { input }, context) => {
      const programId = programIdOf(context);
      const memberId = memberIdFrom(input.memberId);
      return inProgram(programId, context.services.ledger.redeemPoints(programId, { memberId, ...parseInput(redeemPointsSchema, input) }));
    },
  }),
  adjustPoints: t.field({
    type: PointsPayload,
    description: "An operator's correction with a reason: credits a new lot, or debits earliest-expiring first",
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
    errors: {
      types: [errors.IdempotencyConflictError, errors.TransferNotFoundError, errors.TransferNotReversibleError],
      directResult: true,
      union: { name: 'ReverseTransferResult' },
    },
    resolve: async (_root, { input }, context) => {
      const programId = programIdOf(context);
      const transferId = requireId('Transfer', input.transferId, (id) => new errors.TransferNotFoundError(id));
      return inProgram(
        programId,
        context.services.ledger.reverseTransfer(programId, { transferId, ...parseInput(reverseTransferSchema, input) }),
      );
    },
  }),
  topUpWallet: t.field({
    type: WalletPayload,
    description: "Adds stored value; a top-up over the program's threshold earns bonus credit",
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
