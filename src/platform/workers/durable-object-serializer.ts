import { unwrapOutcome } from '../serializer/commands';
import type { Serializer } from '../serializer/serializer';
import type { CommandRegistry } from '../serializer/commands';
import type { MemberLedgerObject } from './member-ledger';

/** The Workers transport: each member's commands run inside that member's `MemberLedger`. */
export function createDurableObjectSerializer<Registry extends CommandRegistry>(
  namespace: DurableObjectNamespace<MemberLedgerObject>,
): Serializer<Registry> {
  return {
    async execute(key, command, input) {
      const ledger = namespace.get(namespace.idFromName(key));
      return unwrapOutcome(await ledger.execute(command, input));
    },
  };
}
