/** Segments: what other modules may use (offers check a member against segments at checkout). */

// Registers the module's GraphQL types and fields on the builder (src/api/schema.ts assembles them).
import './schema';

export { SegmentType, segmentIdFrom } from './schema';
export { SegmentNotFoundError } from './errors';
export { segmentMembersSql } from './refresh';
export { createSegmentsService, existingSegmentIds, inSegmentsCondition, memberInSegments, type SegmentsService } from './service';
export { refreshSegmentsJob } from './job';
