import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { WorkerEnv } from '../../src/platform/workers/env';
import { GRAPHIQL_FILES, INSIGHTS_FILES } from '../../src/platform/web/assets';

const ORIGIN = 'http://edge-loyalty.test';

/** The Worker serves GraphiQL and the insights page from static assets: nothing comes from a CDN. */
describe('static assets on the Worker', () => {
  it('renders GraphiQL with its files from this origin, and serves each of them', async () => {
    const page = await exports.default.fetch(`${ORIGIN}/graphql`, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(html).not.toMatch(/https?:\/\//);
    for (const path of Object.values(GRAPHIQL_FILES)) {
      expect(html).toContain(path);
      const file = await (env as unknown as WorkerEnv).ASSETS.fetch(`${ORIGIN}${path}`);
      expect(file.status, path).toBe(200);
      expect(Number((await file.arrayBuffer()).byteLength), path).toBeGreaterThan(1000);
    }
  });

  it('answers /insights with the page, through the ASSETS binding', async () => {
    const page = await exports.default.fetch(`${ORIGIN}/insights`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    for (const path of Object.values(INSIGHTS_FILES)) {
      expect(html).toContain(path);
      expect((await (env as unknown as WorkerEnv).ASSETS.fetch(`${ORIGIN}${path}`)).status, path).toBe(200);
    }
    expect((await exports.default.fetch(`${ORIGIN}/assets/no-such-file.js`)).status).toBe(404);
  });
});
