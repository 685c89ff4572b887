import type { EventRow } from '../../../schema';

/**
 * How an event looks to the outside, in the feed and as a webhook body (the Standard Webhooks
 * payload shape `{ type, timestamp, data }`, plus the event's id, schema version and program).
 */
export interface EventEnvelope {
  id: string;
  type: string;
  version: number;
  programId: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export function envelopeOf(event: Pick<EventRow, 'id' | 'type' | 'version' | 'programId' | 'occurredAt' | 'data'>): EventEnvelope {
  return {
    id: event.id,
    type: event.type,
    version: event.version,
    programId: event.programId,
    timestamp: event.occurredAt.toISOString(),
    data: event.data,
  };
}
