/**
 * The referrals module's public surface: the statements it adds to enrollment, profile and order
 * batches (referrals also keep the email fingerprints), the standing checkout reads, its command and
 * service. Everything else here is private to it.
 */

// Registers the module's GraphQL types and fields on the builder (src/api/schema.ts assembles them).
import './schema';

export { referralCommands } from './commands';
export { rekeyFingerprints } from './rekey';
export {
  conversionStatements,
  dueReferrals,
  enrollmentStatements,
  enrollmentsStatements,
  fingerprintStatement,
  fingerprintsStatements,
  lostReferralRace,
  referralCodeTaken,
  referralConvertedBy,
  referralStanding,
  type ReferralStanding,
} from './repository';
export { createReferralsService, type ReferralsService } from './service';
