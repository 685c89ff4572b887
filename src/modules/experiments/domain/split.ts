import { createHash } from 'node:crypto';
import type { ExperimentArm } from '../../../../schema/values';

/** Basis points: buckets 0–9,999. */
export const BUCKETS = 10_000;

/**
 * A member's bucket in a split: the first 32 bits of SHA-256(salt ":" member id), scaled to 0–9,999.
 * SHA-256 spreads any ids evenly and gives the same bucket on Node and Workers (node:crypto hashes
 * synchronously on both), so a member's bucket never depends on where or when it is computed.
 */
export function splitBucket(salt: string, memberId: string): number {
  const digest = createHash('sha256').update(`${salt}:${memberId}`).digest();
  return Math.floor((digest.readUInt32BE(0) * BUCKETS) / 2 ** 32);
}

/** Control when the member's bucket is below the holdout share, treatment otherwise: stable for a given salt. */
export function armOf(salt: string, memberId: string, holdoutBasisPoints: number): ExperimentArm {
  return splitBucket(salt, memberId) < holdoutBasisPoints ? 'control' : 'treatment';
}

/** In the program's global control group (kept out of all marketing) at this share. */
export const inGlobalControl = (salt: string, memberId: string, basisPoints: number) =>
  basisPoints > 0 && armOf(salt, memberId, basisPoints) === 'control';
