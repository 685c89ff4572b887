import * as crypto from 'node:crypto';
import type { ExperimentArm } from '../../../../schema/values';

/** Basis points: buckets 0–9,999. */
export const BUCKETS = 10_000;

/**
 * The first 32 bits of SHA-256(text) as an unsigned integer, two ways that give the same number:
 * `crypto.hash` hashes in one call (Node ≥ 21.7), about 3× faster than a Hash object per id over a
 * report's 100,000 members (40 ms instead of 145 ms); a runtime without it uses the Hash object.
 */
export const sha256Leading32 = {
  oneCall: (text: string) => Number.parseInt(crypto.hash('sha256', text, 'hex').slice(0, 8), 16),
  hashObject: (text: string) => crypto.createHash('sha256').update(text).digest().readUInt32BE(0),
};

const leading32 = typeof crypto.hash === 'function' ? sha256Leading32.oneCall : sha256Leading32.hashObject;

/**
 * A member's bucket in a split: the first 32 bits of SHA-256(salt ":" member id), scaled to 0–9,999.
 * SHA-256 spreads any ids evenly and gives the same bucket on Node and Workers (node:crypto hashes
 * synchronously on both), so a member's bucket never depends on where or when it is computed.
 */
export function splitBucket(salt: string, memberId: string): number {
  return Math.floor((leading32(`${salt}:${memberId}`) * BUCKETS) / 2 ** 32);
}

/** Control when the member's bucket is below the holdout share, treatment otherwise: stable for a given salt. */
export function armOf(salt: string, memberId: string, holdoutBasisPoints: number): ExperimentArm {
  return splitBucket(salt, memberId) < holdoutBasisPoints ? 'control' : 'treatment';
}

/** In the program's global control group (kept out of all marketing) at this share. */
export const inGlobalControl = (salt: string, memberId: string, basisPoints: number) =>
  basisPoints > 0 && armOf(salt, memberId, basisPoints) === 'control';
