import { checkoutCommands } from './modules/checkout';
import { ledgerCommands } from './modules/ledger';
import { referralCommands } from './modules/referrals';
import type { CommandRegistry } from './platform/serializer/commands';
import { importOrderCommand } from './modules/imports';
import { useCaseCommands } from './use-cases';
import { partnerCommands } from './modules/partners';

/**
 * Every command that runs inside a member's serializer, by name. The Node queue and the
 * `MemberLedger` Durable Object both execute from this one registry (DESIGN.md §3).
 */
export const commandRegistry = {
  ...ledgerCommands,
  ...checkoutCommands,
  ...referralCommands,
  'imports.importOrder': importOrderCommand,
  ...partnerCommands,
  ...useCaseCommands,
} satisfies CommandRegistry;

export type AppCommands = typeof commandRegistry;
