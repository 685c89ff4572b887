import { builder } from '../../../graphql/builder';
import { programIdOf, type GraphQLContext } from '../../../graphql/context';
import { decodeId } from '../../../graphql/global-ids';
import { parseInput } from '../../../graphql/parse-input';
import { ErrorInterface } from '../../../graphql/types/errors';
import * as ledgerErrors from '../../ledger/errors';
import { idempotencyKeyField, inProgram, memberCommandErrors, replayedDescription, type WithProgram } from '../../ledger/schema/shared';
import { loadMember, memberIdFrom, MemberType } from '../../members/schema';
import { TierType } from '../../tiers/schema';
import type { RecordOrderResult } from '../commands/record-order';
import type { RefundOrderResult } from '../commands/refund-order';
import { CheckoutChangedError, CheckoutContendedError } from '../errors';
import { quoteCartSchema, recordOrderSchema, refundOrderSchema } from '../inputs';
import { QuoteType, quoteFieldsOf } from './types';

builder.objectType(CheckoutChangedError, {
  name: 'CheckoutChanged',
  description: 'The cart no longer gets the expected discount (an offer ran out, a code was used): quote again; nothing was recorded',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    expectedDiscount: t.field({ type: 'SafeInt', resolve: (error) => error.details.expectedDiscount }),
    currentDiscount: t.field({ type: 'SafeInt', resolve: (error) => error.details.currentDiscount }),
  }),
});
builder.objectType(CheckoutContendedError, { name: 'CheckoutContended', interfaces: [ErrorInterface], fields: () => ({}) });

export const CartLineInput = builder.inputType('OrderLineInput', {
  fields: (t) => ({
    sku: t.string({ required: true }),
    category: t.string(),
    quantity: t.int({ required: true }),
    unitPrice: t.field({ type: 'SafeInt', required: true, description: 'Minor units' }),
    attributes: t.field({ type: 'Attributes', description: 'E.g. { weight: 250 } for gift thresholds by weight' }),
  }),
});

const cartFields = {
  currency: { description: 'ISO 4217; must be the program currency' },
  codes: { description: 'Promo codes as entered; case-insensitive' },
  redeemPoints: { description: 'Points to pay part of the order with' },
  attributes: { description: 'Order attributes offers can target, e.g. { ownCup: true }' },
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
  }),
});

const RecordOrderInput = builder.inputType('RecordOrderInput', {
  fields: (t) => ({
    memberId: t.id({ required: true }),
    orderId: t.string({ required: true, description: 'Your order id; an order is recorded once' }),
    currency: t.string({ required: true, ...cartFields.currency }),
    total: t.field({ type: 'SafeInt', description: 'Order total in minor units, before discounts and points; at least the sum of the lines, which it defaults to' }),
    lines: t.field({ type: [CartLineInput] }),
    codes: t.stringList(cartFields.codes),
    attributes: t.field({ type: 'Attributes', ...cartFields.attributes }),
    redeemPoints: t.int(cartFields.redeemPoints),
    expectedDiscount: t.field({ type: 'SafeInt', description: 'The discount the customer was charged with (from quote); refused with CheckoutChanged if it differs now' }),
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
    member: t.field({ type: MemberType, resolve: (result, _args, context) => loadMember(result.programId, result.memberId, context) }),
    pointsBalance: t.expose('pointsBalance', { type: 'SafeInt' }),
    upgradedTier: t.field({
      type: TierType,
      nullable: true,
      description: 'The tier this order lifted the member into, if any',
      resolve: async (result, _args, context) =>
        result.upgradedTierId ? ((await context.services.tiers.byIds(result.programId, [result.upgradedTierId]))[0] ?? null) : null,
    }),
    replayed: t.exposeBoolean('replayed', { description: replayedDescription }),
  }),
});
quoteFieldsOf(RecordOrderPayload);

const RefundOrderPayload = builder.objectRef<WithProgram<RefundOrderResult>>('RefundOrderPayload').implement({
  fields: (t) => ({
    orderId: t.exposeString('orderId'),
    member: t.field({ type: MemberType, resolve: (result, _args, context) => loadMember(result.programId, result.memberId, context) }),
    amount: t.expose('amount', { type: 'SafeInt', description: 'Refunded by this request, minor units' }),
    totalRefunded: t.expose('totalRefunded', { type: 'SafeInt' }),
    pointsClawedBack: t.expose('pointsClawedBack', { type: 'SafeInt' }),
    pointsNotRecovered: t.expose('pointsNotRecovered', { type: 'SafeInt', description: 'Earned points already spent, so not taken back' }),
    pointsReturned: t.expose('pointsReturned', { type: 'SafeInt' }),
    pointsBalance: t.expose('pointsBalance', { type: 'SafeInt' }),
    offersReleased: t.exposeBoolean('offersReleased', {
      description: 'This refund completed a full refund: the order\'s offer redemptions, code uses and stamps were given back',
    }),
    replayed: t.exposeBoolean('replayed', { description: replayedDescription }),
  }),
});

const pointsPaymentErrors = [ledgerErrors.CurrencyMismatchError, ledgerErrors.InsufficientPointsError, ledgerErrors.BelowMinimumRedemptionError, ledgerErrors.RedemptionExceedsTotalError];
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
    errors: { types: [memberCommandErrors[0]!, memberCommandErrors[1]!, ...pointsPaymentErrors], directResult: true, union: { name: 'QuoteResult' } },
    resolve: async (_root, { cart }, context) => {
      const programId = programIdOf(context);
      const memberId = cart.memberId == null ? ownMemberId(context) : memberIdFrom(cart.memberId);
      const parsed = parseInput(quoteCartSchema, { ...cart, memberId });
      return inProgram(programId, context.services.checkout.quote(programId, parsed));
    },
  }),
);

builder.mutationFields((t) => ({
  recordOrder: t.field({
    type: RecordOrderPayload,
    description: 'Records an order as quote prices it: applies offers once, spends `redeemPoints` as payment, earns points on what was paid',
    authScopes: storefront,
    args: { input: t.arg({ type: RecordOrderInput, required: true }) },
    errors: {
      types: [...memberCommandErrors, ledgerErrors.DuplicateOrderError, ...pointsPaymentErrors, CheckoutChangedError, CheckoutContendedError],
      directResult: true,
      union: { name: 'RecordOrderResult' },
    },
    resolve: async (_root, { input }, context) => {
      const programId = programIdOf(context);
      const memberId = memberIdFrom(input.memberId);
      return inProgram(programId, context.services.checkout.recordOrder(programId, { ...parseInput(recordOrderSchema, input), memberId }));
    },
  }),
  refundOrder: t.field({
    type: RefundOrderPayload,
    description: 'Refunds part or all of an order: takes back points earned on it, returns points that paid for it; a full refund gives its offer and code uses back',
    authScopes: storefront,
    args: { input: t.arg({ type: RefundOrderInput, required: true }) },
    errors: {
      types: [ledgerErrors.IdempotencyConflictError, ledgerErrors.OrderNotFoundError, ledgerErrors.RefundExceedsOrderError],
      directResult: true,
      union: { name: 'RefundOrderResult' },
    },
    resolve: async (_root, { input }, context) => {
      const programId = programIdOf(context);
      return inProgram(programId, context.services.checkout.refundOrder(programId, parseInput(refundOrderSchema, input)));
    },
  }),
}));
