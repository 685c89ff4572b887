import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app';
import { enroll } from '../support/members';
import { createEventsService, dispatchWebhooks } from '../../src/modules/events';
import { dispatchDeps } from '../../src/jobs/dispatch-webhooks';

/** `npm run webhooks:listen` as a newcomer runs it: real deliveries from the dispatcher, verified and printed. */
describe('scripts/webhooks-listen.ts', () => {
  let app: TestApp;
  let listener: ChildProcess;
  let output = '';
  let secret = '';
  let endpointId = '';

  beforeAll(async () => {
    app = await createTestApp({ now: new Date().toISOString() });
    const events = createEventsService(app.deps);
    // The endpoint exists first (its secret is what the listener is started with); its URL follows the port.
    const endpoint = await events.createEndpoint('acme', { url: 'http://127.0.0.1:9/hooks', eventTypes: ['member.enrolled'] });
    ({ secret, id: endpointId } = endpoint);
    listener = spawn(process.execPath, ['--import', 'tsx', 'scripts/webhooks-listen.ts', '--secret', secret, '--port', '0']);
    listener.stdout!.on('data', (chunk) => (output += chunk));
    listener.stderr!.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 20_000;
    while (!output.includes('/hooks') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const port = /localhost:(\d+)\/hooks/.exec(output)![1];
    await events.updateEndpoint('acme', endpointId, { url: `http://127.0.0.1:${port}/hooks` });
  }, 30_000);
  afterAll(() => {
    listener.kill('SIGTERM');
    app.close();
  });

  it('verifies and prints a real delivery, and refuses an unsigned request', async () => {
    await enroll(app, { externalId: 'listen-1' });
    await dispatchWebhooks(dispatchDeps(app.deps), { deadline: app.clock.now().getTime() + 10_000 });
    const [delivery] = await createEventsService(app.deps).deliveries('acme', endpointId, null, { limit: 1, inverted: false });
    expect(delivery).toMatchObject({ status: 'succeeded', lastStatusCode: 204 });
    await expect.poll(() => output).toContain('✔');
    expect(output).toContain('member.enrolled');
    expect(output).toContain('listen-1');

    const port = /localhost:(\d+)\/hooks/.exec(output)![1];
    const forged = await fetch(`http://127.0.0.1:${port}/hooks`, {
      method: 'POST',
      body: '{"type":"points.earned"}',
      headers: { 'webhook-id': 'x', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
    });
    expect(forged.status).toBe(401);
    await expect.poll(() => output).toContain('✘ refused');
  });
});
