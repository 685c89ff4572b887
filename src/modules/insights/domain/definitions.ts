/** The words of each report, returned with it so that a reader never has to guess what a figure means. */
type Definitions = Array<{ term: string; meaning: string }>;

const countedOrder = {
  term: 'counted order',
  meaning: 'An order of a member that is not fully refunded; a partly refunded order counts, at what was paid minus what was refunded.',
};

/** The words of the retention report (its window in days is part of them). */
export const retentionDefinitions = (activityWindowDays: number) => [
  {
    term: 'customer',
    meaning: `A member with at least one counted order placed in the ${activityWindowDays} days up to and including the instant (after t − ${activityWindowDays} days, at or before t).`,
  },
  countedOrder,
  { term: 'S', meaning: 'Customers at the start of the period (at `from`).' },
  { term: 'E', meaning: 'Customers at the end of the period (at `to`).' },
  {
    term: 'N',
    meaning:
      'New customers: customers at the end who were not customers at the start (first-time buyers and lapsed members who came back). A member who became a customer and lapsed again within the period is in neither E nor N.',
  },
  { term: 'retention rate', meaning: '((E − N) / S) × 100, in percent; undefined when S = 0.' },
  { term: 'churn', meaning: '100 − retention rate, in percent.' },
];

export const purchaseDefinitions: Definitions = [
  countedOrder,
  { term: 'period', meaning: 'A calendar day, ISO week (from Monday) or month in UTC; the first and last are cut at `from` and `to`.' },
  { term: 'buyers', meaning: 'Members with a counted order in the period.' },
  {
    term: 'repeat-purchase rate',
    meaning: 'Buyers who had an earlier counted order (before the period or earlier in it) / buyers × 100.',
  },
  { term: 'orders per buyer', meaning: 'Counted orders / buyers in the period (purchase frequency).' },
  { term: 'average order value', meaning: 'Revenue / counted orders, in minor units.' },
  {
    term: 'average days between purchases',
    meaning:
      "Over the period's counted orders that have an earlier counted order of the same member: the mean number of days since that one.",
  },
];

export const cohortDefinitions: Definitions = [
  countedOrder,
  { term: 'cohort', meaning: 'The members whose first counted order fell in that calendar month (UTC).' },
  {
    term: 'share',
    meaning:
      'Members of the cohort with a counted order in the month `monthsSince` months after it / members of the cohort × 100 (month 0 is 100).',
  },
];

export const experimentDefinitions: Definitions = [
  countedOrder,
  {
    term: 'arm',
    meaning:
      'Control when the first 32 bits of SHA-256(salt ":" member id), scaled to 0–9,999, are below holdoutBasisPoints; treatment otherwise. It never changes.',
  },
  {
    term: 'members',
    meaning:
      "Members enrolled before the end of the measured period (the experiment's segment's members as of its last refresh, when it has one).",
  },
  { term: 'during, before', meaning: 'The experiment up to its end (or now), and the equally long period just before it.' },
  { term: 'buyer rate', meaning: 'Members with a counted order in the period / members × 100.' },
  {
    term: 'retention rate',
    meaning:
      'Of the members who bought in the equally long period before, the share who bought in this one × 100: ((E − N) / S) × 100 with the period length as the activity window.',
  },
  { term: 'orders per member, spend per member', meaning: 'Counted orders (net spend) in the period / members, non-buyers counted as 0.' },
  {
    term: 'lift',
    meaning: 'treatment − control during the experiment (absolute; percentage points for rates) and treatment / control − 1 (relative).',
  },
  {
    term: 'difference in differences',
    meaning:
      '(treatment during − treatment before) − (control during − control before): the lift net of any difference the arms already had.',
  },
  { term: 'interval, p-value', meaning: 'A 95 % confidence interval and the two-sided p-value; `significant` when p < 0.05.' },
];

export const liabilityDefinitions: Definitions = [
  {
    term: 'outstanding points',
    meaning: 'Points of open lots (earned, not yet spent or expired); their value is at the program’s redemption rate, rounded down.',
  },
  { term: 'wallet', meaning: 'Stored value members hold in the program currency: cash they paid in, and bonus credit the program gave.' },
  { term: 'breakage', meaning: 'Points that expired unused / points earned × 100, per month of earning and over all time.' },
  {
    term: 'points earned',
    meaning: 'Every point issued (on orders, as bonuses and adjustments, net of clawbacks): outstanding + redeemed + expired.',
  },
  { term: 'redemption rate', meaning: 'Points redeemed (net of refunds) / points earned × 100.' },
  {
    term: 'partner-funded share',
    meaning: 'The part of the discounts given on orders that partners paid for their vouchers / all discounts given × 100.',
  },
];
