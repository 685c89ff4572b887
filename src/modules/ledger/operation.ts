import { and, eq } from 'drizzle-orm';
import canonicalize from 'canonicalize';
import { operations } from '../../../schema';
import type { Command, CommandDeps } from '../../platform/serializer/commands';
import { constraintViolation, type ConstraintViolation } from '../../platform/db/constraint-errors';
import type { DomainError } from '../../platform/errors';
import { newId } from '../../platform/ids';
import { IdempotencyConflictError } from './errors';
import type { PlannedTransfer } from './plan';
import { ledgerStatements, type Statement } from './writer';

export interface LedgerCommandInput {
  programId: string;
  idempotencyKey: string;
}

/** What a command decided, before anything is written. */
export interface PreparedOperation<Result> {
  memberId: string | null;
  transfers: PlannedTransfer[];
  result: Result;
  /** The command's own rows (orders, refunds …), written in the same batch. */
  statements?: Statement[];
  /** Maps a tripped database guard to the typed error it means for this command. */
  onViolation?: (violation: ConstraintViolation) => Promise<DomainError | null>;
}

export type Replayable<Result> = Result & { replayed: boolean };

async function requestHash(command: string, input: LedgerCommandInput): Promise<string> {
  const { idempotencyKey: _key, ...request } = input;
  const bytes = new TextEncoder().encode(canonicalize({ command, request }) ?? '');
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function replay<Result>(deps: CommandDeps, input: LedgerCommandInput, hash: string): Promise<Replayable<Result> | null> {
  const previous = await deps.db.query.operations.findFirst({
    where: and(eq(operations.programId, input.programId), eq(operations.idempotencyKey, input.idempotencyKey)),
  });
  if (!previous) return null;
  if (previous.requestHash !== hash) throw new IdempotencyConflictError(input.idempotencyKey);
  return { ...(previous.result as Result), replayed: true };
}

/**
 * Wraps a value-moving command with exactly-once semantics (DESIGN.md §3): a known idempotency key
 * with the same input returns the first result and moves nothing, with another input it is a
 * conflict; otherwise the prepared plan is written as one atomic batch, and a tripped guard rolls
 * it back and becomes a typed error.
 */
export function ledgerCommand<Input extends LedgerCommandInput, Result extends object>(
  name: string,
  prepare: (deps: CommandDeps, input: Input, now: Date) => Promise<PreparedOperation<Result>>,
): Command<Input, Replayable<Result>> {
  return async (deps, input) => {
    const hash = await requestHash(name, input);
    const replayed = await replay<Result>(deps, input, hash);
    if (replayed) return replayed;

    const now = deps.clock.now();
    const prepared = await prepare(deps, input, now);
    const operation = {
      id: newId(),
      programId: input.programId,
      idempotencyKey: input.idempotencyKey,
      command: name,
      requestHash: hash,
      memberId: prepared.memberId,
      result: prepared.result,
      createdAt: now,
    };
    const [first, ...rest] = [...ledgerStatements(deps.db, operation, prepared.transfers), ...(prepared.statements ?? [])];
    try {
      await deps.db.batch([first!, ...rest]);
    } catch (error) {
      const violation = constraintViolation(error);
      if (violation?.kind === 'unique' && violation.targets.includes('operations.idempotency_key')) {
        const winner = await replay<Result>(deps, input, hash);
        if (winner) return winner;
      }
      const mapped = violation && (await prepared.onViolation?.(violation));
      throw mapped ?? error;
    }
    return { ...prepared.result, replayed: false };
  };
}
