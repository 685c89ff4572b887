import { rekeyFingerprints as rekeyChunk } from '../modules/referrals';
import { CHUNK_SIZE, type Job } from './job';

/**
 * Moves a program's email fingerprints to the current FINGERPRINT_SECRET (after a rotation, and
 * the unkeyed ones of before migration 0005), and drops those no configured key can match.
 */
export const rekeyFingerprints: Job = {
  name: 'rekey-fingerprints',
  scope: 'program',
  step: ({ db, fingerprints }, { programId, cursor }) => rekeyChunk(db, fingerprints, programId!, cursor, CHUNK_SIZE),
};
