import { env } from 'cloudflare:workers';
import {
  createExecutionContext,
  createScheduledController,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import worker from '../../src/worker';
import { signToken } from '../../src/platform/auth/sign';
import type { WorkerEnv } from '../../src/platform/workers/env';
import { graphql, SECRET } from './client';

const workerEnv = env as unknown as WorkerEnv;
const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
  __typename ... on WebhookSecretPayload { secret endpoint { id } } ... on Error { code message } } }`;
const ENROLL = `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { __typename ... on MemberPayload { member { id } } } }`;

async function received(): Promise<Array<{ headers: Record<string, string>; body: string }>> {
  return (await workerEnv.WEBHOOK_OUTBOUND!.fetch('http://receiver/__received')).json();
}

describe('the webhook dispatcher on Workers', () => {
  it('a Cron Trigger sets the Durable Object alarm, whose pass delivers signed events in order and then re-arms', async () => {
    // Globex: the other workerd tests enroll in acme, and this endpoint should see only its own events.
    const admin = await signToken(SECRET, { role: 'admin', programId: 'globex', subject: 'workerd-webhooks' });
    const created = await graphql(CREATE, { input: { url: 'http://127.0.0.1:9/hooks', eventTypes: ['MEMBER_ENROLLED'] } }, admin);
    expect(created.data.createWebhookEndpoint.__typename, JSON.stringify(created)).toBe('WebhookSecretPayload');
    const { secret } = created.data.createWebhookEndpoint;
    for (const externalId of ['wh-1', 'wh-2']) {
      const enrolled = await graphql(ENROLL, { input: { externalId } }, admin);
      expect(enrolled.data.enrollMember.__typename).toBe('MemberPayload');
    }

    const stub = workerEnv.WEBHOOK_DISPATCHER.get(workerEnv.WEBHOOK_DISPATCHER.idFromName('dispatcher'));
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ scheduledTime: new Date(), cron: '5 * * * *' }), workerEnv, ctx);
    await waitOnExecutionContext(ctx);
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())).not.toBeNull();

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const deliveries = (await received()).filter((request) => JSON.parse(request.body).programId === 'globex');
    const verifier = new Webhook(secret);
    const events = deliveries.map(({ body, headers }) => verifier.verify(body, headers) as { type: string; data: { externalId: string } });
    expect(events.map((event) => [event.type, event.data.externalId])).toEqual([
      ['member.enrolled', 'wh-1'],
      ['member.enrolled', 'wh-2'],
    ]);
    // Endpoints are enabled, so the alarm is set again for the next pass, which finds nothing new.
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())).not.toBeNull();
    await runDurableObjectAlarm(stub);
    expect((await received()).filter((request) => JSON.parse(request.body).programId === 'globex')).toHaveLength(2);
  });
});
