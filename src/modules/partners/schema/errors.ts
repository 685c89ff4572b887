import { builder } from '../../../graphql/builder';
import { ErrorInterface } from '../../../graphql/types/errors';
import {
  CampaignTransitionNotAllowedError,
  CreditLimitBelowOwedError,
  InsufficientPartnerFundsError,
  PartnerCampaignNotFoundError,
  PartnerNotActiveError,
  PartnerNotFoundError,
  VoucherLimitReachedError,
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
