export { checkoutCommands } from './commands';
export { createCheckoutService, type CheckoutService } from './service';
