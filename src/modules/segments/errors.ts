import { DomainError } from '../../platform/errors';

export class SegmentNotFoundError extends DomainError<{ segmentId: string }> {
  static override readonly code = 'SEGMENT_NOT_FOUND';
  constructor(segmentId: string) {
    super({ segmentId }, `No segment ${segmentId} in this program`);
  }
}
