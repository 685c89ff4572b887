import { DomainError, registerDomainErrors } from '../../platform/errors';

export class WebhookEndpointNotFoundError extends DomainError<{ endpointId: string }> {
  static override readonly code = 'WEBHOOK_ENDPOINT_NOT_FOUND';
  constructor(endpointId: string) {
    super({ endpointId }, `No webhook endpoint ${endpointId} in this program`);
  }
}

export class WebhookDeliveryNotFoundError extends DomainError<{ deliveryId: string }> {
  static override readonly code = 'WEBHOOK_DELIVERY_NOT_FOUND';
  constructor(deliveryId: string) {
    super({ deliveryId }, `No webhook delivery ${deliveryId} in this program`);
  }
}

registerDomainErrors(WebhookEndpointNotFoundError, WebhookDeliveryNotFoundError);
