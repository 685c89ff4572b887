import { createHash, createHmac } from 'node:crypto';

/** The key of new fingerprints and the earlier keys still recognised (FINGERPRINT_SECRET, FINGERPRINT_PREVIOUS_SECRETS). */
export interface FingerprintKeys {
  secret: string;
  previousSecrets: string[];
}

export interface Fingerprint {
  hash: string;
  keyId: string;
}

const hmac = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');

/** Names a key without revealing it, so that rows of a key no longer configured can be found. */
export function fingerprintKeyId(secret: string): string {
  return createHash('sha256').update(`edge-loyalty fingerprint key\n${secret}`).digest('hex').slice(0, 16);
}

/**
 * HMAC-SHA256 of `text` under the current key: what is stored. Without the key, a guess cannot be
 * confirmed against it (a plain hash could be).
 */
export function keyedFingerprint(keys: FingerprintKeys, text: string): Fingerprint {
  return { hash: hmac(keys.secret, text), keyId: fingerprintKeyId(keys.secret) };
}

/** Every hash `text` may be stored under: the current key's and each earlier key's. */
export function recognisedFingerprints(keys: FingerprintKeys, text: string): string[] {
  return [keys.secret, ...keys.previousSecrets].map((secret) => hmac(secret, text));
}

/** Key ids whose rows still mean something; rows of any other key (or none) can be deleted. */
export function knownKeyIds(keys: FingerprintKeys): string[] {
  return [keys.secret, ...keys.previousSecrets].map(fingerprintKeyId);
}
