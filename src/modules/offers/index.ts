// The offers module's public surface (DESIGN.md §2): what other modules may use.
export { funderCost, type OfferFunder } from './domain/evaluate';
export { conditionsInputSchema, effectInputSchema, type EffectKind, type NewOffer, type Offer } from './domain/offer';
export { createOffersService, newOfferStatements, offerChangeStatements, type OffersService } from './service';
export { OfferConditionsInput, OfferEffectInput } from './schema/mutations';
export { OfferEffectType, PromoCodeType } from './schema/types';
