export * from './programs';
export * from './members';
export * from './jobs';
export * from './rules';
export * from './ledger';
export * from './orders';
export * from './tiers';
export * from './offers';
