import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db/database';
import type { FingerprintKeys } from '../platform/fingerprints';
import type { Serializer } from '../platform/serializer/serializer';
import { enrollMember, enrollMembers } from './enroll-member';
import { eraseMember, erasureCommands } from './erase-member';
import { profileCommands, updateMember, updateMembers } from './update-member';
import { recordingCommands, recordOrder } from './record-order';
import { refundCommands, refundOrder } from './refund-order';
import type { referralCommands } from '../modules/referrals';

/**
 * Workflows that span modules, built only on the modules' public surfaces (`src/modules/<name>/index.ts`).
 * Their serialized commands join the registry in src/commands.ts.
 */
export const useCaseCommands = { ...profileCommands, ...erasureCommands, ...recordingCommands, ...refundCommands };

export interface MemberLifecycleDeps {
  db: Database;
  clock: Clock;
  serializer: Serializer<typeof useCaseCommands>;
  fingerprints: FingerprintKeys;
  afterErasure?: () => Promise<void>;
}

/** A member's lifecycle across modules: enrollment (members, referrals), profile changes (members, referrals), erasure (members, tiers). */
export function createMemberLifecycle(deps: MemberLifecycleDeps) {
  return {
    enroll: enrollMember(deps),
    enrollMany: enrollMembers(deps),
    update: updateMember(deps),
    updateMany: updateMembers(deps),
    erase: eraseMember(deps),
  };
}

export type MemberLifecycle = ReturnType<typeof createMemberLifecycle>;

export interface OrderWorkflowDeps {
  db: Database;
  clock: Clock;
  serializer: Serializer<typeof useCaseCommands & typeof referralCommands>;
}

/** An order's workflows across modules: recording it (checkout, ledger, offers, tiers, referrals, partners, orders, history) and refunding it. */
export function createOrderWorkflows(deps: OrderWorkflowDeps) {
  return { recordOrder: recordOrder(deps), refundOrder: refundOrder(deps) };
}

export type OrderWorkflows = ReturnType<typeof createOrderWorkflows>;
