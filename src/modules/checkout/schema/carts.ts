import { builder } from '../../../graphql/builder';
import { programIdOf, type GraphQLContext } from '../../../graphql/context';
import { decodeId } from '../../../graphql/global-ids';
import { parseInput } from '../../../graphql/parse-input';
import { ErrorInterface } from '../../../graphql/types/errors';
import { CurrencyMismatchError, inProgram } from '../../ledger';
import { loadMember, MemberErasedError, MemberNotFoundError, memberIdFrom, MemberType } from '../../members';
import type { TrackedCart } from '../carts';
import { trackCartSchema } from '../carts';
import { CartOfAnotherMemberError, TooManyCartsError } from '../errors';
import { CartLineInput } from './orders';
import { QuoteType } from './types';

builder.objectType(CartOfAnotherMemberError, {
  name: 'CartOfAnotherMemberError',
  description: 'The cart id is tracked for another member; nothing changed',
  interfaces: [ErrorInterface],
  fields: (t) => ({ cartId: t.string({ description: 'The cart asked for', resolve: (error) => error.details.cartId }) }),
});
builder.objectType(TooManyCartsError, {
  name: 'TooManyCartsError',
  description: 'The member has as many open carts as a member may; nothing changed',
  interfaces: [ErrorInterface],
  fields: (t) => ({ limit: t.int({ description: 'Open carts a member may have', resolve: (error) => error.details.limit }) }),
});

const TrackCartInput = builder.inputType('TrackCartInput', {
  fields: (t) => ({
    memberId: t.id({ description: 'Omit with a member token: the member tracks its own cart' }),
    cartId: t.string({ required: true, description: 'Your cart id; recordOrder with this cartId ends the cart' }),
    currency: t.string({ required: true, description: 'ISO 4217; must be the program currency' }),
    lines: t.field({
      type: [CartLineInput],
      required: true,
      description: 'The whole cart as it is now; empty: the cart was emptied and is forgotten',
    }),
    codes: t.stringList({ description: 'Promo codes entered in the cart' }),
    attributes: t.field({ type: 'Attributes', description: 'Cart attributes offers can target' }),
  }),
});

const TrackCartPayload = builder.objectRef<TrackedCart & { programId: string }>('TrackCartPayload').implement({
  fields: (t) => ({
    cartId: t.exposeString('cartId'),
    member: t.field({ type: MemberType, resolve: (cart, _args, context) => loadMember(cart.programId, cart.memberId, context) }),
    trackedAt: t.expose('trackedAt', {
      type: 'DateTime',
      description: 'The cart idles from here: cart.abandoned counts from this instant',
    }),
    quote: t.field({
      type: QuoteType,
      nullable: true,
      description: 'What the cart gets now, as quote answers; null when the cart was emptied',
      resolve: (cart) => (cart.quote ? { ...cart.quote, programId: cart.programId } : null),
    }),
  }),
});

/** A member token tracks its own cart when the input names no member. */
const ownMemberId = ({ principal }: GraphQLContext) => (principal?.role === 'member' ? principal.memberId : null);

builder.mutationField('trackCart', (t) =>
  t.field({
    type: TrackCartPayload,
    description:
      "Records a member's cart as it is now, answering with its quote. A cart idle for the program's cartAbandonedAfterHours emits cart.abandoned; recordOrder with its cartId ends it",
    authScopes: (_root, { input }, context) => ({
      admin: true,
      storefront: true,
      self: input.memberId == null ? (ownMemberId(context) ?? '') : (decodeId('Member', input.memberId) ?? ''),
    }),
    args: { input: t.arg({ type: TrackCartInput, required: true }) },
    errors: {
      types: [MemberNotFoundError, MemberErasedError, CurrencyMismatchError, CartOfAnotherMemberError, TooManyCartsError],
      directResult: true,
      union: { name: 'TrackCartResult' },
    },
    resolve: async (_root, { input }, context) => {
      const programId = programIdOf(context);
      const memberId = input.memberId == null ? ownMemberId(context) : memberIdFrom(input.memberId);
      const cart = parseInput(trackCartSchema, { ...input, memberId });
      return inProgram(programId, context.services.checkout.trackCart(programId, cart));
    },
  }),
);
