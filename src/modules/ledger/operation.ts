import { and, eq } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { operations } from '../../../schema';
import type { Command, CommandDeps } from '../../platform/serializer/commands';
import { constraintViolation, type ConstraintViolation, columnTarget } from '../../platform/db/constraint-errors';
import { DomainError } from '../../platform/errors';
import { newId } from '../../platform/ids';
import { withStoredTexts } from '../../platform/text';
import { eventStatements, type PlannedEvent } from '../../platform/outbox';
import { checkPlannedAmounts, rangeViolationError } from './bounds';
import { type Statement, writeBatch } from '../../platform/db/database';
import { IdempotencyConflictError } from './errors';
import type { PlannedTransfer } from './plan';
import { ledgerStatements } from './writer';
import type { BatchMemory } from './hot-state';

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
  /** What the change reports (the outbox), written in the same batch; a replay writes none again. */
  events?: PlannedEvent[];
  /** Maps a tripped database guard to the typed error it means for this command. */
  onViolation?: (violation: ConstraintViolation) => Promise<DomainError | null>;
  /**
   * A guard that another member's command can trip first (a shared cap or code): the command is
   * prepared again on the state that won, up to MAX_ATTEMPTS times.
   */
  retryOn?: (violation: ConstraintViolation) => boolean;
  /** The plan was made from the serializer's memory of the member: its guards and read-back (`ledgerStateMemory`). */
  memory?: BatchMemory;
  /**
   * Returned with this run's result but not stored for replays: what the caller's response may show
   * without reading it again (a replay answers without it).
   */
  alongside?: Partial<Result>;
}

const MAX_ATTEMPTS = 10;

export type Replayable<Result> = Result & { replayed: boolean };

/**
 * Fingerprint of a request without its key, over its texts as they are stored (canonical JSON
 * refuses half of a surrogate pair, which a GraphQL variable may carry); node:crypto hashes
 * synchronously on Node and Workers (nodejs_compat).
 */
export function requestHash<Input extends LedgerCommandInput>(command: string, input: Input): string {
  const { idempotencyKey: _key, ...request } = input;
  return createHash('sha256')
    .update(canonicalize(withStoredTexts({ command, request })) ?? '')
    .digest('hex');
}

async function replay<Result>(deps: CommandDeps, input: LedgerCommandInput, hash: string): Promise<Replayable<Result> | null> {
  const previous = await deps.db.query.operations.findFirst({
    where: and(eq(operations.programId, input.programId), eq(operations.idempotencyKey, input.idempotencyKey)),
  });
  if (!previous) return null;
  if (previous.requestHash !== hash) throw new IdempotencyConflictError(input.idempotencyKey);
  return { ...(previous.result as Result), replayed: true };
}

/** `replay`, where a failure to read the earlier operation leaves the original error to be thrown. */
function replayIfReadable<Result>(deps: CommandDeps, input: LedgerCommandInput, hash: string) {
  return replay<Result>(deps, input, hash).catch((error: unknown) => {
    if (error instanceof DomainError) throw error;
    return null;
  });
}

/**
 * Wraps a value-moving command with exactly-once semantics (DESIGN.md §3): a known idempotency key
 * with the same input returns the first result and moves nothing, with another input it is a
 * conflict; otherwise the prepared plan is written as one atomic batch, and a tripped guard rolls
 * it back and becomes a typed error.
 *
 * The first attempt does not look the key up: the batch's UNIQUE key is the check. Only when that
 * trips, or when a retry no longer prepares (its order exists now, its points are spent), is the
 * earlier operation read, to answer from it.
 */
export function ledgerCommand<Input extends LedgerCommandInput, Result extends object>(
  name: string,
  prepare: (deps: CommandDeps, input: Input, now: Date) => Promise<PreparedOperation<Result>>,
): Command<Input, Replayable<Result>> {
  return async (deps, input) => {
    const hash = requestHash(name, input);
    for (let attempt = 1; ; attempt++) {
      const now = deps.clock.now();
      let prepared: PreparedOperation<Result>;
      try {
        prepared = await prepare(deps, input, now);
        checkPlannedAmounts(prepared.transfers);
      } catch (error) {
        // A refusal reasoned from the serializer's memory (too few points, an erased member) is
        // checked against the database before it is answered: the memory may predate a job's write.
        if (error instanceof DomainError && deps.hotState?.served) {
          deps.hotState.delete();
          continue;
        }
        // Whatever stops a retry from preparing (its order exists now, or anything unexpected),
        // a request that committed before is answered with its first result.
        const earlier = await replayIfReadable<Result>(deps, input, hash);
        if (earlier) return earlier;
        throw error;
      }
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
      const { memory } = prepared;
      let results: unknown[];
      try {
        results = await writeBatch(deps.db, [
          ...(memory?.guards ?? []),
          ...ledgerStatements(deps.db, operation, prepared.transfers),
          ...(prepared.statements ?? []),
          ...eventStatements(deps.db, input.programId, now, prepared.events ?? []),
          ...(memory?.readBack ?? []),
        ]);
      } catch (error) {
        const violation = constraintViolation(error);
        // Another process or a job changed the member since the state was kept: prepare again from the database.
        if (violation && attempt < MAX_ATTEMPTS && memory?.stale(violation)) continue;
        if (violation?.kind === 'unique' && violation.targets.includes(columnTarget(operations.idempotencyKey))) {
          const earlier = await replay<Result>(deps, input, hash);
          if (earlier) return earlier;
        }
        if (!violation) {
          // A lost connection may hide a batch that committed: then the write is answered, not failed.
          const earlier = await replayIfReadable<Result>(deps, input, hash);
          if (earlier) return { ...earlier, replayed: false };
          throw error;
        }
        if (attempt < MAX_ATTEMPTS && prepared.retryOn?.(violation)) continue;
        const mapped = rangeViolationError(violation) ?? (await prepared.onViolation?.(violation));
        throw mapped ?? error;
      }
      memory?.committed(results.slice(results.length - memory.readBack.length));
      return { ...prepared.result, ...prepared.alongside, replayed: false };
    }
  };
}
