import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { createTestApp, type TestApp } from '../../support/test-app';
import { enroll } from '../../support/members';
import { ADJUST, mutate } from '../../support/ledger';
import { enumOf, expectValidEvent, readEvents } from '../../support/events';
import { startReceiver } from '../../support/receiver';
import { dispatchWebhooks } from '../../../src/modules/events';
import { dispatchDeps } from '../../../src/jobs/dispatch-webhooks';
import { attemptDelaysMs } from '../../../src/modules/events/webhooks/retry';

const errorFields = `... on Error { __typename code message }`;
const ENDPOINT_FIELDS = `id url eventTypes enabled disabledReason failingSince previousSecretExpiresAt`;
const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { __typename ${errorFields}
  ... on InvalidInputError { issues { path message } } ... on WebhookSecretPayload { secret endpoint { ${ENDPOINT_FIELDS} } } } }`;
const UPDATE = `mutation($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { __typename ${errorFields} ... on WebhookEndpointPayload { endpoint { ${ENDPOINT_FIELDS} } } } }`;
const ROTATE = `mutation($input: RotateWebhookSecretInput!) { rotateWebhookSecret(input: $input) { __typename ${errorFields} ... on WebhookSecretPayload { secret endpoint { ${ENDPOINT_FIELDS} } } } }`;
const DELIVERIES = `query($endpointId: ID!, $status: WebhookDeliveryStatus) { webhookDeliveries(endpointId: $endpointId, status: $status, first: 50) {
  edges { node { id webhookId eventType status attempts replay nextAttemptAt lastStatusCode lastError attemptLog { attempt statusCode durationMs error } } } } }`;
const REPLAY = `mutation($input: ReplayEventsInput!) { replayEvents(input: $input) { __typename ${errorFields} ... on ReplayEventsPayload { queued } } }`;
const RETRY = `mutation($input: RetryWebhookDeliveryInput!) { retryWebhookDelivery(input: $input) { __typename ${errorFields} ... on WebhookDeliveryPayload { delivery { status attempts } } } }`;
const TEST_EVENT = `mutation($input: WebhookEndpointRefInput!) { sendTestEvent(input: $input) { __typename ${errorFields} ... on WebhookDeliveryPayload { delivery { eventType replay } } } }`;

let app: TestApp;
let admin: string;
const receivers: Array<{ close: () => Promise<void> }> = [];

// Signatures are checked with the library's `verify`, which refuses timestamps far from the real
// clock: this app's fixed clock starts at the real time.
beforeAll(async () => {
  app = await createTestApp({ now: new Date().toISOString() });
  admin = await app.token({ role: 'admin' });
});
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  app.close();
});

async function receiver(...args: Parameters<typeof startReceiver>) {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}

async function createEndpoint(url: string, eventTypes: string[], token = admin) {
  const response = await app.graphql(CREATE, { input: { url, eventTypes: eventTypes.map(enumOf), description: 'test' } }, token);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.createWebhookEndpoint;
}

const dispatch = (timeoutMs?: number) =>
  dispatchWebhooks({ ...dispatchDeps(app.deps), timeoutMs }, { deadline: app.clock.now().getTime() + 30_000 });
const advance = (ms: number) => app.clock.set(new Date(app.clock.now().getTime() + ms));

async function deliveries(endpointId: string, status?: string) {
  const response = await app.graphql(DELIVERIES, { endpointId, status }, admin);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.webhookDeliveries.edges.map((edge: any) => edge.node).reverse();
}

/** Disables the endpoint so that later tests' events do not queue up for it. */
const retire = (id: string) => app.graphql(UPDATE, { input: { id, enabled: false } }, admin);

describe('webhook deliveries', () => {
  it('are signed per Standard Webhooks: the standardwebhooks package verifies every real delivery', async () => {
    const hooks = await receiver();
    const created = await createEndpoint(hooks.url, ['member.enrolled', 'points.adjusted']);
    expect(created.secret).toMatch(/^whsec_/);
    const { globalId } = await enroll(app, { externalId: 'hook-1', email: 'hook1@example.com' });
    await mutate(app, ADJUST, { memberId: globalId, points: 40, reason: 'signed' });
    await mutate(app, ADJUST, { memberId: globalId, points: 2, reason: 'signed' });
    await dispatch();

    expect(hooks.received).toHaveLength(3);
    const verifier = new Webhook(created.secret);
    const bodies = hooks.received.map(({ body, headers }) => verifier.verify(body, headers) as any);
    expect(bodies.map((body) => body.type)).toEqual(['member.enrolled', 'points.adjusted', 'points.adjusted']);
    expect(bodies.map((body) => body.data.points)).toEqual([undefined, 40, 2]);
    for (const body of bodies) expectValidEvent(body);
    expect(hooks.received[0]!.body).not.toContain('hook1@example.com');
    // A tampered body or another secret fails.
    expect(() => verifier.verify(hooks.received[1]!.body.replace('40', '4000'), hooks.received[1]!.headers)).toThrow();
    const other = (await createEndpoint(hooks.url, ['member.erased'])).secret;
    expect(() => new Webhook(other).verify(hooks.received[0]!.body, hooks.received[0]!.headers)).toThrow();

    const log = await deliveries(created.endpoint.id);
    expect(log.map((delivery: any) => [delivery.status, delivery.attempts, delivery.lastStatusCode])).toEqual(
      Array(3).fill(['SUCCEEDED', 1, 200]),
    );
    expect(hooks.received.map((request) => request.headers['webhook-id'])).toEqual(log.map((delivery: any) => delivery.webhookId));
    await dispatch();
    expect(hooks.received).toHaveLength(3);
    await retire(created.endpoint.id);
  });

  it('keep the old secret’s signature alongside the new one for the grace period after a rotation', async () => {
    const hooks = await receiver();
    const created = await createEndpoint(hooks.url, ['member.enrolled']);
    const rotated = (await app.graphql(ROTATE, { input: { id: created.endpoint.id, graceHours: 24 } }, admin)).data!.rotateWebhookSecret;
    expect(rotated.secret).not.toBe(created.secret);
    expect(rotated.endpoint.previousSecretExpiresAt).not.toBeNull();
    await enroll(app, { externalId: 'hook-rotate-1' });
    await dispatch();
    const [during] = hooks.received;
    expect(during!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(rotated.secret).verify(during!.body, during!.headers)).toBeTruthy();
    expect(new Webhook(created.secret).verify(during!.body, during!.headers)).toBeTruthy();

    const again = (await app.graphql(ROTATE, { input: { id: created.endpoint.id, graceHours: 0 } }, admin)).data!.rotateWebhookSecret;
    await enroll(app, { externalId: 'hook-rotate-2' });
    await dispatch();
    const after = hooks.received[1]!;
    expect(after.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(new Webhook(again.secret).verify(after.body, after.headers)).toBeTruthy();
    expect(() => new Webhook(rotated.secret).verify(after.body, after.headers)).toThrow();
    const bad = await app.graphql(ROTATE, { input: { id: created.endpoint.id, graceHours: 1000 } }, admin);
    expect(bad.data!.rotateWebhookSecret.__typename).toBe('InvalidInputError');
    await retire(created.endpoint.id);
  });

  it('reach a receiver that fails and then recovers: every event once, in order, after the backoff', async () => {
    const hooks = await receiver((_request, index, res) => {
      res.statusCode = index < 2 ? 500 : 204;
      res.end();
    });
    const created = await createEndpoint(hooks.url, ['points.adjusted']);
    const { globalId } = await enroll(app, { externalId: 'hook-recover' });
    for (const points of [1, 2, 3]) await mutate(app, ADJUST, { memberId: globalId, points, reason: 'ordered' });

    await dispatch();
    expect(hooks.received).toHaveLength(1);
    await dispatch();
    expect(hooks.received).toHaveLength(1);
    advance(attemptDelaysMs[1] - 1);
    await dispatch();
    expect(hooks.received).toHaveLength(1);
    advance(1);
    await dispatch();
    expect(hooks.received).toHaveLength(2);
    advance(attemptDelaysMs[2]);
    await dispatch();
    const points = hooks.received.map((request) => JSON.parse(request.body).data.points);
    expect(points).toEqual([1, 1, 1, 2, 3]);
    const log = await deliveries(created.endpoint.id);
    expect(log[0].attemptLog.map((attempt: any) => attempt.statusCode)).toEqual([500, 500, 204]);
    expect(log.map((delivery: any) => delivery.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    await dispatch();
    expect(hooks.received).toHaveLength(5);
    await retire(created.endpoint.id);
  });

  it('go out once each when several dispatchers run at the same time (each endpoint is leased)', async () => {
    const hooks = await receiver();
    const created = await createEndpoint(hooks.url, ['points.adjusted']);
    const { globalId } = await enroll(app, { externalId: 'hook-concurrent' });
    for (let points = 1; points <= 12; points++) await mutate(app, ADJUST, { memberId: globalId, points, reason: 'concurrent' });
    await Promise.all([dispatch(), dispatch(), dispatch()]);
    await dispatch();
    const points = hooks.received.map((request) => JSON.parse(request.body).data.points);
    expect(points).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
    await retire(created.endpoint.id);
  });

  it('slow down on a 429 as far as Retry-After asks', async () => {
    const hooks = await receiver((_request, index, res) => {
      res.statusCode = index === 0 ? 429 : 200;
      if (index === 0) res.setHeader('retry-after', '120');
      res.end();
    });
    const created = await createEndpoint(hooks.url, ['member.enrolled']);
    await enroll(app, { externalId: 'hook-429' });
    await dispatch();
    const [pending] = await deliveries(created.endpoint.id);
    expect(new Date(pending.nextAttemptAt).getTime() - app.clock.now().getTime()).toBe(120_000);
    advance(60_000);
    await dispatch();
    expect(hooks.received).toHaveLength(1);
    advance(60_000);
    await dispatch();
    expect(hooks.received).toHaveLength(2);
    await retire(created.endpoint.id);
  });

  it('disable the endpoint on a 410, with an event; its deliveries wait and go out once it is enabled again', async () => {
    let gone = true;
    const hooks = await receiver((_request, _index, res) => {
      res.statusCode = gone ? 410 : 200;
      res.end();
    });
    const created = await createEndpoint(hooks.url, ['member.enrolled']);
    await enroll(app, { externalId: 'hook-410' });
    await dispatch();
    const endpoint = (
      await app.graphql(
        `query($id: ID!) { node(id: $id) { ... on WebhookEndpoint { enabled disabledReason } } }`,
        { id: created.endpoint.id },
        admin,
      )
    ).data!.node;
    expect(endpoint).toEqual({ enabled: false, disabledReason: expect.stringMatching(/410/) });
    const disabled = await readEvents(app, { types: ['webhook.endpoint_disabled'] });
    expect(disabled.at(-1)!.data).toMatchObject({ reason: expect.stringMatching(/410/) });
    expectValidEvent(disabled.at(-1)!);
    gone = false;
    await dispatch();
    expect(hooks.received).toHaveLength(1);
    await app.graphql(UPDATE, { input: { id: created.endpoint.id, enabled: true } }, admin);
    await dispatch();
    expect(hooks.received).toHaveLength(2);
    expect((await deliveries(created.endpoint.id)).map((delivery: any) => delivery.status)).toEqual(['SUCCEEDED']);
    await retire(created.endpoint.id);
  });

  it('disable an endpoint that has failed for 5 days, not before', async () => {
    const hooks = await receiver((_request, _index, res) => {
      res.statusCode = 503;
      res.end('down');
    });
    const created = await createEndpoint(hooks.url, ['points.adjusted']);
    const { globalId } = await enroll(app, { externalId: 'hook-5-days' });
    for (let index = 0; index < 6; index++) await mutate(app, ADJUST, { memberId: globalId, points: 1, reason: 'failing' });
    const firstFailure = app.clock.now().getTime();
    for (let pass = 0; pass < 100; pass++) {
      await dispatch();
      const state = (
        await app.graphql(`query($id: ID!) { node(id: $id) { ... on WebhookEndpoint { enabled } } }`, { id: created.endpoint.id }, admin)
      ).data!.node;
      if (!state.enabled) break;
      expect(app.clock.now().getTime() - firstFailure).toBeLessThan(5 * 86_400_000);
      const [next] = await deliveries(created.endpoint.id, 'PENDING');
      app.clock.set(new Date(next.nextAttemptAt));
    }
    expect(app.clock.now().getTime() - firstFailure).toBeGreaterThanOrEqual(5 * 86_400_000);
    const log = await deliveries(created.endpoint.id);
    expect(log.filter((delivery: any) => delivery.status === 'FAILED').every((delivery: any) => delivery.attempts === 8)).toBe(true);
    expect(log[0].lastError).toMatch(/503: down/);
    expect((await readEvents(app, { types: ['webhook.endpoint_disabled'] })).at(-1)!.data.reason).toMatch(/5 days/);
  });
});

describe('a misbehaving receiver', () => {
  it('that hangs, floods 50 MB or redirects never stalls the dispatcher, and no redirect is followed', async () => {
    const elsewhere = await receiver();
    const hanging = await receiver(() => undefined);
    const flooding = await receiver((_request, _index, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(1024 * 1024, 120);
      let sent = 0;
      const pump = () => {
        while (sent < 50 && res.write(chunk)) sent++;
        if (sent < 50) res.once('drain', pump);
        else res.end();
      };
      pump();
    });
    const redirecting = await receiver((_request, _index, res) => {
      res.writeHead(302, { location: elsewhere.url });
      res.end();
    });
    const ids = [];
    for (const hooks of [hanging, flooding, redirecting]) ids.push((await createEndpoint(hooks.url, ['member.enrolled'])).endpoint.id);
    await enroll(app, { externalId: 'hook-misbehaving' });
    const started = performance.now();
    await dispatch(500);
    expect(performance.now() - started).toBeLessThan(5_000);
    const [hung, flooded, redirected] = await Promise.all(ids.map(async (id) => (await deliveries(id))[0]));
    expect(hung).toMatchObject({ status: 'PENDING', lastStatusCode: null, lastError: expect.stringMatching(/timed out/) });
    expect(flooded).toMatchObject({ status: 'SUCCEEDED', lastStatusCode: 200 });
    expect(redirected).toMatchObject({ status: 'PENDING', lastStatusCode: 302 });
    expect(elsewhere.received).toHaveLength(0);
    for (const id of ids) await retire(id);
  });
});

describe('replay, retry and test events', () => {
  it('replayEvents sends a window again with new webhook ids; retryWebhookDelivery tries a failed delivery again; sendTestEvent reaches one endpoint', async () => {
    let up = false;
    const hooks = await receiver((_request, _index, res) => {
      res.statusCode = up ? 200 : 500;
      res.end();
    });
    const created = await createEndpoint(hooks.url, ['points.adjusted']);
    const from = app.clock.now().toISOString();
    const { globalId } = await enroll(app, { externalId: 'hook-replay' });
    await mutate(app, ADJUST, { memberId: globalId, points: 9, reason: 'replayed' });
    for (let attempt = 0; attempt < 8; attempt++) {
      await dispatch();
      const [pending] = await deliveries(created.endpoint.id, 'PENDING');
      if (!pending) break;
      app.clock.set(new Date(pending.nextAttemptAt));
    }
    const [failed] = await deliveries(created.endpoint.id, 'FAILED');
    expect(failed.attempts).toBe(8);
    up = true;
    const retried = await app.graphql(RETRY, { input: { deliveryId: failed.id } }, admin);
    expect(retried.data!.retryWebhookDelivery.delivery.status).toBe('PENDING');
    await dispatch();
    expect((await deliveries(created.endpoint.id))[0]).toMatchObject({ status: 'SUCCEEDED', attempts: 9 });

    const replay = await app.graphql(
      REPLAY,
      { input: { endpointId: created.endpoint.id, from, to: app.clock.now().toISOString() } },
      admin,
    );
    expect(replay.data!.replayEvents).toEqual({ __typename: 'ReplayEventsPayload', queued: 1 });
    await dispatch();
    const successes = hooks.received.slice(-2);
    expect(successes.map((request) => JSON.parse(request.body).id)).toEqual([
      JSON.parse(successes[0]!.body).id,
      JSON.parse(successes[0]!.body).id,
    ]);
    expect(successes[0]!.headers['webhook-id']).not.toBe(successes[1]!.headers['webhook-id']);

    const tested = await app.graphql(TEST_EVENT, { input: { id: created.endpoint.id } }, admin);
    expect(tested.data!.sendTestEvent.delivery).toEqual({ eventType: 'WEBHOOK_TEST', replay: true });
    await dispatch();
    expect(JSON.parse(hooks.received.at(-1)!.body)).toMatchObject({ type: 'webhook.test', data: { endpointId: expect.any(String) } });
    await retire(created.endpoint.id);
  });
});

describe('webhook endpoints', () => {
  it('refuse bad input with typed errors, and belong to one program', async () => {
    const invalid = await app.graphql(CREATE, { input: { url: 'not a url', eventTypes: ['MEMBER_ENROLLED'] } }, admin);
    expect(invalid.data!.createWebhookEndpoint.issues[0].path).toEqual(['input', 'url']);
    const none = await app.graphql(CREATE, { input: { url: 'http://localhost:4000/hooks', eventTypes: [] } }, admin);
    expect(none.data!.createWebhookEndpoint.issues[0].path).toEqual(['input', 'eventTypes']);
    const test = await app.graphql(CREATE, { input: { url: 'http://localhost:4000/hooks', eventTypes: ['WEBHOOK_TEST'] } }, admin);
    expect(test.data!.createWebhookEndpoint.__typename).toBe('InvalidInputError');
    const unknown = await app.graphql(CREATE, { input: { url: 'http://localhost:4000/hooks', eventTypes: ['NO_SUCH_EVENT'] } }, admin);
    expect(unknown.errors?.[0]?.message).toMatch(/NO_SUCH_EVENT/);

    const mine = await createEndpoint('http://localhost:4000/hooks', ['member.enrolled']);
    const globex = await app.token({ role: 'admin', programId: 'globex' });
    const theirs = await app.graphql(UPDATE, { input: { id: mine.endpoint.id, url: 'http://localhost:1/x' } }, globex);
    expect(theirs.data!.updateWebhookEndpoint.__typename).toBe('WebhookEndpointNotFoundError');
    const replay = await app.graphql(
      REPLAY,
      { input: { endpointId: mine.endpoint.id, from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' } },
      globex,
    );
    expect(replay.data!.replayEvents.__typename).toBe('WebhookEndpointNotFoundError');
    expect((await app.graphql(DELIVERIES, { endpointId: mine.endpoint.id }, globex)).data!.webhookDeliveries.edges).toEqual([]);
    const listed = await app.graphql(`{ webhookEndpoints(first: 50) { edges { node { id } } } }`, {}, globex);
    expect(listed.data!.webhookEndpoints.edges).toEqual([]);
    for (const role of ['storefront', 'member'] as const) {
      const forbidden = await app.graphql(
        CREATE,
        { input: { url: 'http://localhost:4000/hooks', eventTypes: ['MEMBER_ENROLLED'] } },
        await app.token({ role, subject: 'x' }),
      );
      expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    await retire(mine.endpoint.id);
  });
});
