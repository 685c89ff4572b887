/**
 * The referrals module's public surface: the statements it adds to enrollment and order batches,
 * the standing checkout reads, its command and service. Everything else here is private to it.
 */
export { referralCommands } from './commands';
export { conversionStatements, enrollmentStatements, lostReferralRace, referralConvertedBy, referralStanding, type ReferralStanding } from './repository';
export { createReferralsService, type ReferralsService } from './service';
