import type { InputFieldBuilder } from '../../../graphql/builder';
import { MemberErasedError, MemberNotFoundError } from '../../members';
import { IdempotencyConflictError } from '../errors';
import type { Replayable } from '../operation';

/** What every value-moving mutation shares: its idempotency key, replay flag and the errors of its member. */
export const idempotencyKeyField = (t: InputFieldBuilder) =>
  t.string({ required: true, description: 'Unique per intended operation; a retry with the same key and input returns the first result' });

export const replayedDescription =
  'True when this answers a retry of an earlier request with the same idempotency key: nothing moved again';

export type WithProgram<Result> = Replayable<Result> & { programId: string };

/** Payloads resolve their member and transfers within the caller's program. */
export async function inProgram<Result>(programId: string, result: Promise<Result>) {
  return { ...(await result), programId };
}

export const memberCommandErrors = [MemberNotFoundError, MemberErasedError, IdempotencyConflictError];
