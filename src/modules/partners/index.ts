// The partners module's public surface (DESIGN.md §2).
export { partnerCommands, partnerSerializerKey } from './commands';
export { chargeKinds, partnerFundingTransfers, partnerRefundTransfers, returnKinds } from './funding';
export { offerFunders, type CampaignFunder } from './repository';
export { createPartnersService, type PartnersService } from './service';
export { PartnerType, PartnerCampaignType } from './schema/types';
