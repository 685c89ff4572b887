import { builder } from '../../../graphql/builder';
import { MemberType } from '../../members';
import type { Offer } from '../../offers';
import { OfferType } from '../../offers';

const AvailableOfferType = builder.objectRef<{ offer: Offer; codes: string[] }>('AvailableOffer').implement({
  fields: (t) => ({
    offer: t.field({ type: OfferType, resolve: (entry) => entry.offer }),
    codes: t.exposeStringList('codes', { description: 'Codes this member holds for it (empty: it applies automatically)' }),
  }),
});

const StampCardType = builder.objectRef<{ offer: Offer; stamps: number; rewards: number; stampsRequired: number }>('StampCard').implement({
  description: 'Progress on a stamp-card offer',
  fields: (t) => {
    const required = (card: { stampsRequired: number }) => card.stampsRequired;
    return {
      offer: t.field({ type: OfferType, resolve: (card) => card.offer }),
      stampsRequired: t.int({ resolve: required }),
      stamps: t.int({
        description: 'Stamps on the current card (a full card: the next unit is free)',
        resolve: (card) => Math.min(required(card), Math.max(0, card.stamps - card.rewards * required(card))),
      }),
      untilReward: t.int({
        description: 'Matching units to buy until one is free; 1: the next one is free',
        resolve: (card) => Math.max(1, (card.rewards + 1) * required(card) - card.stamps),
      }),
      stampsOwed: t.int({
        description: 'Stamps refunds took back after their free unit was given: the next stamps repay them before a unit is free',
        resolve: (card) => Math.max(0, card.rewards * required(card) - card.stamps),
      }),
      lifetimeStamps: t.int({ description: 'Matching units bought (refunded ones taken off)', resolve: (card) => card.stamps }),
      rewardsEarned: t.int({ description: 'Free units given (refunded ones taken off)', resolve: (card) => card.rewards }),
    };
  },
});

builder.objectFields(MemberType, (t) => ({
  availableOffers: t.field({
    type: [AvailableOfferType],
    description:
      'Offers this member can use now, highest priority first; conditions on the cart (minimum spend, attributes) are checked at checkout',
    resolve: (member, _args, context) => context.services.checkout.availableOffers(member.programId, member.id),
  }),
  stampCards: t.field({
    type: [StampCardType],
    resolve: (member, _args, context) => context.services.offers.stampCards(member.programId, member.id),
  }),
}));
