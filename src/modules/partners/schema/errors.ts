import { builder } from '../../../graphql/builder';
import { ErrorInterface } from '../../../graphql/types/errors';
import {
  CampaignTransitionNotAllowedError,
  CreditLimitBelowOwedError,
  InsufficientPartnerFundsError,
  PartnerCampaignNotFoundError,
  PartnerNotActiveError,
  PartnerNotFoundError,
  VoucherAlreadyRedeemedError,
  VoucherExpiredError,
  VoucherLimitReachedError,
  VoucherNotFoundError,
  VoucherNotRedeemableError,
  VoucherOfAnotherPartnerError,
  VoucherVoidError,
} from '../errors';

builder.objectType(PartnerNotFoundError, { name: 'PartnerNotFoundError', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(PartnerNotActiveError, {
  name: 'PartnerNotActiveError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ status: t.string({ resolve: (error) => error.details.status.toUpperCase() }) }),
});
builder.objectType(InsufficientPartnerFundsError, {
  name: 'InsufficientPartnerFundsError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    requested: t.field({ type: 'SafeInt', resolve: (error) => error.details.requested }),
    available: t.field({ type: 'SafeInt', resolve: (error) => error.details.available }),
  }),
});
builder.objectType(CreditLimitBelowOwedError, {
  name: 'CreditLimitBelowOwedError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ owed: t.field({ type: 'SafeInt', resolve: (error) => error.details.owed }) }),
});
builder.objectType(PartnerCampaignNotFoundError, {
  name: 'PartnerCampaignNotFoundError',
  interfaces: [ErrorInterface],
  fields: () => ({}),
});
builder.objectType(CampaignTransitionNotAllowedError, {
  name: 'CampaignTransitionNotAllowedError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    status: t.string({ resolve: (error) => error.details.status.toUpperCase() }),
    action: t.string({ resolve: (error) => error.details.action }),
  }),
});
builder.objectType(VoucherLimitReachedError, {
  name: 'VoucherLimitReachedError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    requested: t.int({ resolve: (error) => error.details.requested }),
    left: t.int({ resolve: (error) => error.details.left }),
  }),
});

for (const [error, name] of [
  [VoucherNotFoundError, 'VoucherNotFoundError'],
  [VoucherOfAnotherPartnerError, 'VoucherOfAnotherPartnerError'],
  [VoucherAlreadyRedeemedError, 'VoucherAlreadyRedeemedError'],
  [VoucherVoidError, 'VoucherVoidError'],
] as const) {
  builder.objectType(error, { name, interfaces: [ErrorInterface], fields: () => ({}) });
}
builder.objectType(VoucherExpiredError, {
  name: 'VoucherExpiredError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ expiredAt: t.field({ type: 'DateTime', resolve: (error) => new Date(error.details.expiredAt) }) }),
});
builder.objectType(VoucherNotRedeemableError, {
  name: 'VoucherNotRedeemableError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ reason: t.string({ resolve: (error) => error.details.reason.toUpperCase() }) }),
});
