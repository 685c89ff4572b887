import { builder } from '../../../graphql/builder';
import { ErrorInterface } from '../../../graphql/types/errors';
import {
  BelowMinimumRedemptionError,
  CurrencyMismatchError,
  IdempotencyConflictError,
  InsufficientPointsError,
  InsufficientWalletBalanceError,
  PointsNotWholeStepError,
  RedemptionExceedsTotalError,
  TransferNotFoundError,
  TransferNotReversibleError,
  WalletPaymentExceedsTotalError,
} from '../errors';

builder.objectType(InsufficientPointsError, {
  name: 'InsufficientPointsError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    requested: t.field({ type: 'SafeInt', resolve: (error) => error.details.requested }),
    available: t.field({ type: 'SafeInt', description: 'Spendable (unexpired) points', resolve: (error) => error.details.available }),
  }),
});

builder.objectType(BelowMinimumRedemptionError, {
  name: 'BelowMinimumRedemptionError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ minimum: t.int({ resolve: (error) => error.details.minimum }) }),
});

builder.objectType(RedemptionExceedsTotalError, {
  name: 'RedemptionExceedsTotalError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    maximum: t.field({ type: 'SafeInt', description: 'Most points this order can take', resolve: (error) => error.details.maximum }),
  }),
});

builder.objectType(PointsNotWholeStepError, {
  name: 'PointsNotWholeStepError',
  description: 'Points pay in whole steps (the fewest points worth a whole minor unit); nothing was taken',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    requested: t.field({ type: 'SafeInt', description: 'Points asked for', resolve: (error) => error.details.requested }),
    stepPoints: t.field({ type: 'SafeInt', description: 'Points of one step', resolve: (error) => error.details.stepPoints }),
    stepValue: t.field({ type: 'SafeInt', description: 'What one step pays, minor units', resolve: (error) => error.details.stepValue }),
    lower: t.field({
      type: 'SafeInt',
      nullable: true,
      description: 'The nearest whole step below the request that this order takes',
      resolve: (error) => error.details.lower,
    }),
    higher: t.field({
      type: 'SafeInt',
      nullable: true,
      description: 'The nearest whole step above the request that this order takes',
      resolve: (error) => error.details.higher,
    }),
  }),
});

builder.objectType(WalletPaymentExceedsTotalError, {
  name: 'WalletPaymentExceedsTotalError',
  description: 'The wallet payment is more than discounts and points leave to pay; nothing was taken',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    maximum: t.field({
      type: 'SafeInt',
      description: 'What the order leaves to pay after discounts and points',
      resolve: (error) => error.details.maximum,
    }),
  }),
});

builder.objectType(InsufficientWalletBalanceError, {
  name: 'InsufficientWalletBalanceError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    currency: t.string({ resolve: (error) => error.details.currency }),
    available: t.field({ type: 'SafeInt', resolve: (error) => error.details.available }),
  }),
});

builder.objectType(IdempotencyConflictError, {
  name: 'IdempotencyConflictError',
  description: 'The idempotency key was used before with a different input; nothing moved',
  interfaces: [ErrorInterface],
  fields: (t) => ({ idempotencyKey: t.string({ resolve: (error) => error.details.idempotencyKey }) }),
});

builder.objectType(CurrencyMismatchError, {
  name: 'CurrencyMismatchError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ expected: t.string({ resolve: (error) => error.details.expected }) }),
});

builder.objectType(TransferNotFoundError, {
  name: 'TransferNotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ transferId: t.id({ resolve: (error) => error.details.transferId }) }),
});

builder.objectType(TransferNotReversibleError, {
  name: 'TransferNotReversibleError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ reason: t.string({ resolve: (error) => error.details.reason }) }),
});
