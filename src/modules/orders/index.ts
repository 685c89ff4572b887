// Reads of the order tables (written by checkout's commands) for the modules below checkout: tiers and referrals.
export {
  memberOrdersTotal,
  memberOrdersTotalSql,
  orderFullyRefundedAtSql,
  type OrderMeasure,
  type PlacedWithin,
} from './repository';
