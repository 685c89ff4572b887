// Registers the module's GraphQL types and fields on the builder (src/api/schema.ts assembles them).
import './schema';

export { checkoutCommands } from './commands';
export { DuplicateOrderError } from './errors';
export { cartFields, withTotal } from './inputs';
export { forgetMemberCarts, idleCarts, quoteCarts } from './carts';
export type { QuoteResult } from './quote';
export { newOrderStatements, type NewOrder } from './repository';
export { CartLineInput } from './schema/orders';
export { createCheckoutService, type CheckoutService } from './service';
