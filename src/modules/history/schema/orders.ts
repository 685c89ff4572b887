import { builder } from '../../../graphql/builder';
import { programIdOf, type GraphQLContext } from '../../../graphql/context';
import { connectionById } from '../../../graphql/connections';
import { decodeId } from '../../../graphql/global-ids';
import { MoneyType } from '../../ledger';
import { memberIdFrom, MemberType, type Member } from '../../members';
import { OfferType } from '../../offers';
import type { OrderView } from '../service';

const money = (order: OrderView, amount: number) => ({ amount, currency: order.currency });

const OrderLineType = builder.objectRef<OrderView['lines'][number]>('OrderLine').implement({
  fields: (t) => ({
    lineNo: t.exposeInt('lineNo'),
    sku: t.exposeString('sku'),
    category: t.exposeString('category', { nullable: true }),
    quantity: t.exposeInt('quantity'),
    unitPrice: t.expose('unitPrice', { type: 'SafeInt' }),
    discount: t.expose('discount', { type: 'SafeInt' }),
    refundedQuantity: t.exposeInt('refundedQuantity'),
  }),
});

const OrderOfferType = builder.objectRef<OrderView['appliedOffers'][number]>('OrderOffer').implement({
  fields: (t) => ({
    offer: t.loadable({
      nullable: true,
      type: OfferType,
      load: (ids: string[], context) => context.services.offers.byIds(programIdOf(context), ids),
      resolve: (applied) => applied.offerId,
    }),
    code: t.exposeString('code', { nullable: true }),
    discount: t.expose('discount', { type: 'SafeInt' }),
    bonusPoints: t.expose('bonusPoints', { type: 'SafeInt' }),
    giftSku: t.exposeString('giftSku', { nullable: true }),
    giftQuantity: t.exposeInt('giftQuantity'),
    stamps: t.exposeInt('stamps'),
    freeUnits: t.exposeInt('freeUnits'),
    releasedAt: t.expose('releasedAt', { type: 'DateTime', nullable: true }),
  }),
});

const OrderRefundType = builder.objectRef<OrderView['refunds'][number]>('OrderRefund').implement({
  fields: (t) => ({
    amount: t.expose('amount', { type: 'SafeInt' }),
    pointsClawedBack: t.expose('pointsClawedBack', { type: 'SafeInt' }),
    pointsReturned: t.expose('pointsReturned', { type: 'SafeInt' }),
    refundedAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

/** Admins and storefronts of the order's program, or the member who placed it. */
export const OrderType = builder.node(builder.objectRef<OrderView>('Order'), {
  id: { resolve: (order) => order.id },
  authScopes: (order) => ({ admin: true, storefront: true, self: order.memberId ?? '' }),
  loadMany: (ids, context) => context.services.history.ordersByPks(programIdOf(context), ids),
  fields: (t) => ({
    orderId: t.exposeString('orderId'),
    member: t.loadable({
      type: MemberType,
      nullable: true,
      load: (ids: string[], context) => context.services.members.getMany(programIdOf(context), ids),
      sort: (member: Member) => member.id,
      resolve: (order) => order.memberId,
    }),
    placedAt: t.expose('createdAt', { type: 'DateTime' }),
    total: t.field({ type: MoneyType, resolve: (order) => money(order, order.total) }),
    discount: t.field({ type: MoneyType, resolve: (order) => money(order, order.discount) }),
    totalAfterDiscount: t.field({ type: MoneyType, resolve: (order) => money(order, order.total - order.discount) }),
    pointsRedeemed: t.expose('pointsRedeemed', { type: 'SafeInt' }),
    pointsPayment: t.field({ type: MoneyType, resolve: (order) => money(order, order.pointsPayment) }),
    pointsEarned: t.expose('pointsEarned', { type: 'SafeInt' }),
    refunded: t.field({ type: MoneyType, resolve: (order) => money(order, order.refundedAmount) }),
    fullyRefundedAt: t.expose('fullyRefundedAt', { type: 'DateTime', nullable: true }),
    attributes: t.field({ type: 'Attributes', resolve: (order) => order.attributes ?? {} }),
    lines: t.field({ type: [OrderLineType], resolve: (order) => order.lines }),
    appliedOffers: t.field({ type: [OrderOfferType], resolve: (order) => order.appliedOffers }),
    refunds: t.field({ type: [OrderRefundType], resolve: (order) => order.refunds }),
  }),
});

const ownMemberId = ({ principal }: GraphQLContext) => (principal?.role === 'member' ? principal.memberId : null);

builder.queryFields((t) => ({
  orders: t.connection({
    type: OrderType,
    args: { memberId: t.arg.id(), from: t.arg({ type: 'DateTime' }), to: t.arg({ type: 'DateTime' }) },
    authScopes: (_root, args, context) => ({
      admin: true,
      storefront: true,
      self: args.memberId == null ? (ownMemberId(context) ?? '') : (decodeId('Member', args.memberId) ?? ''),
    }),
    resolve: (_root, args, context) => {
      const memberId = args.memberId == null ? ownMemberId(context) : memberIdFrom(args.memberId);
      return connectionById(args, (page) =>
        context.services.history.orders(programIdOf(context), { memberId, from: args.from, to: args.to }, page),
      );
    },
  }),
  order: t.field({
    type: OrderType,
    nullable: true,
    args: { orderId: t.arg.string({ required: true }) },
    authScopes: { admin: true, storefront: true, member: true },
    resolve: async (_root, { orderId }, context) => {
      const order = await context.services.history.order(programIdOf(context), orderId);
      // A member sees only its own orders: another's is as absent as an unknown id.
      const own = ownMemberId(context);
      return order && (own === null || order.memberId === own) ? order : null;
    },
  }),
}));

builder.objectFields(MemberType, (t) => ({
  orders: t.connection({
    type: OrderType,
    args: { from: t.arg({ type: 'DateTime' }), to: t.arg({ type: 'DateTime' }) },
    resolve: (member, args, context) =>
      connectionById(args, (page) =>
        context.services.history.orders(member.programId, { memberId: member.id, from: args.from, to: args.to }, page),
      ),
  }),
}));
