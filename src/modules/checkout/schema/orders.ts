import { EarnedPartnerVoucherType } from '../../partners';
import { builder } from '../../../graphql/builder';
import { programIdOf, type GraphQLContext } from '../../../graphql/context';
import { decodeId } from '../../../graphql/global-ids';
import { parseInput } from '../../../graphql/parse-input';
import { ErrorInterface } from '../../../graphql/types/errors';
import {
  BelowMinimumRedemptionError,
  CurrencyMismatchError,
  IdempotencyConflictError,
  InsufficientPointsError,
  InsufficientWalletBalanceError,
  PointsNotWholeStepError,
  RedemptionExceedsTotalError,
  WalletPaymentExceedsTotalError,
} from '../../ledger';
import { idempotencyKeyField, inProgram, memberCommandErrors, replayedDescription, type WithProgram } from '../../ledger';
import { loadMember, memberIdFrom, MemberType } from '../../members';
import { TierType } from '../../tiers';
import type { RecordOrderResult, RefundOrderResult } from '../results';
import type { ClaimOrderResult } from '../commands/claim-order';
import {
  CheckoutChangedError,
  CheckoutContendedError,
  ClaimWindowClosedError,
  DuplicateOrderError,
  OrderAlreadyClaimedError,
  OrderNotFoundError,
  OrderOfAnotherMemberError,
  PlacedAtOutOfRangeError,
  RefundExceedsOrderError,
} from '../errors';
import { claimOrderSchema, quoteCartSchema, recordOrderSchema, refundOrderSchema } from '../inputs';
import { QuoteType, quoteFieldsOf } from './types';

builder.objectType(DuplicateOrderError, {
  name: 'DuplicateOrderError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ orderId: t.string({ resolve: (error) => error.details.orderId }) }),
});

builder.objectType(OrderNotFoundError, {
  name: 'OrderNotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ orderId: t.string({ resolve: (error) => error.details.orderId }) }),
});

builder.objectType(RefundExceedsOrderError, {
  name: 'RefundExceedsOrderError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ refundable: t.field({ type: 'SafeInt', resolve: (error) => error.details.refundable }) }),
});

builder.objectType(CheckoutChangedError, {
  name: 'CheckoutChangedError',
  description: 'The cart no longer gets the expected discount (an offer ran out, a code was used): quote again; nothing was recorded',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    expectedDiscount: t.field({ type: 'SafeInt', resolve: (error) => error.details.expectedDiscount }),
    currentDiscount: t.field({ type: 'SafeInt', resolve: (error) => error.details.currentDiscount }),
  }),
});
builder.objectType(PlacedAtOutOfRangeError, {
  name: 'PlacedAtOutOfRangeError',
  description: "placedAt is in the future or further back than the program's maxBackdateDays; nothing was recorded",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    earliest: t.field({
      type: 'DateTime',
      description: 'The earliest placedAt accepted now',
      resolve: (error) => new Date(error.details.earliest),
    }),
    latest: t.field({ type: 'DateTime', description: 'Now', resolve: (error) => new Date(error.details.latest) }),
  }),
});
builder.objectType(CheckoutContendedError, { name: 'CheckoutContendedError', interfaces: [ErrorInterface], fields: () => ({}) });

export const CartLineInput = builder.inputType('OrderLineInput', {
  fields: (t) => ({
    sku: t.string({ required: true }),
    category: t.string(),
    quantity: t.int({ required: true }),
    unitPrice: t.field({ type: 'SafeInt', required: true, description: 'Minor units' }),
    attributes: t.field({ type: 'Attributes', description: 'E.g. { weight: 250 } for gift thresholds by weight' }),
  }),
});

const WalletPaymentInput = builder.inputType('WalletPaymentInput', {
  description: "Part of the order paid from the member's wallet (bonus credit first, then cash)",
  fields: (t) => ({
    amount: t.field({ type: 'SafeInt', required: true, description: 'Minor units' }),
    currency: t.string({ required: true, description: "Must be the order's currency" }),
  }),
});

const cartFields = {
  currency: { description: 'ISO 4217; must be the program currency' },
  codes: { description: 'Promo codes as entered; case-insensitive' },
  redeemPoints: { description: 'Points to pay part of the order with' },
  attributes: { description: 'Order attributes offers can target, e.g. { ownCup: true }' },
  placedAt: {
    description:
      "When the order was placed, for a till that syncs late: offers, codes, tiers and points are evaluated as of then; at most the program's maxBackdateDays ago, never in the future (default: now)",
  },
};

const QuoteCartInput = builder.inputType('QuoteCartInput', {
  fields: (t) => ({
    memberId: t.id({ description: 'Omit for a guest; a member token quotes for itself' }),
    currency: t.string({ required: true, ...cartFields.currency }),
    total: t.field({ type: 'SafeInt', description: 'Minor units, before discounts; defaults to the sum of the lines' }),
    lines: t.field({ type: [CartLineInput] }),
    codes: t.stringList(cartFields.codes),
    attributes: t.field({ type: 'Attributes', ...cartFields.attributes }),
    redeemPoints: t.int(cartFields.redeemPoints),
    placedAt: t.field({ type: 'DateTime', ...cartFields.placedAt }),
    walletPayment: t.field({ type: WalletPaymentInput, description: 'Pay part of what discounts and points leave from the wallet' }),
  }),
});

const RecordOrderInput = builder.inputType('RecordOrderInput', {
  fields: (t) => ({
    memberId: t.id({ description: 'Omit for a guest: codes, caps and budgets count the order; a member can claim it later (claimOrder)' }),
    orderId: t.string({ required: true, description: 'Your order id; an order is recorded once' }),
    cartId: t.string({ description: 'The cart tracked with trackCart that this order was placed from: recording the order ends it' }),
    currency: t.string({ required: true, ...cartFields.currency }),
    total: t.field({
      type: 'SafeInt',
      description: 'Order total in minor units, before discounts and points; at least the sum of the lines, which it defaults to',
    }),
    lines: t.field({ type: [CartLineInput] }),
    codes: t.stringList(cartFields.codes),
    attributes: t.field({ type: 'Attributes', ...cartFields.attributes }),
    redeemPoints: t.int(cartFields.redeemPoints),
    placedAt: t.field({ type: 'DateTime', ...cartFields.placedAt }),
    walletPayment: t.field({ type: WalletPaymentInput, description: 'Pay part of what discounts and points leave from the wallet' }),
    expectedDiscount: t.field({
      type: 'SafeInt',
      description: 'The discount the customer was charged with (from quote); refused with CheckoutChangedError if it differs now',
    }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const RefundLineInput = builder.inputType('RefundLineInput', {
  fields: (t) => ({ sku: t.string({ required: true }), quantity: t.int({ required: true }) }),
});

const RefundOrderInput = builder.inputType('RefundOrderInput', {
  description: 'Give either `amount` (minor units) or `lines`',
  fields: (t) => ({
    orderId: t.string({ required: true }),
    amount: t.field({ type: 'SafeInt', description: 'Minor units, of what was paid after discounts' }),
    lines: t.field({ type: [RefundLineInput] }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const RecordOrderPayload = builder.objectRef<WithProgram<RecordOrderResult>>('RecordOrderPayload');
RecordOrderPayload.implement({
  fields: (t) => ({
    orderId: t.exposeString('orderId'),
    member: t.field({
      type: MemberType,
      nullable: true,
      description: 'Null for a guest order',
      resolve: (result, _args, context) => (result.memberId ? loadMember(result.programId, result.memberId, context) : null),
    }),
    pointsBalance: t.expose('pointsBalance', { type: 'SafeInt' }),
    upgradedTier: t.field({
      type: TierType,
      nullable: true,
      description: 'The tier this order lifted the member into, if any',
      resolve: async (result, _args, context) =>
        result.upgradedTierId ? ((await context.services.tiers.byIds(result.programId, [result.upgradedTierId]))[0] ?? null) : null,
    }),
    partnerVouchers: t.field({
      type: [EarnedPartnerVoucherType],
      description: 'Partner vouchers the order earned (partnerVoucher offers), or why one was not given',
      resolve: (result) => result.partnerVouchers ?? [],
    }),
    replayed: t.exposeBoolean('replayed', { description: replayedDescription }),
  }),
});
quoteFieldsOf(RecordOrderPayload);

const ClaimOrderInput = builder.inputType('ClaimOrderInput', {
  description: 'A guest order and the member who claims it',
  fields: (t) => ({
    orderId: t.string({ required: true, description: 'A guest order (recorded without memberId)' }),
    memberId: t.id({ required: true, description: 'The member who earns its points' }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const ClaimOrderPayload = builder.objectRef<WithProgram<ClaimOrderResult>>('ClaimOrderPayload').implement({
  description: 'A guest order now linked to the member',
  fields: (t) => ({
    orderId: t.exposeString('orderId', { description: 'The order claimed' }),
    member: t.field({
      type: MemberType,
      description: 'The member it now belongs to',
      resolve: (result, _args, context) => loadMember(result.programId, result.memberId, context),
    }),
    pointsEarned: t.expose('pointsEarned', {
      type: 'SafeInt',
      description: 'What the order earned when recorded, less what refunds took since',
    }),
    pointsBalance: t.expose('pointsBalance', { type: 'SafeInt', description: "The member's points after the claim" }),
    replayed: t.exposeBoolean('replayed', { description: replayedDescription }),
  }),
});
for (const [error, name] of [
  [OrderAlreadyClaimedError, 'OrderAlreadyClaimedError'],
  [OrderOfAnotherMemberError, 'OrderOfAnotherMemberError'],
] as const) {
  builder.objectType(error, {
    name,
    description:
      name === 'OrderAlreadyClaimedError'
        ? 'The order already belongs to this member; nothing changed'
        : 'The order belongs to another member; nothing changed',
    interfaces: [ErrorInterface],
    fields: (t) => ({ orderId: t.string({ description: 'The order asked for', resolve: (found) => found.details.orderId }) }),
  });
}
builder.objectType(ClaimWindowClosedError, {
  name: 'ClaimWindowClosedError',
  description: "The guest order is older than the program's guestClaimDays",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    claimableUntil: t.field({
      type: 'DateTime',
      description: 'The last instant it could be claimed',
      resolve: (error) => new Date(error.details.claimableUntil),
    }),
  }),
});

const RefundOrderPayload = builder.objectRef<WithProgram<RefundOrderResult>>('RefundOrderPayload').implement({
  fields: (t) => ({
    orderId: t.exposeString('orderId'),
    member: t.field({
      type: MemberType,
      nullable: true,
      description: 'Null for a guest order',
      resolve: (result, _args, context) => (result.memberId ? loadMember(result.programId, result.memberId, context) : null),
    }),
    amount: t.expose('amount', { type: 'SafeInt', description: 'Refunded by this request, minor units' }),
    totalRefunded: t.expose('totalRefunded', { type: 'SafeInt' }),
    pointsClawedBack: t.expose('pointsClawedBack', { type: 'SafeInt' }),
    pointsNotRecovered: t.expose('pointsNotRecovered', { type: 'SafeInt', description: 'Earned points already spent, so not taken back' }),
    pointsReturned: t.expose('pointsReturned', { type: 'SafeInt' }),
    walletReturned: t.expose('walletReturned', {
      type: 'SafeInt',
      description: 'Given back to the wallet, in proportion to what the wallet paid (bonus credit to bonus)',
    }),
    pointsBalance: t.expose('pointsBalance', { type: 'SafeInt' }),
    stampsReturned: t.exposeInt('stampsReturned', {
      description: 'Stamps taken off stamp cards for the units this refund returned (a full refund: all the order gave)',
    }),
    offersReleased: t.exposeBoolean('offersReleased', {
      description: "This refund completed a full refund: the order's offer redemptions, code uses and stamps were given back",
    }),
    replayed: t.exposeBoolean('replayed', { description: replayedDescription }),
  }),
});

const pointsPaymentErrors = [
  PlacedAtOutOfRangeError,
  WalletPaymentExceedsTotalError,
  InsufficientWalletBalanceError,
  CurrencyMismatchError,
  InsufficientPointsError,
  BelowMinimumRedemptionError,
  RedemptionExceedsTotalError,
  PointsNotWholeStepError,
];
const storefront = { admin: true, storefront: true };
/** A member token quotes for its own member when the cart names none. */
const ownMemberId = ({ principal }: GraphQLContext) => (principal?.role === 'member' ? principal.memberId : null);

builder.queryField('quote', (t) =>
  t.field({
    type: QuoteType,
    description: 'What a cart gets now: offers applied and why others did not, points to earn and redeemable. Writes nothing',
    authScopes: (_root, { cart }, context) => ({
      ...storefront,
      self: cart.memberId == null ? (ownMemberId(context) ?? '') : (decodeId('Member', cart.memberId) ?? ''),
    }),
    args: { cart: t.arg({ type: QuoteCartInput, required: true }) },
    errors: {
      types: [memberCommandErrors[0]!, memberCommandErrors[1]!, ...pointsPaymentErrors],
      directResult: true,
      union: { name: 'QuoteResult' },
    },
    resolve: async (_root, { cart }, context) => {
      const programId = programIdOf(context);
      const memberId = cart.memberId == null ? ownMemberId(context) : memberIdFrom(cart.memberId);
      const parsed = parseInput(quoteCartSchema, { ...cart, memberId });
      return inProgram(
        programId,
        context.services.checkout.quote(programId, parsed).then(({ offersRead, tiersRead, ...quote }) => {
          // Only the offers that applied: no other field of the quote points to an offer.
          const applied = new Set(quote.applied.map((offer) => offer.offerId));
          for (const offer of offersRead) if (applied.has(offer.id)) context.readInRequest.set(`Offer:${offer.id}`, offer);
          for (const tier of tiersRead) context.readInRequest.set(`Tier:${tier.id}`, tier);
          return quote;
        }),
      );
    },
  }),
);

builder.mutationFields((t) => ({
  recordOrder: t.field({
    type: RecordOrderPayload,
    description:
      'Records an order as quote prices it: applies offers once, spends `redeemPoints` as payment, earns points on what was paid',
    authScopes: storefront,
    args: { input: t.arg({ type: RecordOrderInput, required: true }) },
    errors: {
      types: [...memberCommandErrors, DuplicateOrderError, ...pointsPaymentErrors, CheckoutChangedError, CheckoutContendedError],
      directResult: true,
      union: { name: 'RecordOrderResult' },
    },
    resolve: async (_root, { input }, context) => {
      const programId = programIdOf(context);
      const memberId = input.memberId == null ? null : memberIdFrom(input.memberId);
      const recorded = context.services.checkout.recordOrder(programId, { ...parseInput(recordOrderSchema, input), memberId });
      return inProgram(
        programId,
        recorded.then(({ offersApplied, tiersRead, ...result }) => {
          for (const offer of offersApplied ?? []) context.readInRequest.set(`Offer:${offer.id}`, offer);
          for (const tier of tiersRead ?? []) context.readInRequest.set(`Tier:${tier.id}`, tier);
          return result;
        }),
      );
    },
  }),
  claimOrder: t.field({
    type: ClaimOrderPayload,
    description: "Links a guest order to a member, once, within the program's guestClaimDays: they earn its points as of the order",
    authScopes: storefront,
    args: { input: t.arg({ type: ClaimOrderInput, required: true }) },
    errors: {
      types: [...memberCommandErrors, OrderNotFoundError, OrderAlreadyClaimedError, OrderOfAnotherMemberError, ClaimWindowClosedError],
      directResult: true,
      union: { name: 'ClaimOrderResult' },
    },
    resolve: async (_root, { input }, context) => {
      const programId = programIdOf(context);
      const memberId = memberIdFrom(input.memberId);
      return inProgram(programId, context.services.checkout.claimOrder(programId, { ...parseInput(claimOrderSchema, input), memberId }));
    },
  }),
  refundOrder: t.field({
    type: RefundOrderPayload,
    description:
      'Refunds part or all of an order: takes back points earned on it, returns points that paid for it; a full refund gives its offer and code uses back',
    authScopes: storefront,
    args: { input: t.arg({ type: RefundOrderInput, required: true }) },
    errors: {
      types: [IdempotencyConflictError, OrderNotFoundError, RefundExceedsOrderError],
      directResult: true,
      union: { name: 'RefundOrderResult' },
    },
    resolve: async (_root, { input }, context) => {
      const programId = programIdOf(context);
      return inProgram(programId, context.services.checkout.refundOrder(programId, parseInput(refundOrderSchema, input)));
    },
  }),
}));
