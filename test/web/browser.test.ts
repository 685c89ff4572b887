import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createTestApp } from '../support/test-app';
import { launchChromium, listen, offlinePage, screenshot } from '../support/browser';

/** The pages the app serves, in a real headless Chromium that may load nothing from outside the app. */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('GraphiQL at /graphql', () => {
  it('renders offline with its development token and runs a query', async () => {
    const app = await createTestApp({ env: { ENVIRONMENT: 'development', DEFAULT_PROGRAM_ID: 'acme' } });
    const server = await listen(app.app);
    try {
      const { page, foreignRequests, requests } = await offlinePage(browser, server.origin);
      await page.goto(`${server.origin}/graphql`);
      // Monaco shows the query editor once GraphiQL's bundle, stylesheet and workers have loaded.
      await page.locator('.graphiql-query-editor .monaco-editor').first().click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText('{ program { name } }');
      await page.locator('.graphiql-execute-button').click();
      // Monaco renders spaces as no-break spaces, which \s matches.
      await page.locator('.graphiql-response', { hasText: /"name":\s"Acme\sCoffee"/ }).waitFor();
      await screenshot(page, 'graphiql');
      expect(foreignRequests).toEqual([]);
      expect(requests).toContain(`${server.origin}/assets/graphiql/graphiql.js`);
    } finally {
      await server.close();
      app.close();
    }
  });
});
