/** Segments: what other modules may use (offers check a member against segments at checkout). */
export { existingSegmentIds, memberInSegments } from './service';
export { refreshSegmentsJob } from './job';
