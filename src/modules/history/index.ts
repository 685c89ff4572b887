/** Purchase history: what other modules may use (the stats statements an order change adds to its batch). */
export { statsDelta, heldPurchaseKeys, dayNumber, type OrderForStats, type StatsDelta } from './domain/stats';
export { addedStatsStatements, statsStatements } from './stats-repository';
export { refundRecordStatement } from './refunds-repository';
