import { encodeGlobalID, resolveCursorConnection } from '@pothos/plugin-relay';
import {
  webhookDeliveryStatuses,
  type EventRow,
  type WebhookAttemptRow,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from '../../../schema';
import { builder } from '../../graphql/builder';
import { connectionById } from '../../graphql/connections';
import { programIdOf } from '../../graphql/context';
import { requireId } from '../../graphql/global-ids';
import { parseInput } from '../../graphql/parse-input';
import { ErrorInterface } from '../../graphql/types/errors';
import { eventTypes, type EventType } from '../../platform/outbox';
import { memberIdFrom } from '../members';
import { WebhookDeliveryNotFoundError, WebhookEndpointNotFoundError } from './errors';
import { eventCursor } from './feed';
import { endpointUpdateSchema, newEndpointSchema } from './webhooks/endpoints';

const admin = { admin: true };

/** `member.enrolled` ↔ MEMBER_ENROLLED */
const EventTypeEnum = builder.enumType('EventType', {
  values: Object.fromEntries(eventTypes.map((type) => [type.toUpperCase().replace('.', '_'), { value: type }])) as Record<
    string,
    { value: EventType }
  >,
});
const DeliveryStatus = builder.enumType('WebhookDeliveryStatus', {
  values: Object.fromEntries(webhookDeliveryStatuses.map((status) => [status.toUpperCase(), { value: status }])) as Record<
    string,
    { value: WebhookDeliveryRow['status'] }
  >,
});

const EventObject = builder.objectRef<EventRow>('Event').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    type: t.field({ type: EventTypeEnum, resolve: (event) => event.type as EventType }),
    version: t.exposeInt('version'),
    memberId: t.id({ nullable: true, resolve: (event) => (event.memberId ? encodeGlobalID('Member', event.memberId) : null) }),
    data: t.field({ type: 'JSONObject', resolve: (event) => event.data }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
  }),
});

builder.queryField('events', (t) =>
  t.connection({
    type: EventObject,
    authScopes: admin,
    args: { types: t.arg({ type: [EventTypeEnum] }), memberId: t.arg.id() },
    resolve: (_root, args, context) =>
      resolveCursorConnection<Promise<EventRow[]>>({ args, toCursor: eventCursor }, (page) =>
        context.services.events.feed(
          programIdOf(context),
          { types: args.types?.length ? args.types : null, memberId: args.memberId ? memberIdFrom(args.memberId) : null },
          page,
        ),
      ),
  }),
);

const endpointIdFrom = (id: string | number) => requireId('WebhookEndpoint', id, (raw) => new WebhookEndpointNotFoundError(raw));
const deliveryIdFrom = (id: string | number) => requireId('WebhookDelivery', id, (raw) => new WebhookDeliveryNotFoundError(raw));

const WebhookAttemptType = builder.objectRef<WebhookAttemptRow>('WebhookAttempt').implement({
  fields: (t) => ({
    attempt: t.exposeInt('attempt'),
    at: t.expose('at', { type: 'DateTime' }),
    statusCode: t.exposeInt('statusCode', { nullable: true }),
    durationMs: t.exposeInt('durationMs'),
    error: t.exposeString('error', { nullable: true }),
  }),
});

const WebhookDeliveryType = builder.node(builder.objectRef<WebhookDeliveryRow>('WebhookDelivery'), {
  id: { resolve: (delivery) => delivery.id },
  authScopes: admin,
  loadOne: async (id, context) => (await context.services.events.delivery(programIdOf(context), id).catch(() => null)) ?? null,
  fields: (t) => ({
    webhookId: t.exposeString('id'),
    eventId: t.exposeString('eventId'),
    eventType: t.field({ type: EventTypeEnum, resolve: (delivery) => delivery.eventType as EventType }),
    replay: t.boolean({ resolve: (delivery) => delivery.replayId !== '' }),
    status: t.field({ type: DeliveryStatus, resolve: (delivery) => delivery.status }),
    attempts: t.exposeInt('totalAttempts'),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (delivery) => (delivery.status === 'pending' ? delivery.nextAttemptAt : null),
    }),
    lastStatusCode: t.exposeInt('lastStatusCode', { nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    attemptLog: t.loadableList({
      type: WebhookAttemptType,
      load: async (deliveryIds: string[], context) => {
        const rows = await context.services.events.attempts(deliveryIds);
        return deliveryIds.map((id) => rows.filter((row) => row.deliveryId === id));
      },
      resolve: (delivery) => delivery.id,
    }),
  }),
});

const WebhookEndpointType = builder.node(builder.objectRef<WebhookEndpointRow>('WebhookEndpoint'), {
  id: { resolve: (endpoint) => endpoint.id },
  authScopes: admin,
  loadOne: async (id, context) => (await context.services.events.endpoint(programIdOf(context), id).catch(() => null)) ?? null,
  fields: (t) => ({
    url: t.exposeString('url'),
    description: t.exposeString('description', { nullable: true }),
    eventTypes: t.field({ type: [EventTypeEnum], resolve: (endpoint) => endpoint.eventTypes as EventType[] }),
    enabled: t.boolean({ resolve: (endpoint) => endpoint.status === 'enabled' }),
    disabledReason: t.exposeString('disabledReason', { nullable: true }),
    failingSince: t.expose('failingSince', { type: 'DateTime', nullable: true }),
    previousSecretExpiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (endpoint, _args, context) => {
        const expires = endpoint.previousSecretExpiresAt;
        return expires && expires.getTime() > context.services.events.now().getTime() ? expires : null;
      },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  webhookEndpoints: t.connection({
    type: WebhookEndpointType,
    authScopes: admin,
    resolve: (_root, args, context) => connectionById(args, (page) => context.services.events.endpoints(programIdOf(context), page)),
  }),
  webhookDeliveries: t.connection({
    type: WebhookDeliveryType,
    authScopes: admin,
    args: { endpointId: t.arg.id({ required: true }), status: t.arg({ type: DeliveryStatus }) },
    resolve: (_root, args, context) =>
      connectionById(args, (page) =>
        context.services.events.deliveries(programIdOf(context), endpointIdFrom(args.endpointId), args.status ?? null, page),
      ),
  }),
}));

builder.objectType(WebhookEndpointNotFoundError, {
  name: 'WebhookEndpointNotFoundError',
  interfaces: [ErrorInterface],
  fields: () => ({}),
});
builder.objectType(WebhookDeliveryNotFoundError, {
  name: 'WebhookDeliveryNotFoundError',
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

const CreateWebhookEndpointInput = builder.inputType('CreateWebhookEndpointInput', {
  fields: (t) => ({
    url: t.string({ required: true }),
    eventTypes: t.field({ type: [EventTypeEnum], required: true }),
    description: t.string(),
  }),
});
const UpdateWebhookEndpointInput = builder.inputType('UpdateWebhookEndpointInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    url: t.string(),
    eventTypes: t.field({ type: [EventTypeEnum] }),
    description: t.string(),
    enabled: t.boolean(),
  }),
});
const WebhookEndpointRefInput = builder.inputType('WebhookEndpointRefInput', { fields: (t) => ({ id: t.id({ required: true }) }) });
const RotateWebhookSecretInput = builder.inputType('RotateWebhookSecretInput', {
  fields: (t) => ({ id: t.id({ required: true }), graceHours: t.int() }),
});
const RetryWebhookDeliveryInput = builder.inputType('RetryWebhookDeliveryInput', {
  fields: (t) => ({ deliveryId: t.id({ required: true }) }),
});
const ReplayEventsInput = builder.inputType('ReplayEventsInput', {
  fields: (t) => ({
    endpointId: t.id({ required: true }),
    from: t.field({ type: 'DateTime', required: true }),
    to: t.field({ type: 'DateTime', required: true }),
    types: t.field({ type: [EventTypeEnum] }),
  }),
});

const WebhookEndpointPayload = builder.objectRef<WebhookEndpointRow>('WebhookEndpointPayload').implement({
  fields: (t) => ({ endpoint: t.field({ type: WebhookEndpointType, resolve: (endpoint) => endpoint }) }),
});
const WebhookSecretPayload = builder.objectRef<WebhookEndpointRow>('WebhookSecretPayload').implement({
  fields: (t) => ({
    endpoint: t.field({ type: WebhookEndpointType, resolve: (endpoint) => endpoint }),
    secret: t.exposeString('secret'),
  }),
});
const WebhookDeliveryPayload = builder.objectRef<WebhookDeliveryRow>('WebhookDeliveryPayload').implement({
  fields: (t) => ({ delivery: t.field({ type: WebhookDeliveryType, resolve: (delivery) => delivery }) }),
});
const ReplayEventsPayload = builder.objectRef<{ endpoint: WebhookEndpointRow; queued: number }>('ReplayEventsPayload').implement({
  fields: (t) => ({
    endpoint: t.field({ type: WebhookEndpointType, resolve: (payload) => payload.endpoint }),
    queued: t.exposeInt('queued'),
  }),
});

const endpointErrors = (union: string) => ({ types: [WebhookEndpointNotFoundError], directResult: true, union: { name: union } });

builder.mutationFields((t) => ({
  createWebhookEndpoint: t.field({
    type: WebhookSecretPayload,
    authScopes: admin,
    args: { input: t.arg({ type: CreateWebhookEndpointInput, required: true }) },
    errors: { directResult: true, union: { name: 'CreateWebhookEndpointResult' } },
    resolve: (_root, { input }, context) =>
      context.services.events.createEndpoint(programIdOf(context), parseInput(newEndpointSchema, input)),
  }),
  updateWebhookEndpoint: t.field({
    type: WebhookEndpointPayload,
    authScopes: admin,
    args: { input: t.arg({ type: UpdateWebhookEndpointInput, required: true }) },
    errors: endpointErrors('UpdateWebhookEndpointResult'),
    resolve: (_root, { input: { id, ...update } }, context) =>
      context.services.events.updateEndpoint(programIdOf(context), endpointIdFrom(id), parseInput(endpointUpdateSchema, update)),
  }),
  disableWebhookEndpoint: t.field({
    type: WebhookEndpointPayload,
    authScopes: admin,
    args: { input: t.arg({ type: WebhookEndpointRefInput, required: true }) },
    errors: endpointErrors('DisableWebhookEndpointResult'),
    resolve: (_root, { input }, context) =>
      context.services.events.updateEndpoint(programIdOf(context), endpointIdFrom(input.id), { enabled: false }),
  }),
  rotateWebhookSecret: t.field({
    type: WebhookSecretPayload,
    authScopes: admin,
    args: { input: t.arg({ type: RotateWebhookSecretInput, required: true }) },
    errors: endpointErrors('RotateWebhookSecretResult'),
    resolve: (_root, { input }, context) =>
      context.services.events.rotateSecret(programIdOf(context), endpointIdFrom(input.id), input.graceHours ?? null),
  }),
  sendTestEvent: t.field({
    type: WebhookDeliveryPayload,
    authScopes: admin,
    args: { input: t.arg({ type: WebhookEndpointRefInput, required: true }) },
    errors: endpointErrors('SendTestEventResult'),
    resolve: (_root, { input }, context) => context.services.events.sendTestEvent(programIdOf(context), endpointIdFrom(input.id)),
  }),
  retryWebhookDelivery: t.field({
    type: WebhookDeliveryPayload,
    authScopes: admin,
    args: { input: t.arg({ type: RetryWebhookDeliveryInput, required: true }) },
    errors: { types: [WebhookDeliveryNotFoundError], directResult: true, union: { name: 'RetryWebhookDeliveryResult' } },
    resolve: (_root, { input }, context) => context.services.events.retryDelivery(programIdOf(context), deliveryIdFrom(input.deliveryId)),
  }),
  replayEvents: t.field({
    type: ReplayEventsPayload,
    authScopes: admin,
    args: { input: t.arg({ type: ReplayEventsInput, required: true }) },
    errors: endpointErrors('ReplayEventsResult'),
    resolve: (_root, { input }, context) =>
      context.services.events.replayEvents(programIdOf(context), endpointIdFrom(input.endpointId), {
        from: input.from,
        to: input.to,
        types: input.types?.length ? input.types : null,
      }),
  }),
}));
