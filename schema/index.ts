export * from './programs';
export * from './members';
export * from './jobs';
