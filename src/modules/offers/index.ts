// Registers the module's GraphQL types and fields on the builder (src/api/schema.ts assembles them).
import './schema';

export { activeAutomaticOffers } from './active-offers';
export { REST_OF_ORDER } from './domain/allocation';
export { enteredCodesSchema } from './domain/codes';
export type { NextStep } from './domain/effects';
export { OfferNotFoundError, VoucherCampaignNotActiveError, VoucherCampaignNotFoundError } from './errors';
export { codeEligibility, shopperEligibility, type Shopper } from './domain/eligibility';
export {
  byEvaluationOrder,
  evaluateOffers,
  funderCost,
  type Application,
  type Evaluation,
  type NotApplied,
  type OfferFunder,
} from './domain/evaluate';
export { usageWindows } from './domain/limits';
export { conditionsInputSchema, effectInputSchema, type EffectKind, type NewOffer, type Offer } from './domain/offer';
export { notAppliedReasons } from './domain/reasons';
export {
  applicationsOfOrders,
  applicationStatements,
  claimApplicationsStatement,
  codesByIds,
  codesIssuedByDay,
  counterStatements,
  offersByIds,
  redemptionsByDay,
  crossMemberGuards,
  heldCodes,
  matchCodes,
  memberStamps,
  memberUsage,
  releaseStatements,
  stampReturnStatements,
  type RecordedApplication,
  offerIdsOfCodes,
} from './repository';
export {
  autoApplyCodesStatement,
  codeTaken,
  drawCodes,
  drawPersonalCode,
  personalCodesStatement,
  unusedCodeSql,
  voidUnusedCodesStatement,
  type PersonalCode,
} from './personal-codes';
export { OfferConditionsInput, OfferEffectInput, withDecodedIds } from './schema/mutations';
export { OfferConditionsType, OfferEffectType, OfferType, PromoCodeType } from './schema/types';
export {
  createOffersService,
  newOfferStatements,
  offerChangeStatements,
  type OffersService,
  type VoucherCampaignLookup,
} from './service';
