import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/test-app';
import { createEventsService, dispatchWebhooks } from '../../../src/modules/events';
import { endpointUrlProblem } from '../../../src/modules/events/webhooks/url-policy';
import { startReceiver } from '../../support/receiver';
import { enroll } from '../../support/members';
import { InvalidInputError } from '../../../src/platform/errors';

/** Names a test resolver knows: a stand-in for DNS, which the tests may not reach. */
const dns: Record<string, string[]> = {
  'hooks.example.com': ['93.184.216.34'],
  'inside.example.com': ['10.0.0.7'],
  'mixed.example.com': ['93.184.216.34', '127.0.0.1'],
  'metadata.example.com': ['169.254.169.254'],
};
const resolveHost = async (host: string) => dns[host] ?? [];
const production = { production: true, resolveHost };

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

describe('endpoint URLs in production', () => {
  it.each([
    ['http://hooks.example.com/x', /https/],
    ['https://127.0.0.1/x', /loopback/],
    ['https://[::1]/x', /loopback/],
    ['https://[::ffff:127.0.0.1]/x', /loopback/],
    ['https://10.1.2.3/x', /private/],
    ['https://192.168.0.1/x', /private/],
    ['https://169.254.169.254/latest/meta-data', /link-local/],
    ['https://localhost/x', /localhost/],
    ['https://api.localhost/x', /localhost/],
    ['https://inside.example.com/x', /resolves to/],
    ['https://mixed.example.com/x', /resolves to/],
    ['https://metadata.example.com/x', /resolves to/],
    ['https://nowhere.example.com/x', /does not resolve/],
    ['https://user:pass@hooks.example.com/x', /credentials/],
    ['ftp://hooks.example.com/x', /https/],
    ['not a url', /absolute URL/],
  ])('refuses %s', async (url, reason) => {
    expect(await endpointUrlProblem(url, production)).toMatch(reason);
  });

  it('accepts https to a public host', async () => {
    expect(await endpointUrlProblem('https://hooks.example.com/loyalty', production)).toBeNull();
    expect(await endpointUrlProblem('https://93.184.216.34/loyalty', production)).toBeNull();
  });

  it('in development allows http://localhost, for `npm run webhooks:listen`', async () => {
    expect(await endpointUrlProblem('http://localhost:4000/hooks', { production: false })).toBeNull();
    expect(await endpointUrlProblem('ftp://localhost/x', { production: false })).toMatch(/http/);
  });

  it('createWebhookEndpoint refuses them with a typed error and stores nothing', async () => {
    const service = createEventsService({ db: app.db, clock: app.clock, events: { ...app.deps.events, urlPolicy: production } });
    await expect(
      service.createEndpoint('acme', { url: 'https://inside.example.com/x', eventTypes: ['member.enrolled'] }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    expect(await service.endpoints('acme', { limit: 10, inverted: false })).toEqual([]);
  });

  it('the dispatcher checks again before each attempt: a name that now resolves inside is not called', async () => {
    const receiver = await startReceiver();
    const development = createEventsService({ db: app.db, clock: app.clock, events: app.deps.events });
    const endpoint = await development.createEndpoint('acme', { url: receiver.url, eventTypes: ['member.enrolled'] });
    await enroll(app, { externalId: 'ssrf-1' });
    await dispatchWebhooks(
      { db: app.db, clock: app.clock, fetch, urlPolicy: production },
      { deadline: app.clock.now().getTime() + 10_000 },
    );
    expect(receiver.received).toHaveLength(0);
    const [delivery] = await development.deliveries('acme', endpoint.id, null, { limit: 1, inverted: false });
    expect(delivery!.lastError).toMatch(/refused: the URL must be an https/);
    await receiver.close();
  });
});
