/** Experiments: the split into treatment and control, holdouts at checkout, reminders and partner publishing, exposures. */

// Registers the module's GraphQL types and fields on the builder (src/api/schema.ts assembles them).
import './schema';

export { armOf, inGlobalControl, splitBucket, BUCKETS } from './domain/split';
export { ExperimentNotFoundError } from './errors';
export {
  audienceHoldouts,
  experimentsByIds,
  exposureStatements,
  globalControlGroup,
  heldOut,
  isRunning,
  memberArms,
  memberHoldouts,
  NO_HOLDOUTS,
  type AudienceHoldouts,
  type Exposure,
  type Holdouts,
} from './repository';
export { ExperimentType, experimentIdFrom } from './schema';
export { createExperimentsService, type ExperimentsService } from './service';
