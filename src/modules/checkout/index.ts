// Registers the module's GraphQL types and fields on the builder (src/api/schema.ts assembles them).
import './schema';

export { checkoutCommands } from './commands';
export { checkoutCart, type CheckoutCart } from './context';
export { allocateRefundLines, isFullRefund, netTotal, refundShares, type RefundLine } from './domain/refund';
export { CheckoutChangedError, CheckoutContendedError, DuplicateOrderError, OrderNotFoundError, RefundExceedsOrderError } from './errors';
export { recordedOrderEvents } from './events';
export { offerExposures } from './exposures';
export { cartFields, withTotal } from './inputs';
export { cartsByIds, clearCartStatement, forgetMemberCarts, idleCarts, quoteCarts } from './carts';
export { quoteResult, type QuoteResult } from './quote';
export type { RecordOrderResult, RefundOrderResult } from './results';
export { CartLineInput } from './schema/orders';
export { createCheckoutService, orderKey, type CheckoutService } from './service';
