// The order tables' reads (checkout's commands write them): below tiers and referrals, so they and checkout, imports and reminders share one set.
export {
  existingOrderIds,
  findOrder,
  lastOrderDates,
  linesOf,
  memberOrdersTotal,
  memberOrdersTotalSql,
  orderFullyRefundedAtSql,
  orderHistory,
  type OrderMeasure,
  type PlacedWithin,
} from './repository';
export {
  cohortActivity,
  cohortActivityQuery,
  countCustomersInWindows,
  customersInWindows,
  discountsGiven,
  memberWindows,
  memberWindowsQuery,
  periodTotals,
  periodTotalsQuery,
  type CountedOrdersScope,
  type ExperimentWindows,
  type OpenClosed,
} from './aggregates';
