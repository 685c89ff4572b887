import { recordOrderCommand } from './record-order';
import { refundOrderCommand } from './refund-order';
import { claimOrderCommand } from './claim-order';

/** Orders: the commands that run checkout inside the member's serializer. */
export const checkoutCommands = {
  'checkout.recordOrder': recordOrderCommand,
  'checkout.refundOrder': refundOrderCommand,
  'checkout.claimOrder': claimOrderCommand,
};
