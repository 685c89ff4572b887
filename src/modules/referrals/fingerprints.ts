import { createHash } from 'node:crypto';
import { keyedFingerprint, recognisedFingerprints, type Fingerprint, type FingerprintKeys } from '../../platform/fingerprints';
import { emailIdentity } from './domain';

/** What is fingerprinted: the program and the person behind the address. */
const emailText = (programId: string, email: string) => `${programId}\n${emailIdentity(email)}`;

/** The stored fingerprint of an email, under the current key. */
export const emailFingerprint = (keys: FingerprintKeys, programId: string, email: string): Fingerprint =>
  keyedFingerprint(keys, emailText(programId, email));

/** Every hash an email may be stored under (current and earlier keys). */
export const recognisedEmailFingerprints = (keys: FingerprintKeys, programId: string, email: string): string[] =>
  recognisedFingerprints(keys, emailText(programId, email));

/** The unkeyed SHA-256 written before migration 0005; only to find and re-key those rows. */
export function legacyEmailFingerprint(programId: string, email: string): string {
  return createHash('sha256').update(emailText(programId, email)).digest('hex');
}
