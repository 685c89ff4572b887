import { builder } from '../../../graphql/builder';
import { ErrorInterface } from '../../../graphql/types/errors';
import {
  CampaignTransitionError,
  CreditLimitBelowOwedError,
  InsufficientPartnerFundsError,
  PartnerCampaignNotFoundError,
  PartnerNotActiveError,
  PartnerNotFoundError,
  VoucherLimitReachedError,
} from '../errors';

builder.objectType(PartnerNotFoundError, { name: 'PartnerNotFound', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(PartnerNotActiveError, {
  name: 'PartnerNotActive',
  interfaces: [ErrorInterface],
  fields: (t) => ({ status: t.string({ resolve: (error) => error.details.status.toUpperCase() }) }),
});
builder.objectType(InsufficientPartnerFundsError, {
  name: 'InsufficientPartnerFunds',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    requested: t.field({ type: 'SafeInt', resolve: (error) => error.details.requested }),
    available: t.field({ type: 'SafeInt', resolve: (error) => error.details.available }),
  }),
});
builder.objectType(CreditLimitBelowOwedError, {
  name: 'CreditLimitBelowOwed',
  interfaces: [ErrorInterface],
  fields: (t) => ({ owed: t.field({ type: 'SafeInt', resolve: (error) => error.details.owed }) }),
});
builder.objectType(PartnerCampaignNotFoundError, { name: 'PartnerCampaignNotFound', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(CampaignTransitionError, {
  name: 'CampaignTransitionNotAllowed',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    status: t.string({ resolve: (error) => error.details.status.toUpperCase() }),
    action: t.string({ resolve: (error) => error.details.action }),
  }),
});
builder.objectType(VoucherLimitReachedError, {
  name: 'VoucherLimitReached',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    requested: t.int({ resolve: (error) => error.details.requested }),
    left: t.int({ resolve: (error) => error.details.left }),
  }),
});
