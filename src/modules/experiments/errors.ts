import { DomainError, registerDomainErrors } from '../../platform/errors';

export class ExperimentNotFoundError extends DomainError<{ experimentId: string }> {
  static override readonly code = 'EXPERIMENT_NOT_FOUND';
  constructor(experimentId: string) {
    super({ experimentId }, `No experiment ${experimentId} in this program`);
  }
}

registerDomainErrors(ExperimentNotFoundError);
