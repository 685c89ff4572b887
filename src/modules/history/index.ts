/** Purchase history: what other modules may use (the stats statements an order change adds to its batch). */

// Registers the module's GraphQL types and fields on the builder (src/api/schema.ts assembles them).
import './schema';

export { statsDelta, heldPurchaseKeys, orderForStats, type OrderForStats, type StatsDelta } from './domain/stats';
export {
  anyPurchaseOf,
  customerScoresSql,
  memberLastOrderSql,
  memberPurchasesSinceSql,
  memberStatSql,
} from './repository';
export { anyOrderPlacedSince, monthlyCohorts, monthlyCohortsQuery, type MonthlyActivityScope } from './monthly-activity';
export { memberIdsOrderingBeforeSql, newOrderStatsStatements, statsStatements } from './stats-repository';
export { createHistoryService, type HistoryService } from './service';
