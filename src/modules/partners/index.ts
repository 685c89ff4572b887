// Registers the module's GraphQL types and fields on the builder (src/api/schema.ts assembles them).
import './schema';

export { partnerCommands, partnerSerializerKey } from './commands';
export { chargeKinds, partnerFundingTransfers, partnerRefundTransfers, returnKinds } from './funding';
export { offerFunders, type CampaignFunder } from './repository';
export { createPartnersService, type PartnersService } from './service';
export { publishPartnerCampaignsJob } from './job';
export { giftVoucherPlan, lostVoucherRace, voidOrderVoucherStatements, type GiftOutcome } from './vouchers';
export { PartnerType, PartnerCampaignType } from './schema/types';
export { EarnedPartnerVoucherType } from './schema/vouchers';
