// Registers the module's GraphQL types and fields on the builder (src/api/schema.ts assembles them).
import './schema';

export { recalculateTiersInBulk } from './bulk-recalculation';
export { TIER_RECALCULATION_CRON, type DowngradeForecast } from './downgrade-forecast';
export { upcomingDowngrades } from './upcoming-downgrades';
export type { Tier } from './domain';
export { loadTierContext, upgradeForOrder, type TierContext } from './order-effects';
export { existingTierIds, forgetMemberTier, loadTierSettings, memberInTiersSql, tierIdsByName, tierMembersSql } from './repository';
export { TierNotFoundError } from './errors';
export { TierType, tierIdFrom } from './schema';
export { createTiersService, type TiersService } from './service';
