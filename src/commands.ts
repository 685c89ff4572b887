import type { CommandRegistry } from './platform/serializer/commands';
import { memberCommands } from './modules/members/commands';
import { ledgerCommands } from './modules/ledger/commands';
import { checkoutCommands } from './modules/checkout/commands';
import { referralCommands } from './modules/referrals/commands';
import { importOrderCommand } from './modules/imports';

/**
 * Every command that runs inside a member's serializer, by name. The Node queue and the
 * `MemberLedger` Durable Object both execute from this one registry (DESIGN.md §3).
 */
export const commandRegistry: CommandRegistry = {
  ...memberCommands,
  ...ledgerCommands,
  ...checkoutCommands,
  ...referralCommands,
  'imports.importOrder': importOrderCommand,
};
