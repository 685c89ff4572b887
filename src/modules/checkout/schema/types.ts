import { createContextCache } from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import DataLoader from 'dataloader';
import { builder } from '../../../graphql/builder';
import { programIdOf, type GraphQLContext } from '../../../graphql/context';
import { upperCaseEnum } from '../../../graphql/enums';
import { MoneyType } from '../../ledger';
import { notAppliedReasons } from '../../offers';
import type { NotApplied } from '../../offers';
import type { Offer } from '../../offers';
import type { NextStep } from '../../offers';
import { OfferType } from '../../offers';
import { TierType } from '../../tiers';
import type { Tier } from '../../tiers';
import type { AppliedOfferResult, QuoteResult, QuotedLine } from '../quote';

export const NotAppliedReason = upperCaseEnum('NotAppliedReason', notAppliedReasons);
const appliedEffects = [
  'percent_off',
  'amount_off',
  'combo',
  'gift',
  'bonus_points',
  'stamp_card',
  'partner_voucher',
  'tier_discount',
  'referral_discount',
] as const;
const AppliedEffect = upperCaseEnum('AppliedEffect', appliedEffects);

type InProgram<T> = T & { programId: string };

const GiftType = builder.objectRef<{ sku: string; quantity: number }>('Gift').implement({
  fields: (t) => ({ sku: t.exposeString('sku'), quantity: t.exposeInt('quantity') }),
});

const NextStepType = builder.objectRef<NextStep>('NextStep').implement({
  description: 'The next step of a stepped offer, above the one the cart reached',
  fields: (t) => ({
    minimumSpend: t.expose('minimumSpend', { type: 'SafeInt', description: 'Spend before discounts that reaches it, minor units' }),
    amount: t.expose('amount', { type: 'SafeInt', nullable: true, description: 'What it takes off (amountOff), minor units' }),
    basisPoints: t.exposeInt('basisPoints', { nullable: true, description: 'What it takes off (percentOff), in 1/100 %' }),
    missing: t.expose('missing', { type: 'SafeInt', description: 'Spend still needed to reach it, minor units' }),
  }),
});

/** The offers applied offers point to that the request did not read with them: loaded together, once per request. */
const offersNotRead = createContextCache(
  (context: GraphQLContext) => new DataLoader((ids: readonly string[]) => context.services.offers.byIds(programIdOf(context), ids)),
);

/** An applied offer as the API shows it: its effect one of the enum's values, so that it is read as a plain property. */
type AppliedOfferView = Omit<InProgram<AppliedOfferResult>, 'effect'> & { effect: (typeof appliedEffects)[number] };

export const AppliedOfferType = builder.objectRef<AppliedOfferView>('AppliedOffer').implement({
  description: "An offer (or the member's tier discount) that applied, and what it gave",
  fields: (t) => ({
    offer: t.field({
      type: OfferType,
      nullable: true,
      description: 'Null for a standing (tier or referral) discount',
      // Synchronous when the offer was read with the quote or the order (no promise per list item);
      // only others (an idempotent replay's) are loaded, together.
      resolve: (applied, _args, context) => {
        if (!applied.offerId) return null;
        return (context.readInRequest.get(`Offer:${applied.offerId}`) as Offer | undefined) ?? offersNotRead(context).load(applied.offerId);
      },
    }),
    tier: t.field({
      type: TierType,
      nullable: true,
      // Synchronous when the tier was read with the quote (no promise per list item).
      resolve: (applied, _args, context) => {
        if (!applied.tierId) return null;
        const known = context.readInRequest.get(`Tier:${applied.tierId}`) as Tier | undefined;
        return known ?? context.services.tiers.byIds(applied.programId, [applied.tierId]).then(([tier]) => tier ?? null);
      },
    }),
    effect: t.expose('effect', { type: AppliedEffect }),
    code: t.exposeString('code', { nullable: true, description: 'The promo code that unlocked it' }),
    discount: t.expose('discount', { type: 'SafeInt', description: 'Taken off, minor units' }),
    gift: t.expose('gift', { type: GiftType, nullable: true }),
    bonusPoints: t.expose('bonusPoints', { type: 'SafeInt' }),
    stamps: t.exposeInt('stamps', { description: 'Stamp-card stamps this order earns' }),
    freeUnits: t.exposeInt('freeUnits', { description: 'Stamp-card units this order gets free' }),
    nextStep: t.expose('nextStep', {
      type: NextStepType,
      nullable: true,
      description: 'For a stepped offer: the next step up, and how far the cart is from it',
    }),
  }),
});

/**
 * A refusal as the API shows it, its ids already global: a quote lists a refusal for most of a
 * program's offers, and with plain properties only, graphql-jit reads each field inline instead of
 * calling a resolver (and building its resolve info) for every field of every item.
 */
type NotAppliedView = Pick<NotApplied, 'code' | 'reason'> & {
  offerId: string | null;
  tierId: string | null;
  threshold: number | null;
  missing: number | null;
};

/** Every view of the same shape (a refusal may lack `threshold` and `missing`), so that reading them stays monomorphic. */
const notAppliedView = (entry: NotApplied): NotAppliedView => ({
  offerId: entry.offerId ? encodeGlobalID('Offer', entry.offerId) : null,
  tierId: entry.tierId ? encodeGlobalID('Tier', entry.tierId) : null,
  code: entry.code,
  reason: entry.reason,
  threshold: entry.threshold ?? null,
  missing: entry.missing ?? null,
});

export const NotAppliedType = builder.objectRef<NotAppliedView>('NotAppliedOffer').implement({
  description: 'An offer, code or tier discount that did not apply, and why',
  fields: (t) => ({
    offerId: t.exposeID('offerId', { nullable: true }),
    tierId: t.exposeID('tierId', { nullable: true }),
    code: t.exposeString('code', { nullable: true, description: 'The code as entered (normalized)' }),
    reason: t.expose('reason', { type: NotAppliedReason }),
    threshold: t.expose('threshold', {
      type: 'SafeInt',
      nullable: true,
      description: 'For BELOW_THRESHOLD: the amount (or weight) the cart must reach',
    }),
    missing: t.expose('missing', {
      type: 'SafeInt',
      nullable: true,
      description: 'For BELOW_THRESHOLD: how much more the cart needs to reach it',
    }),
  }),
});

const QuotedLineType = builder.objectRef<QuotedLine>('QuotedLine').implement({
  fields: (t) => ({
    lineNo: t.exposeInt('lineNo', { description: 'Position in the cart, from 0' }),
    sku: t.exposeString('sku'),
    quantity: t.exposeInt('quantity'),
    unitPrice: t.expose('unitPrice', { type: 'SafeInt' }),
    discount: t.expose('discount', { type: 'SafeInt', description: 'The part of the discount on this line' }),
    total: t.field({
      type: 'SafeInt',
      description: 'quantity × unitPrice − discount',
      resolve: (line) => line.quantity * line.unitPrice - line.discount,
    }),
  }),
});

const money = (amount: number, currency: string) => ({ amount, currency });

/** The fields a quote and a recorded order share: both come from the same evaluation. */
export function quoteFieldsOf<Parent extends InProgram<QuoteResult>>(ref: ReturnType<typeof builder.objectRef<Parent>>) {
  builder.objectFields(ref, (t) => ({
    total: t.field({ type: MoneyType, description: 'Before discounts and points', resolve: (quote) => money(quote.total, quote.currency) }),
    discount: t.field({
      type: MoneyType,
      description: 'Taken off by offers and the tier discount',
      resolve: (quote) => money(quote.discount, quote.currency),
    }),
    totalAfterDiscount: t.field({ type: MoneyType, resolve: (quote) => money(quote.totalAfterDiscount, quote.currency) }),
    pointsRedeemed: t.field({ type: 'SafeInt', resolve: (quote) => quote.pointsRedeemed }),
    pointsPayment: t.field({
      type: MoneyType,
      description: 'What the redeemed points pay',
      resolve: (quote) => money(quote.pointsPayment, quote.currency),
    }),
    amountPaid: t.field({
      type: MoneyType,
      description: 'What is paid otherwise; points are earned on this',
      resolve: (quote) => money(quote.amountDue, quote.currency),
    }),
    walletPayment: t.field({
      type: MoneyType,
      description: "Paid from the member's wallet (part of amountPaid)",
      resolve: (quote) => money(quote.walletPayment, quote.currency),
    }),
    amountToPay: t.field({
      type: MoneyType,
      description: 'Left to pay after discounts, points and the wallet',
      resolve: (quote) => money(quote.amountToPay, quote.currency),
    }),
    pointsEarned: t.field({
      type: 'SafeInt',
      description: 'Base points at the tier multiplier, plus bonus points',
      resolve: (quote) => quote.pointsEarned,
    }),
    pointsRedeemable: t.field({
      type: 'SafeInt',
      description: 'Most points the member could pay this cart with',
      resolve: (quote) => quote.pointsRedeemable,
    }),
    appliedOffers: t.field({
      type: [AppliedOfferType],
      resolve: (quote) =>
        quote.applied.map((applied) => ({ ...applied, effect: applied.effect as AppliedOfferView['effect'], programId: quote.programId })),
    }),
    notApplied: t.field({ type: [NotAppliedType], resolve: (quote) => quote.notApplied.map(notAppliedView) }),
    gifts: t.field({ type: [GiftType], resolve: (quote) => quote.applied.flatMap((applied) => (applied.gift ? [applied.gift] : [])) }),
    stampsEarned: t.int({ resolve: (quote) => quote.applied.reduce((sum, applied) => sum + applied.stamps, 0) }),
    lines: t.field({ type: [QuotedLineType], resolve: (quote) => quote.lines }),
    restOfOrderDiscount: t.field({
      type: 'SafeInt',
      description: 'Discount on the part of the total no line covers (shipping, fees …)',
      resolve: (quote) => quote.restOfOrderDiscount,
    }),
  }));
}

export const QuoteType = builder.objectRef<InProgram<QuoteResult>>('Quote');
QuoteType.implement({ description: 'What a cart gets; nothing is written', fields: () => ({}) });
quoteFieldsOf(QuoteType);
