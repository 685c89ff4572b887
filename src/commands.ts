import type { CommandRegistry } from './platform/serializer/commands';
import { ledgerCommands } from './modules/ledger';
import { tierCommands } from './modules/tiers';
import { checkoutCommands } from './modules/checkout';
import { referralCommands } from './modules/referrals';
import { useCaseCommands } from './use-cases';

/**
 * Every command that runs inside a member's serializer, by name. The Node queue and the
 * `MemberLedger` Durable Object both execute from this one registry (DESIGN.md §3).
 */
export const commandRegistry = {
  ...ledgerCommands,
  ...tierCommands,
  ...checkoutCommands,
  ...referralCommands,
  ...useCaseCommands,
} satisfies CommandRegistry;

export type AppCommands = typeof commandRegistry;
