/** Segments: what other modules may use (offers check a member against segments at checkout). */

// Registers the module's GraphQL types and fields on the builder (src/api/schema.ts assembles them).
import './schema';

export { SegmentType } from './schema';
export { createSegmentsService, existingSegmentIds, inSegmentsCondition, memberInSegments, type SegmentsService } from './service';
export { refreshSegmentsJob } from './job';
