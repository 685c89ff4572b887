import { claimOrderCommand } from './claim-order';

/** Checkout's own command in an order's serializer (recording and refunding an order are use cases: src/use-cases/). */
export const checkoutCommands = {
  'checkout.claimOrder': claimOrderCommand,
};
