import { and, eq } from 'drizzle-orm';
import { accounts } from '../../../schema';
import type { Database, Statement } from '../../platform/db/database';
import type { ConstraintViolation } from '../../platform/db/constraint-errors';
import { isStaleState, stateVersionGuards, stateVersionsQuery, versionsOf, type StateVersions } from '../../platform/db/state-versions';
import type { CommandDeps } from '../../platform/serializer/commands';
import { checkActive, memberStatusQuery } from '../members';
import { rulesOf, rulesQuery, type ProgramRules } from '../rules';
import { account, POINTS, type AccountKind } from './accounts';
import { openLots } from './repository';

/**
 * What the ledger's member commands (redeem, adjust, top up, spend) read of one member: kept by the
 * member's serializer between its commands (DESIGN.md §3), so that a command of a member it has seen
 * writes at once, without a read round trip.
 */
export interface MemberLedgerState {
  programId: string;
  memberId: string;
  /** The rows of the member's status query (none: no such member). */
  status: Array<{ status: 'active' | 'erased' }>;
  rules: ProgramRules;
  lots: Awaited<ReturnType<typeof openLots>>;
  /** The member's balances, by account id; an account not there yet holds 0. */
  balances: Record<string, number>;
  /** The versions the state was read at: the write's guards. */
  versions: StateVersions;
}

const versionKeys = (programId: string, memberId: string) => [`member:${memberId}`, `rules:${programId}`];

/** What a ledger command writes of the state (lots, balances) and its versions: the read-back at the end of a write batch. */
function writtenStateReads(db: Database, programId: string, memberId: string) {
  return [
    openLots(db, programId, memberId),
    db
      .select({ id: accounts.id, balance: accounts.balance })
      .from(accounts)
      .where(and(eq(accounts.programId, programId), eq(accounts.ownerType, 'member'), eq(accounts.ownerId, memberId))),
    stateVersionsQuery(db, versionKeys(programId, memberId)),
  ] as const;
}

/** Every read of the state, as queries for one read batch. */
function stateReads(db: Database, programId: string, memberId: string) {
  return [
    memberStatusQuery(db, { programId, memberId }),
    rulesQuery(db, programId),
    ...writtenStateReads(db, programId, memberId),
  ] as const;
}

type RowsOf<Queries extends readonly unknown[]> = { [K in keyof Queries]: Awaited<Queries[K]> };
type StateRows = RowsOf<ReturnType<typeof stateReads>>;
type WrittenStateRows = RowsOf<ReturnType<typeof writtenStateReads>>;

function writtenStateOf(programId: string, memberId: string, [lots, balances, versions]: WrittenStateRows) {
  return {
    lots,
    balances: Object.fromEntries(balances.map((row) => [row.id, row.balance])),
    versions: versionsOf(versionKeys(programId, memberId), versions),
  };
}

function stateOf(programId: string, memberId: string, [status, rules, ...written]: StateRows): MemberLedgerState {
  return { programId, memberId, status, rules: rulesOf(rules), ...writtenStateOf(programId, memberId, written) };
}

/**
 * The member's ledger state: from the serializer's memory when it holds it (a copy: a command never
 * changes what is kept), else read in one round trip and kept. Guard a write planned from it with
 * `ledgerStateMemory`.
 */
async function memberLedgerState(deps: CommandDeps, programId: string, memberId: string): Promise<MemberLedgerState> {
  const kept = deps.hotState?.get() as MemberLedgerState | undefined;
  if (kept && kept.programId === programId && kept.memberId === memberId) return structuredClone(kept);
  const state = stateOf(programId, memberId, await deps.db.batch(stateReads(deps.db, programId, memberId)));
  deps.hotState?.set(state);
  return structuredClone(state);
}

/** `memberLedgerState` of a member that exists and is not erased (else the member's typed error). */
export async function activeMemberLedgerState(deps: CommandDeps, programId: string, memberId: string): Promise<MemberLedgerState> {
  const state = await memberLedgerState(deps, programId, memberId);
  checkActive(memberId, state.status);
  return state;
}

export function balanceIn(state: MemberLedgerState, kind: AccountKind, unit = POINTS): number {
  return state.balances[account(state.programId, kind, unit, state.memberId).id] ?? 0;
}

export function walletIn(state: MemberLedgerState, currency: string) {
  return { cash: balanceIn(state, 'memberWalletCash', currency), bonus: balanceIn(state, 'memberWalletBonus', currency) };
}

/** What a write batch carries for the serializer's memory of a member: see `PreparedOperation.memory`. */
export interface BatchMemory {
  /** First in the batch: the versions the plan was made from must still hold. */
  guards: Statement[];
  /** Last in the batch: the state read back after the writes, in the same transaction. */
  readBack: Statement[];
  /** The batch committed: keep the state it read back. */
  committed(rows: unknown[]): void;
  /** A guard saying that the state was stale: forget it, and prepare again from the database. */
  stale(violation: ConstraintViolation): boolean;
}

/**
 * The guards and the read-back of a write planned from `state`; none without a serializer's memory
 * (jobs, the cache off), where the write is guarded by the balances' and lots' CHECKs as before.
 */
export function ledgerStateMemory(deps: CommandDeps, state: MemberLedgerState): BatchMemory | undefined {
  const slot = deps.hotState;
  if (!slot) return undefined;
  const { programId, memberId } = state;
  return {
    guards: stateVersionGuards(deps.db, state.versions),
    // The guards held, and a ledger command changes neither the member's status nor the rules: only
    // what it wrote (lots, balances, and so the versions) is read back.
    readBack: [...writtenStateReads(deps.db, programId, memberId)],
    committed: (rows) => slot.set({ ...state, ...writtenStateOf(programId, memberId, rows as unknown as WrittenStateRows) }),
    stale(violation) {
      if (!isStaleState(violation)) return false;
      slot.delete();
      return true;
    },
  };
}
