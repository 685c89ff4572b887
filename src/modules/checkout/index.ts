// Registers the module's GraphQL types and fields on the builder (src/api/schema.ts assembles them).
import './schema';

export { checkoutCommands } from './commands';
export { createCheckoutService, type CheckoutService } from './service';
